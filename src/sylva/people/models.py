"""Organisation, people, skills, personal API tokens and the learning-event log."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sylva.people.text import PROFILE_TEXTS, fold, profile_text


class Bilingual(models.Model):
    """A row named in French and English; ``name`` follows the active language."""

    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        lang = (get_language() or "fr")[:2]
        return (self.name_en if lang == "en" else self.name_fr) or self.name_fr or self.name_en

    def __str__(self) -> str:
        return self.name


class Site(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    city = models.CharField(_("city"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name


class Department(Bilingual):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    head = models.ForeignKey(
        "Person",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="teams"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="teams"
    )
    manager = models.ForeignKey(
        "Person",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_teams",
    )

    class Meta:
        ordering = ["department__name_fr", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["department", "site", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Population(Bilingual):
    """A group of people that content and campaigns can be aimed at (field staff, sales…)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("population")
        verbose_name_plural = _("populations")


class SkillDomain(Bilingual):
    code = models.SlugField(_("code"), max_length=60, unique=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("skill domain")
        verbose_name_plural = _("skill domains")


class Skill(Bilingual):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    domain = models.ForeignKey(
        SkillDomain, verbose_name=_("domain"), on_delete=models.PROTECT, related_name="skills"
    )
    name_fr = models.CharField(_("name (French)"), max_length=120, db_index=True)
    name_en = models.CharField(_("name (English)"), max_length=120, db_index=True)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class Level(models.IntegerChoices):
    DISCOVERING = 1, _("1 · discovering")
    PRACTISING = 2, _("2 · practising")
    MASTERING = 3, _("3 · mastering")
    TEACHING = 4, _("4 · can teach")


class Person(models.Model):
    class Language(models.TextChoices):
        FRENCH = "fr", _("French")
        ENGLISH = "en", _("English")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    populations = models.ManyToManyField(
        Population, verbose_name=_("populations"), blank=True, related_name="people"
    )
    hire_date = models.DateField(_("hire date"), default=date.today)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, blank=True, default=""
    )
    can_share = models.TextField(_("what I can share"), blank=True, max_length=2000)
    wants_to_learn = models.TextField(_("what I want to learn"), blank=True, max_length=2000)
    visible_in_insights = models.BooleanField(
        _("appear by name in insights"),
        default=False,
        help_text=_("Let learning animators see my name where insights list people."),
    )
    skills: models.ManyToManyField[Skill, PersonSkill] = models.ManyToManyField(
        Skill, through="PersonSkill", related_name="holders", verbose_name=_("skills")
    )
    # "first last", lower case without accents: kept in step by save() for accent-blind search.
    search_name = models.CharField(max_length=170, editable=False, db_index=True, default="")
    # the job title and what one can share and wants to learn, folded the same way: the
    # directory's text search reads it (people.queries.search_people)
    search_text = models.TextField(editable=False, blank=True, default="", db_default="")

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [
            ("view_team_people", _("Can see the people and skills of the teams one manages")),
            ("view_org_insights", _("Can read the organisation's learning insights")),
            ("author_content", _("Can author learning content")),
        ]
        indexes = [models.Index(fields=["hire_date"])]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_name = fold(self.full_name)
        self.search_text = profile_text(self.job_title, self.can_share, self.wants_to_learn)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        if update_fields is not None and set(PROFILE_TEXTS) & set(update_fields):
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def initials(self) -> str:
        return (self.first_name[:1] + self.last_name[:1]).upper()

    @property
    def is_newcomer(self) -> bool:
        limit = timezone.localdate() - timedelta(days=settings.SYLVA_NEWCOMER_DAYS)
        return self.hire_date > limit

    @property
    def department(self) -> Department | None:
        return self.team.department if self.team_id and self.team else None


class PersonSkill(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="person_skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="person_skills")
    level = models.PositiveSmallIntegerField(
        _("level"),
        choices=Level.choices,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    willing_to_share = models.BooleanField(_("happy to share it"), default=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-level", "skill__name_fr"]
        verbose_name = _("skill held")
        verbose_name_plural = _("skills held")
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="personskill_unique"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1) & models.Q(level__lte=4),
                name="personskill_level_range",
            ),
        ]
        indexes = [models.Index(fields=["skill", "-level"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.skill} ({self.level})"


class LearningWish(models.Model):
    """A skill someone wants to learn."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="wishes")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="wishes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["skill__name_fr"]
        verbose_name = _("learning wish")
        verbose_name_plural = _("learning wishes")
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="learningwish_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.skill}"


TOKEN_DEFAULT_DAYS = 90
TOKEN_MAX_DAYS = 365


def token_default_expiry() -> datetime:
    return timezone.now() + timedelta(days=TOKEN_DEFAULT_DAYS)


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest of the secret is stored.

    It expires (``expires_at``, at most a year after it was made), may be read-only, and
    dies with the password it was made under (``password_mark``: a digest of the account's
    password hash at creation; any password change, by any path, makes it stale)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), default=token_default_expiry)
    read_only = models.BooleanField(_("read-only"), default=False)
    password_mark = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class LearningEvent(models.Model):
    """One learning moment, shaped as an xAPI statement. Every pillar writes here through
    :func:`sylva.people.services.record_event`; insights read it.

    The context columns (team, department, site) are the actor's at the moment of the event,
    so that moving team later does not rewrite history.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    actor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    verb = models.CharField(max_length=200)
    object_type = models.CharField(max_length=40, default="Activity")
    object_id = models.CharField(max_length=400)
    object_name = models.CharField(max_length=300, blank=True)
    skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    result = models.JSONField(null=True, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    other = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="events_as_other"
    )
    timestamp = models.DateTimeField(default=timezone.now)
    stored = models.DateTimeField(default=timezone.now)
    statement = models.JSONField()

    objects: ClassVar[models.Manager[LearningEvent]]

    class Meta:
        ordering = ["-timestamp"]
        verbose_name = _("learning event")
        verbose_name_plural = _("learning events")
        indexes = [
            models.Index(fields=["timestamp"], name="event_time"),
            models.Index(fields=["actor", "timestamp"], name="event_actor_time"),
            models.Index(fields=["verb", "timestamp"], name="event_verb_time"),
            models.Index(fields=["department", "timestamp"], name="event_dept_time"),
            models.Index(fields=["other", "timestamp"], name="event_other_time"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.verb.rsplit('/', 1)[-1]} {self.object_name or self.object_id}"
