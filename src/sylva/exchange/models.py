"""The knowledge-exchange network: offers and requests on a board, exchanges between two
people, their private messages and reviews, matching runs and live exchange fairs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sylva.people.models import Person, Site, Skill

WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
FORMATS = ("in_person", "phone", "video")
LIVE_POSTING = ("open", "paused")  # a posting that is still someone's word on the board
#: the animators' permission (matching runs, settings, fairs)
ANIMATE = "exchange.animate_exchange"


@dataclass(frozen=True)
class Range:
    """An input's bounds, written once: the fields' validators, the forms, the API schemas
    and the services' checks read them."""

    low: int
    high: int

    def holds(self, value: Any) -> bool:
        return not isinstance(value, bool) and self.low <= value <= self.high

    def validators(self) -> list[Any]:
        return [MinValueValidator(self.low), MaxValueValidator(self.high)]

    def schema(self) -> dict[str, Any]:
        return {"minimum": self.low, "maximum": self.high}

    @property
    def bounds(self) -> dict[str, int]:
        """For a message: ``%(min)d`` and ``%(max)d``."""
        return {"min": self.low, "max": self.high}


DURATION = Range(10, 480)  # minutes of an exchange, or that a posting needs
CAPACITY = Range(1, 20)  # exchanges a month an offer gives
EXPIRY_DAYS = Range(1, 365)  # days a request stays on the board
USEFULNESS = Range(1, 5)  # a review's rating
FAIR_MINUTES = Range(15, 240)  # a fair's length
MAX_SKILLS = 5  # skills of one offer or request
MASTERING = 3  # the level one holds a skill at to offer it (people's Level.MASTERING)


def skills_key(skill_ids: Any) -> str:
    """A posting's skills as one comparable value (sorted ids): two live postings of one
    person on the same skills are one too many (a unique constraint)."""
    return ",".join(str(pk) for pk in sorted({int(pk) for pk in skill_ids}))


def posting_constraints(model: str) -> list[models.BaseConstraint]:
    """One live posting per person and set of skills, on the board and at each fair (empty
    keys are the few duplicates that predate the rule, left as they were)."""
    live = models.Q(state__in=LIVE_POSTING) & ~models.Q(skills_key="")
    return [
        models.UniqueConstraint(
            fields=["person", "skills_key"],
            condition=live & models.Q(fair__isnull=True),
            name=f"{model}_once_per_skills",
        ),
        models.UniqueConstraint(
            fields=["person", "skills_key", "fair"],
            condition=live & models.Q(fair__isnull=False),
            name=f"{model}_once_per_skills_at_fair",
        ),
    ]


