"""Modules of short cards, campaigns aimed at audiences, each learner's memory of each card
(FSRS state), their answers, challenges between colleagues and the organisation's settings."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sylva.people.models import Department, Person, Population, Site, Skill, Team


class Module(models.Model):
    """A topic made of cards. A *light resource* is a module drafted by any employee from
    their experience; it reaches others only once a reviewer approves it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("waiting for review")
        CHANGES = "changes", _("changes requested")
        PUBLISHED = "published", _("published")
        DECLINED = "declined", _("declined")

    Language = Person.Language  # a module is written in one of the languages people speak

    code = models.SlugField(_("code"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=120, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    # the versions of one module in other languages point at its original (its "work"):
    # one version per language; campaigns and the today queue give each learner the version
    # in their language (see queries.catalogue)
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
    )
    minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=3, validators=[MinValueValidator(1)]
    )
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="learning_modules"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    is_light = models.BooleanField(_("light resource"), default=False)
    author = models.ForeignKey(
        Person,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authored_modules",
    )
    review_note = models.TextField(_("reviewer's note"), blank=True, max_length=2000)
    reviewed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Module]]

    class Meta:
        ordering = ["title"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        permissions = [
            ("author_module", _("Can author and publish microlearning modules")),
            ("review_resource", _("Can review light resources written by colleagues")),
            ("manage_campaign", _("Can target modules to audiences with campaigns")),
            ("view_learning_analytics", _("Can read microlearning analytics")),
            ("configure_memory", _("Can set the desired retention and refit FSRS")),
            ("launch_team_challenge", _("Can launch a team challenge")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def work_id(self) -> int | None:
        """The original of this module's versions (itself when it is the original)."""
        return self.translation_of_id or self.pk

    @property
    def language_label(self) -> str:
        return str(self.Language(self.language).label) if self.language else ""


def new_card_key() -> str:
    """A card's key: 8 random hexadecimal digits, unique within its module."""
    return secrets.token_hex(4)


class LiveCards(models.Manager["Card"]):
    """The cards of modules as they are now: a retired card (removed from its module by an
    import or an edit, kept for its learners' history) is not among them. Its reviews and
    memories still reach it (``review.card`` goes through the base manager) and
    ``Card.everything`` lists it."""

    def get_queryset(self) -> models.QuerySet[Card]:
        return super().get_queryset().filter(retired_at__isnull=True)


class Card(models.Model):
    """One card of a module. ``key`` is its identity across export and import (written in
    the text format as ``## kind: title {#key}``): an import matches cards by key, never by
    position, so that learners' memory, answers and analytics stay on the same content."""

    class Kind(models.TextChoices):
        LESSON = "lesson", _("lesson")
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        TRUEFALSE = "truefalse", _("true or false")
        ORDERING = "ordering", _("ordering")
        POLL = "poll", _("poll")
        REFLECTION = "reflection", _("open reflection")

    GRADED = frozenset({"single", "multiple", "truefalse", "ordering"})
    WITH_OPTIONS = frozenset({"single", "multiple", "truefalse", "ordering", "poll"})

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="cards")
    key = models.SlugField(_("key"), max_length=40, default=new_card_key, editable=False)
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title or question"), max_length=300)
    body = models.TextField(_("text (Markdown)"), blank=True, max_length=8000)
    # [{"text": "…", "correct": true}, …]; for ordering, the options in the right order
    options = models.JSONField(_("options"), default=list, blank=True)
    explanation = models.TextField(_("explanation"), blank=True, max_length=4000)
    # set when the card left its module (an import or an edit without it) while learners
    # had met it: hidden from learners, its history kept; its key brings it back
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True, editable=False)

    objects: ClassVar[LiveCards] = LiveCards()  # the default manager: live cards only
    everything: ClassVar[models.Manager[Card]] = models.Manager()  # retired cards too

    class Meta:
        ordering = ["module", "position", "pk"]
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        indexes = [models.Index(fields=["module", "position"])]
        constraints = [models.UniqueConstraint(fields=["module", "key"], name="card_key_unique")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_graded(self) -> bool:
        return self.kind in self.GRADED

    @property
    def correct_indexes(self) -> list[int]:
        if self.kind == self.Kind.ORDERING:
            return list(range(len(self.options)))
        return [i for i, o in enumerate(self.options) if o.get("correct")]

    @property
    def word_count(self) -> int:
        words = len(self.title.split()) + len(self.body.split())
        return words + sum(len(str(o.get("text", "")).split()) for o in self.options)

    @property
    def estimated_seconds(self) -> int:
        """What the card takes, for the ~5-minute daily budget."""
        if self.kind == self.Kind.LESSON:
            return 20 + self.word_count // 4
        if self.kind == self.Kind.REFLECTION:
            return 60
        return 15 + self.word_count // 5


class Campaign(models.Model):
    """Modules aimed at an audience with a rhythm. Within one dimension (populations, teams,
    sites, departments) any value matches; every dimension that is filled in must match;
    ``newcomers`` adds the condition "hired in the last SYLVA_NEWCOMER_DAYS days"."""

    class Rhythm(models.TextChoices):
        DAILY = "daily", _("daily")
        WEEKLY = "weekly", _("weekly")

    name = models.CharField(_("name"), max_length=160)
    modules: models.ManyToManyField[Module, CampaignModule] = models.ManyToManyField(
        Module, verbose_name=_("modules"), related_name="campaigns", through="CampaignModule"
    )
    populations = models.ManyToManyField(
        Population, verbose_name=_("populations"), blank=True, related_name="+"
    )
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), blank=True, related_name="+")
    sites = models.ManyToManyField(Site, verbose_name=_("sites"), blank=True, related_name="+")
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), blank=True, related_name="+"
    )
    newcomers = models.BooleanField(_("newcomers only"), default=False)
    rhythm = models.CharField(
        _("rhythm"), max_length=8, choices=Rhythm.choices, default=Rhythm.DAILY
    )
    new_cards = models.PositiveSmallIntegerField(
        _("new cards per day (or per week)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Campaign]]

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name


class CampaignModule(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE)
    module = models.ForeignKey(Module, on_delete=models.CASCADE)
    position = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.campaign_id} · {self.module_id}"

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "module"], name="campaignmodule_unique")
        ]


