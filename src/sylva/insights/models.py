"""Snapshots of the ecosystem's health, and what the animator did with the levers."""

from __future__ import annotations

from functools import cached_property
from typing import ClassVar

from django.db import models
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sylva.insights.findings import Figures, Findings
from sylva.people.models import Person, Skill, SkillDomain, Team


class Snapshot(models.Model):
    """One recomputation over a window: the organisation's findings (levers, pictures) in
    ``data``; the figures of each scope in :class:`ScopeFigure` rows."""

    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    window_days = models.PositiveSmallIntegerField(_("window (days)"))
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    people = models.PositiveIntegerField(default=0)
    events = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    data = models.JSONField(default=dict)

    objects: ClassVar[models.Manager[Snapshot]]

    class Meta:
        ordering = ["-computed_at"]
        verbose_name = _("insights snapshot")
        verbose_name_plural = _("insights snapshots")
        indexes = [models.Index(fields=["window_days", "-computed_at"], name="snapshot_window")]

    def __str__(self) -> str:
        return f"{self.window_days} d · {self.computed_at:%Y-%m-%d %H:%M}"

    @cached_property
    def findings(self) -> Findings:
        """``data``, typed (read by attribute everywhere)."""
        return Findings.from_json(self.data)


class ScopeFigure(models.Model):
    class Kind(models.TextChoices):
        ORG = "org", _("organisation")
        DEPARTMENT = "department", _("department")
        SITE = "site", _("site")
        TEAM = "team", _("team")

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="figures")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    key = models.PositiveIntegerField(default=0)  # the department's, site's or team's pk
    headcount = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)

    objects: ClassVar[models.Manager[ScopeFigure]]

    class Meta:
        verbose_name = _("scope figures")
        verbose_name_plural = _("scope figures")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "kind", "key"], name="scopefigure_unique")
        ]
        indexes = [models.Index(fields=["kind", "key"], name="scopefigure_scope")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"

    @cached_property
    def figures(self) -> Figures:
        """``data``, typed (read by attribute everywhere)."""
        return Figures.from_json(self.data)


class Introduction(models.Model):
    """An introduction proposed from insights, between two people or two teams.

    Side a and side b are each told (``recipient_a``, ``recipient_b``: the two people, or
    the two teams' managers at the time) and answer once: they open a proposal of
    exchange to the other (``exchange``) or put it aside (``dismissed``). Until then the
    introduction waits in their inbox."""

    class Answer(models.TextChoices):
        WAITING = "", _("not answered yet")
        EXCHANGE = "exchange", _("opened a proposal of exchange")
        DISMISSED = "dismissed", _("not now")

    proposed_by = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="introductions_proposed"
    )
    person_a = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person_b = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team_a = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team_b = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    recipient_a = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_b = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_a = models.CharField(max_length=10, choices=Answer.choices, blank=True, default="")
    answer_b = models.CharField(max_length=10, choices=Answer.choices, blank=True, default="")
    answered_a_at = models.DateTimeField(null=True, blank=True)
    answered_b_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[Introduction]]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        # two people (or two teams) are introduced once, whichever way round and by whom
        constraints = [
            models.UniqueConstraint(
                Least("person_a", "person_b"),
                Greatest("person_a", "person_b"),
                condition=models.Q(person_a__isnull=False, person_b__isnull=False),
                name="introduction_people_once",
            ),
            models.UniqueConstraint(
                Least("team_a", "team_b"),
                Greatest("team_a", "team_b"),
                condition=models.Q(team_a__isnull=False, team_b__isnull=False),
                name="introduction_teams_once",
            ),
        ]

    def __str__(self) -> str:
        return self.reason or f"introduction {self.pk}"

    def answer_of(self, person: Person) -> str | None:
        """What the person answered ("" not yet), None if they were not told."""
        if self.recipient_a_id == person.pk:
            return self.answer_a
        if self.recipient_b_id == person.pk:
            return self.answer_b
        return None

    def other_side(self, person: Person) -> Person | None:
        """The other person told, seen from one of the two."""
        if self.recipient_a_id == person.pk:
            return self.recipient_b
        if self.recipient_b_id == person.pk:
            return self.recipient_a
        return None


class StructureDecision(models.Model):
    """A suggested light structure that someone accepted (a learning circle, a module, a
    community): the task it becomes for the designer or animator it names (``assignee``),
    done when they say so (``done_at``)."""

    class Kind(models.TextChoices):
        CIRCLE = "circle", _("learning circle")
        MODULE = "module", _("microlearning module")
        COMMUNITY = "community", _("community of practice")

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    skill = models.ForeignKey(
        Skill, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    domain = models.ForeignKey(
        SkillDomain, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    accepted_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)
    assignee = models.ForeignKey(
        Person,
        verbose_name=_("given to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="structure_tasks",
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    objects: ClassVar[models.Manager[StructureDecision]]

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("accepted structure")
        verbose_name_plural = _("accepted structures")

    def __str__(self) -> str:
        return self.key


class EventDay(models.Model):
    """A compact copy of one UTC day of the learning-event log: the integer columns insights
    read (actor, other, verb, skill, team, site, time) and course hours, as packed arrays.

    Kept up to date by :func:`sylva.insights.eventcopy.sync` before every recomputation: a
    day is read again from the log when its fingerprint (count of events and a sum the
    database reads from the time index alone) has changed. Never a source of truth."""

    day = models.DateField(unique=True)
    rows = models.PositiveIntegerField(default=0)
    courses = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=80)
    verbs = models.JSONField(default=list)  # the verb IRIs that the verb column indexes
    data = models.BinaryField()
    copied_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[EventDay]]

    class Meta:
        ordering = ["day"]
        verbose_name = _("copied day of events")
        verbose_name_plural = _("copied days of events")

    def __str__(self) -> str:
        return f"{self.day} ({self.rows} events)"