class ExchangeSettings(models.Model):
    """The organisation's rules for the network: one row (pk 1), see :meth:`load`."""

    joining_requires_both = models.BooleanField(
        _("joining requires one offer and one request"),
        default=True,
        help_text=_(
            "Everyone has something to share: one's offers and requests reach the "
            "board once one has published at least one of each."
        ),
    )
    request_expiry_days = models.PositiveSmallIntegerField(
        _("requests expire after (days)"),
        default=30,
        validators=EXPIRY_DAYS.validators(),
    )
    default_capacity = models.PositiveSmallIntegerField(
        _("default monthly capacity of an offer"),
        default=2,
        validators=CAPACITY.validators(),
    )
    send_directly = models.BooleanField(
        _("send matching proposals directly"),
        default=False,
        help_text=_("Otherwise a learning animator reviews each run before it is sent."),
    )

    class Meta:
        verbose_name = _("exchange settings")
        verbose_name_plural = _("exchange settings")
        permissions = [
            ("animate_exchange", _("Can run matching, review runs and open exchange fairs")),
        ]

    def __str__(self) -> str:
        return str(_("Exchange settings"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> ExchangeSettings:
        found, _created = cls.objects.get_or_create(pk=1)
        return found


class Fair(models.Model):
    """A live exchange fair (bourse d'échanges), open for about an hour on a site or online."""

    title = models.CharField(_("title"), max_length=120)
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Empty for an online fair."),
    )
    animator = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="fairs_opened")
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"))
    closed_at = models.DateTimeField(null=True, blank=True)
    #: when its audience was told it opens (once; a fair scheduled ahead is announced first)
    opening_told_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("exchange fair")
        verbose_name_plural = _("exchange fairs")
        indexes = [models.Index(fields=["closed_at", "opens_at", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.closed_at is None and self.opens_at <= now < self.closes_at

    @property
    def is_ahead(self) -> bool:
        """Announced, not open yet."""
        return self.closed_at is None and timezone.now() < self.opens_at

    @property
    def is_live(self) -> bool:
        """Open or about to open: its page keeps itself up to date."""
        return self.closed_at is None and timezone.now() < self.closes_at


class Posting(models.Model):
    """What an offer and a request share: skills, free text, formats, duration, site, slots."""

    skills: Any  # each subclass declares its many-to-many to Skill

    class State(models.TextChoices):
        OPEN = "open", _("open")
        PAUSED = "paused", _("paused")
        CLOSED = "closed", _("closed")
        EXPIRED = "expired", _("expired")

    text = models.TextField(_("description"), max_length=2000, blank=True)
    in_person = models.BooleanField(_("face to face"), default=True)
    phone = models.BooleanField(_("phone"), default=False)
    video = models.BooleanField(_("video"), default=False)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=DURATION.validators(),
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # weekly availability: each int is weekday * 24 + hour (weekday 0 = Monday)
    slots = models.JSONField(_("weekly slots"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    #: the language it is written in (and the exchange held in): its author's at publishing
    language = models.CharField(
        _("language"), max_length=2, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    skills_key = models.CharField(max_length=120, blank=True, default="", editable=False)
    fair = models.ForeignKey(
        Fair, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("published"), default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @property
    def formats(self) -> frozenset[str]:
        return frozenset(f for f in FORMATS if getattr(self, f))

    def skill_names(self) -> str:
        return ", ".join(s.name for s in self.skills.all())


class Offer(Posting):
    """“I can share …”."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exchange_offers")
    capacity = models.PositiveSmallIntegerField(
        _("exchanges per month"),
        default=2,
        validators=CAPACITY.validators(),
    )
    skills = models.ManyToManyField(Skill, related_name="exchange_offers", verbose_name=_("skills"))

    objects: ClassVar[models.Manager[Offer]]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        indexes = [models.Index(fields=["state", "-created_at"])]
        constraints = posting_constraints("offer")

    def __str__(self) -> str:
        return f"{self.person} · {self.text[:40] or self.pk}"


class Request(Posting):
    """“I want to learn …”."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exchange_requests")
    skills = models.ManyToManyField(
        Skill, related_name="exchange_requests", verbose_name=_("skills")
    )
    expires_at = models.DateTimeField(_("expires"))

    objects: ClassVar[models.Manager[Request]]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [models.Index(fields=["state", "-created_at"])]
        constraints = posting_constraints("request")

    def __str__(self) -> str:
        return f"{self.person} · {self.text[:40] or self.pk}"

    @property
    def expires_soon(self) -> bool:
        return self.state == self.State.OPEN and self.expires_at < timezone.now() + timedelta(
            days=5
        )


class MatchRun(models.Model):
    """One global matching run: an optimal assignment and reciprocity cycles."""

    class State(models.TextChoices):
        REVIEW = "review", _("to review")
        SENT = "sent", _("sent")
        DISCARDED = "discarded", _("discarded")

    created_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.REVIEW)
    requests = models.PositiveIntegerField(default=0)
    offers = models.PositiveIntegerField(default=0)
    candidates = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(default=0)
    seconds = models.FloatField(default=0)
    optimal = models.BooleanField(
        default=True,
        help_text=_(
            "False when the assignment search stopped at its limit before proving optimality."
        ),
    )
    cycles = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.created_at:%Y-%m-%d %H:%M}"


class Proposal(models.Model):
    """A suggested pairing of a request with an offer, from a run (or an animator's hand)."""

    class State(models.TextChoices):
        PENDING = "pending", _("to review")
        APPROVED = "approved", _("sent")
        REJECTED = "rejected", _("rejected")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="proposals")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="proposals")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    cycle = models.PositiveIntegerField(null=True, blank=True)  # cycle number within the run
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    exchange = models.OneToOneField(
        "Exchange", null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal"
    )

    class Meta:
        ordering = ["run", "cycle", "-score", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"#{self.pk} {self.offer_id} → {self.request_id} ({self.score:.0f})"


LIVE_EXCHANGE = ("proposed", "accepted", "scheduled")  # under way: one per pair and skill
DONE_EXCHANGE = ("held", "reviewed")  # took place, on both participants' word


class ExchangeQuerySet(models.QuerySet["Exchange"]):
    def live(self) -> ExchangeQuerySet:
        return self.filter(state__in=LIVE_EXCHANGE)

    def confirmed(self) -> ExchangeQuerySet:
        """The reciprocity ledger: exchanges that took place on both participants' word
        (each said so, after the scheduled end). Nothing else counts as given or received."""
        return self.filter(
            state__in=DONE_EXCHANGE,
            teacher_held_at__isnull=False,
            learner_held_at__isnull=False,
        )


class Exchange(models.Model):
    """One exchange between a teacher and a learner, and its life (see services.exchanges)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        REVIEWED = "reviewed", _("reviewed")
        CANCELLED = "cancelled", _("cancelled")
        NO_SHOW = "no_show", _("did not take place")

    class Origin(models.TextChoices):
        BOARD = "board", _("from the board")
        RUN = "run", _("matching run")
        NEWCOMER = "newcomer", _("newcomer's welcome")
        FAIR = "fair", _("exchange fair")
        ANIMATOR = "animator", _("put in touch by an animator")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("face to face")
        PHONE = "phone", _("phone")
        VIDEO = "video", _("video")

    teacher = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exchanges_taught")
    learner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exchanges_learned")
    offer = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="exchanges"
    )
    request = models.ForeignKey(
        Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="exchanges"
    )
    skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.SET_NULL, related_name="exchanges"
    )
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.BOARD)
    fair = models.ForeignKey(
        Fair, null=True, blank=True, on_delete=models.SET_NULL, related_name="exchanges"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    teacher_accepted = models.BooleanField(default=False)
    learner_accepted = models.BooleanField(default=False)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    declined_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # modalities
    starts_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    mode = models.CharField(_("format"), max_length=10, choices=Mode.choices, blank=True)
    place = models.CharField(_("place or link"), max_length=200, blank=True)
    teacher_confirmed = models.BooleanField(default=False)
    learner_confirmed = models.BooleanField(default=False)
    #: who first agreed the modalities: the invitation's ORGANIZER, kept on reschedules so
    #: that calendars take every update as the same meeting's
    scheduled_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # when each participant said it took place: held once both did (the ledger's rule)
    teacher_held_at = models.DateTimeField(null=True, blank=True)
    learner_held_at = models.DateTimeField(null=True, blank=True)
    reminded_before_at = models.DateTimeField(null=True, blank=True)
    reminded_after_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    #: the iCalendar SEQUENCE: raised on every change of time, place or format and on the
    #: cancellation of a scheduled exchange, so calendars update the same event
    sequence = models.PositiveIntegerField(default=0)

    objects: ClassVar[ExchangeQuerySet] = ExchangeQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(teacher=models.F("learner")), name="exchange_two_people"
            ),
            # held (and reviewed) only on both participants' word
            models.CheckConstraint(
                condition=~models.Q(state__in=DONE_EXCHANGE)
                | models.Q(teacher_held_at__isnull=False, learner_held_at__isnull=False),
                name="exchange_held_by_both",
            ),
            # one exchange under way per teacher, learner and skill
            models.UniqueConstraint(
                fields=["teacher", "learner", "skill"],
                condition=models.Q(state__in=LIVE_EXCHANGE),
                name="exchange_live_once",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "starts_at"]),
            models.Index(fields=["offer", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} → {self.learner} ({self.get_state_display()})"

    def is_participant(self, person: Person) -> bool:
        return person.pk in (self.teacher_id, self.learner_id)

    def other(self, person: Person) -> Person:
        return self.learner if person.pk == self.teacher_id else self.teacher

    def held_by(self, person: Person) -> bool:
        """Whether this participant said the exchange took place."""
        if person.pk == self.teacher_id:
            return self.teacher_held_at is not None
        return self.learner_held_at is not None

    @property
    def ends_at(self) -> Any:
        return self.starts_at + timedelta(minutes=self.duration_minutes) if self.starts_at else None


class Message(models.Model):
    """A private message between the two participants of an exchange."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"#{self.pk}"


class Review(models.Model):
    """One side's review of an exchange (fiche bilan); its texts are the participants' only."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    learned = models.TextField(_("what was learned"), max_length=2000)
    usefulness = models.PositiveSmallIntegerField(
        _("usefulness"), validators=USEFULNESS.validators()
    )
    next_step = models.TextField(_("next step"), max_length=1000, blank=True)
    # A story is written for others and shown in the showcase only when its author says so;
    # the review's other texts never leave the exchange.
    story = models.TextField(_("story to share"), max_length=1000, blank=True)
    story_shared = models.BooleanField(_("share this story in the showcase"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["exchange", "author"], name="review_once"),
            models.CheckConstraint(
                condition=models.Q(usefulness__gte=1) & models.Q(usefulness__lte=5),
                name="review_usefulness_range",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"