class Learner(models.Model):
    """A person's microlearning state: streak, pause (holidays), leaderboard consent."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="learner")
    streak = models.PositiveIntegerField(default=0)
    best_streak = models.PositiveIntegerField(default=0)
    last_day = models.DateField(null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)
    on_leaderboards = models.BooleanField(_("appear by name on leaderboards"), default=False)

    objects: ClassVar[models.Manager[Learner]]

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")

    def __str__(self) -> str:
        return str(self.person)

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None


class Memory(models.Model):
    """One learner's memory of one card: the FSRS card state. Ungraded cards (lessons, polls,
    reflections) are kept with ``due`` empty once seen."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memories")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="memories")
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.PositiveSmallIntegerField(default=1)  # fsrs.State: 1 learning … 3 relearning
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(null=True, blank=True)
    last_review = models.DateTimeField(null=True, blank=True)
    last_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    first_seen = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Memory]]

    class Meta:
        verbose_name = _("memory of a card")
        verbose_name_plural = _("memories of cards")
        constraints = [models.UniqueConstraint(fields=["person", "card"], name="memory_unique")]
        indexes = [models.Index(fields=["person", "due"], name="memory_person_due")]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.card_id}"


#: the longest reflection a learner may write (an answer is JSON: the limit cannot be a field's)
REFLECTION_MAX_LENGTH = 2000


class Review(models.Model):
    """One answer. ``answer_id`` is generated by the client so that an answer sent twice
    (an offline replay) is recorded once."""

    class Context(models.TextChoices):
        TODAY = "today", _("daily rendez-vous")
        DUEL = "duel", _("duel")

    answer_id = models.UUIDField(unique=True, default=uuid.uuid4)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reviews")
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reviews")
    context = models.CharField(max_length=8, choices=Context.choices, default=Context.TODAY)
    response = models.JSONField(default=list, blank=True)  # a reflection: REFLECTION_MAX_LENGTH
    correct = models.BooleanField(null=True)  # None: not graded (lesson, poll, reflection)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)  # fsrs.Rating 1 to 4
    duration_ms = models.PositiveIntegerField(default=0)
    # days since the previous review of this card by this person (None: first time)
    elapsed_days = models.FloatField(null=True, blank=True)
    reviewed_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Review]]

    class Meta:
        ordering = ["-reviewed_at"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["person", "reviewed_at"], name="review_person_time"),
            models.Index(fields=["card", "reviewed_at"], name="review_card_time"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.card_id} · {self.reviewed_at:%Y-%m-%d}"


class OrgMemorySettings(models.Model):
    """The organisation's spaced-repetition settings (one row)."""

    desired_retention = models.FloatField(
        _("desired retention"),
        default=0.9,
        validators=[MinValueValidator(0.7), MaxValueValidator(0.97)],
    )
    parameters = models.JSONField(default=list, blank=True)  # fitted FSRS weights, [] = defaults
    fitted_at = models.DateTimeField(null=True, blank=True)
    fitted_reviews = models.PositiveIntegerField(default=0)
    log_loss_fitted = models.FloatField(null=True, blank=True)
    log_loss_default = models.FloatField(null=True, blank=True)

    objects: ClassVar[models.Manager[OrgMemorySettings]]

    class Meta:
        verbose_name = _("memory settings")
        verbose_name_plural = _("memory settings")

    @classmethod
    def current(cls) -> OrgMemorySettings:
        """The organisation's row, or the defaults while none was saved (a read writes
        nothing; saving the defaults stores the row, as pk 1)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @classmethod
    def for_update(cls) -> OrgMemorySettings:
        """The row, made if need be and locked, for a service that changes it (in its
        transaction)."""
        cls.objects.get_or_create(pk=1)
        return cls.objects.select_for_update().get(pk=1)

    def __str__(self) -> str:
        return f"retention {self.desired_retention}"


class Duel(models.Model):
    """Two colleagues answer the same questions of a module; compared when both finish.

    A challenge is an invitation: the challenger may play their side at once, the
    challenged colleague accepts (then plays) or declines it. An invitation not answered,
    or a duel not finished, within ``EXPIRY`` of its last step is closed as expired (the
    task ``close_expired_duels``)."""

    class State(models.TextChoices):
        INVITED = "invited", pgettext_lazy("duel", "invitation sent")
        ACCEPTED = "accepted", pgettext_lazy("duel", "accepted")
        DECLINED = "declined", pgettext_lazy("duel", "declined")
        EXPIRED = "expired", pgettext_lazy("duel", "expired")

    #: how long an invitation waits for an answer, and an accepted duel for its players
    EXPIRY = timedelta(days=3)
    #: the states in which the duel can still be played (or answered)
    OPEN = (State.INVITED, State.ACCEPTED)

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="duels")
    challenger = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="duels_sent")
    opponent = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="duels_received")
    card_ids = models.JSONField(default=list)
    rematch_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rematches"
    )
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.INVITED
    )
    # when the invitation was accepted or declined
    answered_at = models.DateTimeField(null=True, blank=True)
    # past this moment an open duel is closed as expired (empty: never, for older duels)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Duel]]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("duel")
        verbose_name_plural = _("duels")
        indexes = [
            models.Index(fields=["state", "expires_at"], name="duel_state_expiry"),
            models.Index(fields=["opponent", "state"], name="duel_opponent_state"),
        ]

    def __str__(self) -> str:
        return f"{self.challenger} × {self.opponent} · {self.module}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN

    def other_than(self, person: Person) -> Person:
        return self.opponent if person.pk == self.challenger_id else self.challenger

    def side(self, person: Person) -> str | None:
        if person.pk == self.challenger_id:
            return "challenger"
        if person.pk == self.opponent_id:
            return "opponent"
        return None


class DuelPlay(models.Model):
    """One side of a duel: answers given, score, when finished."""

    duel = models.ForeignKey(Duel, on_delete=models.CASCADE, related_name="plays")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="duel_plays")
    answers = models.JSONField(default=dict)  # card id -> {"correct", "ms", "points"}
    score = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[DuelPlay]]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["duel", "person"], name="duelplay_unique")]

    def __str__(self) -> str:
        return f"{self.duel_id} · {self.person_id}: {self.score}"


class TeamChallenge(models.Model):
    """A week-long challenge between teams: a team's score is the mean over all its members
    (including those who did not play) of the points they earned in the window."""

    name = models.CharField(_("name"), max_length=160)
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), related_name="+")
    module = models.ForeignKey(
        Module,
        verbose_name=_("module (optional)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[TeamChallenge]]

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("team challenge")
        verbose_name_plural = _("team challenges")

    def __str__(self) -> str:
        return self.name


class Badge(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="learning_badges")
    code = models.CharField(max_length=40)
    awarded_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Badge]]

    class Meta:
        ordering = ["-awarded_at"]
        constraints = [models.UniqueConstraint(fields=["person", "code"], name="badge_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.code}"


class ContentVersion(models.Model):
    """One row whose token changes whenever modules, cards or campaigns change (signals in
    ``signals.py``): the today page keeps the published catalogue and the running campaigns
    in memory and reads only this token per request to know they are still current. A random
    token, not a counter, so that a rolled-back change can never reuse a number."""

    token = models.UUIDField(default=uuid.uuid4)

    objects: ClassVar[models.Manager[ContentVersion]]

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self) -> str:
        return str(self.token)
