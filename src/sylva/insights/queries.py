"""Reads of insights: who may see what, the latest snapshot, a scope's figures and trend,
and a learner's own figures (computed live: they concern one person, who may see them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.core.errors import NotFound, ServiceError
from sylva.exchange import queries as exchange_queries
from sylva.insights.load import FORMS
from sylva.insights.metrics.skills import hill_number
from sylva.insights.models import Introduction, ScopeFigure, Snapshot, StructureDecision
from sylva.people import queries as people_queries
from sylva.people import verbs
from sylva.people.models import Department, LearningEvent, Person, PersonSkill, Site, Team

SCOPE_KINDS = ("org", "department", "site", "team")
WINDOWS = (30, 90, 180)  # the windows a snapshot is computed over, in days
DEFAULT_WINDOW = 90


def window_or_default(text: str | None) -> int:
    """A page's ``?window=``: one of the windows, else the default (never an error)."""
    value = int(text) if text and text.isdigit() and len(text) < 4 else 0
    return value if value in WINDOWS else DEFAULT_WINDOW


@dataclass
class Viewer:
    """What a signed-in person may read in insights."""

    person: Person
    org: bool = False  # the animator: the whole organisation
    teams: set[int] = field(default_factory=set)  # a manager: the teams they manage

    @property
    def any_aggregate(self) -> bool:
        return self.org or bool(self.teams)


def viewer(user: Any, person: Person) -> Viewer:
    org = bool(user.has_perm("people.view_org_insights"))
    teams: set[int] = set()
    if user.has_perm("people.view_team_people"):
        teams = set(people_queries.managed_teams(person).values_list("pk", flat=True))
    return Viewer(person=person, org=org, teams=teams)


@dataclass(frozen=True)
class Scope:
    kind: str
    key: int = 0

    @property
    def code(self) -> str:
        return "org" if self.kind == "org" else f"{self.kind}:{self.key}"


def parse_scope(text: str | None) -> Scope:
    if not text or text == "org":
        return Scope("org")
    kind, _sep, key = text.partition(":")
    if kind not in SCOPE_KINDS[1:] or not key.isdigit():
        raise ServiceError(_("Unknown scope %(scope)s.") % {"scope": text}, field="scope")
    return Scope(kind, int(key))


def default_scope(v: Viewer) -> Scope:
    if v.org:
        return Scope("org")
    if v.teams:
        return Scope("team", min(v.teams))
    raise PermissionDenied(_("Only your own figures are open to you."))


def check_scope(v: Viewer, scope: Scope) -> None:
    """Animators read every scope; managers the teams they manage; others none."""
    if v.org:
        return
    if scope.kind == "team" and scope.key in v.teams:
        return
    raise PermissionDenied(_("You may not see the insights of this scope."))


def scope_name(scope: Scope) -> str:
    if scope.kind == "org":
        return str(settings.SYLVA_ORGANISATION_NAME)
    model = {"department": Department, "site": Site, "team": Team}[scope.kind]
    obj = model.objects.filter(pk=scope.key).first()  # type: ignore[attr-defined]
    if obj is None:
        raise NotFound(_("Unknown scope."), field="scope")
    return str(obj)


def latest(window_days: int) -> Snapshot | None:
    return Snapshot.objects.filter(window_days=window_days).order_by("-computed_at").first()


def figures(snapshot: Snapshot, scope: Scope) -> ScopeFigure | None:
    return ScopeFigure.objects.filter(snapshot=snapshot, kind=scope.kind, key=scope.key).first()


def children(snapshot: Snapshot, scope: Scope, v: Viewer) -> list[ScopeFigure]:
    """The scopes one level down that the viewer may see: departments of the organisation,
    teams of a department or site."""
    if scope.kind == "org" and v.org:
        return list(
            ScopeFigure.objects.filter(snapshot=snapshot, kind="department").order_by("key")
        )
    if scope.kind in ("department", "site") and v.org:
        teams = Team.objects.filter(**{f"{scope.kind}_id": scope.key}).values_list("pk", flat=True)
        return list(
            ScopeFigure.objects.filter(
                snapshot=snapshot, kind="team", key__in=list(teams)
            ).order_by("key")
        )
    return []


def history(scope: Scope, window_days: int, *, limit: int = 24) -> list[ScopeFigure]:
    """The scope's figures in the last ``limit`` snapshots of this window, oldest first (each
    with its ``snapshot``)."""
    rows = (
        ScopeFigure.objects.filter(
            kind=scope.kind, key=scope.key, snapshot__window_days=window_days
        )
        .select_related("snapshot")
        .order_by("-snapshot__computed_at")[:limit]
    )
    return list(reversed(list(rows)))


def my_figures(person: Person, *, window_days: int) -> dict[str, Any]:
    """A learner's own figures over the window: how their learning is spread over the forms,
    how many colleagues they helped and learned from."""
    since = timezone.now() - timedelta(days=window_days)
    form_of = {v.iri: v.form.value for v in verbs.BY_CODE.values()}
    mix = dict.fromkeys(FORMS, 0)
    for verb in LearningEvent.objects.filter(actor=person, timestamp__gte=since).values_list(
        "verb", flat=True
    ):
        form = form_of.get(verb)
        if form in mix:
            mix[form] += 1
    helper = [verbs.verb(c).iri for c in ("taught", "responded", "gave-feedback")]
    helped = LearningEvent.objects.filter(
        Q(actor=person, verb__in=helper) | Q(other=person, verb=verbs.verb("learned-from").iri),
        timestamp__gte=since,
        other__isnull=False,
    )
    learned = LearningEvent.objects.filter(
        Q(actor=person, verb=verbs.verb("learned-from").iri) | Q(other=person, verb__in=helper),
        timestamp__gte=since,
    )
    gave = {o for a, o in helped.values_list("actor_id", "other_id") if a == person.pk} | {
        a for a, o in helped.values_list("actor_id", "other_id") if o == person.pk
    }
    got = set()
    for a, o in learned.values_list("actor_id", "other_id"):
        got.add(o if a == person.pk else a)
    total = sum(mix.values())
    in_work = sum(mix[f.value] for f in verbs.IN_THE_WORK)
    return {
        "window_days": window_days,
        "form_mix": mix,
        "events": total,
        "forms_effective": round(hill_number(np.array(list(mix.values())), 1.0), 2),
        "in_work_share": round(in_work / total, 4) if total else None,
        "helped_people": len(gave - {None, person.pk}),
        "learned_from_people": len(got - {None, person.pk}),
    }


def check_introduction(v: Viewer, ids: dict[str, int]) -> None:
    """An animator introduces anyone; a manager only people or teams of their own teams
    (one of the two at least). What is judged is what ``services.propose_introduction``
    introduces: the two people when both are named, else the two teams — never a team
    named beside two people of other teams."""
    if v.org:
        return
    if ids.get("person_a") and ids.get("person_b"):
        teams = set(
            Person.objects.filter(pk__in=[ids["person_a"], ids["person_b"]]).values_list(
                "team_id", flat=True
            )
        )
    else:
        teams = {ids[k] for k in ("team_a", "team_b") if ids.get(k)}
    if not v.teams or not (teams & v.teams):
        raise PermissionDenied(_("You may introduce people of the teams you manage only."))


# --- introductions: the pairs already introduced, what each side answered ---------------

SENT_SHOWN = 30  # introductions sent listed on the links page, newest first


Pairs = dict[frozenset[int], Introduction]


def introduced_pairs() -> tuple[Pairs, Pairs]:
    """The introductions already made, by unordered pair of people and of teams (the first
    of each): the suggestions leave them out, read at the moment the page is read (a
    snapshot computed before an introduction still lists its pair)."""
    people: Pairs = {}
    teams: Pairs = {}
    for intro in Introduction.objects.order_by("-created_at").only(
        "pk", "person_a", "person_b", "team_a", "team_b", "created_at"
    ):
        if intro.person_a_id and intro.person_b_id:
            people[frozenset((intro.person_a_id, intro.person_b_id))] = intro
        elif intro.team_a_id and intro.team_b_id:
            teams[frozenset((intro.team_a_id, intro.team_b_id))] = intro
    return people, teams


def sent_introductions(v: Viewer, *, limit: int = SENT_SHOWN) -> list[Introduction]:
    """The introductions the viewer may follow up, newest first: every one for an
    animator; for a manager, those of the people or teams of the teams they manage. Pairs
    of people of whom one has since withdrawn their consent to be named are left out."""
    qs = Introduction.objects.select_related(
        "proposed_by",
        "person_a__team",
        "person_b__team",
        "team_a",
        "team_b",
        "skill",
        "recipient_a",
        "recipient_b",
    ).order_by("-created_at", "-pk")
    if not v.org:
        teams = list(v.teams)
        qs = qs.filter(
            Q(person_a__team__in=teams)
            | Q(person_b__team__in=teams)
            | Q(team_a__in=teams)
            | Q(team_b__in=teams)
        )
    qs = qs.exclude(person_a__visible_in_insights=False).exclude(
        person_b__visible_in_insights=False
    )
    return list(qs[:limit])


def _exchanged_since(person: Person, other_field: str) -> Exists:
    """Whether ``person`` and the introduction's other side have an exchange proposed
    since the introduction (whoever proposed it, from the email's link or the board)."""
    return Exists(
        exchange_queries.my_exchanges(person)
        .filter(Q(teacher=OuterRef(other_field)) | Q(learner=OuterRef(other_field)))
        .filter(created_at__gte=OuterRef("created_at"))
    )


def _introductions_waiting(person: Person) -> QuerySet[Introduction]:
    return Introduction.objects.filter(
        (Q(recipient_a=person, answer_a="") & ~_exchanged_since(person, "recipient_b"))
        | (Q(recipient_b=person, answer_b="") & ~_exchanged_since(person, "recipient_a"))
    )


def introductions_waiting_on(person: Person) -> list[tuple[Introduction, Person]]:
    """The introductions the person was told of and has not acted on yet (no proposal
    opened, not put aside), with the other side, oldest first."""
    rows = _introductions_waiting(person).select_related(
        "proposed_by", "recipient_a__team", "recipient_b__team", "skill", "team_a", "team_b"
    )
    out = []
    for intro in rows.order_by("created_at", "pk"):
        other = intro.recipient_b if intro.recipient_a_id == person.pk else intro.recipient_a
        if other is not None:
            out.append((intro, other))
    return out


def introductions_waiting(person: Person) -> QuerySet[Introduction]:
    """The introductions the person has not answered yet (and that nothing answered since)."""
    return _introductions_waiting(person)


def side_of(intro: Introduction, person: Person) -> str | None:
    """ "a" or "b": which side of the introduction the person was told as, None if neither."""
    if intro.recipient_a_id == person.pk:
        return "a"
    if intro.recipient_b_id == person.pk:
        return "b"
    return None


def proposal_role(intro: Introduction, person: Person, other: Person) -> str:
    """Whether ``person`` would "teach" or "learn" the introduction's skill with ``other``:
    the one who holds it at the higher level teaches; at the same level, side a (who holds
    the skill in a suggestion: "a could help b") teaches."""
    if intro.skill_id:
        levels = dict(
            PersonSkill.objects.filter(
                skill_id=intro.skill_id, person__in=[person.pk, other.pk]
            ).values_list("person_id", "level")
        )
        mine, theirs = levels.get(person.pk, 0), levels.get(other.pk, 0)
        if mine != theirs:
            return "teach" if mine > theirs else "learn"
    return "teach" if side_of(intro, person) == "a" else "learn"


def proposal_url(intro: Introduction, person: Person, other: Person) -> str:
    """The exchange pillar's proposal to ``other``, prefilled with the skill and the
    person's role; the board when that page is not installed."""
    params: dict[str, object] = {"with": other.pk}
    if intro.skill_id:
        params["skill"] = intro.skill_id
    params["as"] = proposal_role(intro, person, other)
    try:
        return reverse("exchange:propose_to") + "?" + urlencode(params)
    except NoReverseMatch:
        return reverse("exchange:board")


# --- structure tasks ----------------------------------------------------------------------

TASK_ROLES = ("designer", "animator")


def task_assignees() -> QuerySet[Person]:
    """Who an accepted structure can be given to: active people with the designer or
    animator role."""
    return (
        Person.objects.filter(user__is_active=True, user__groups__name__in=TASK_ROLES)
        .select_related("team")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def tasks_of(person: Person) -> QuerySet[StructureDecision]:
    """The accepted structures given to the person and not done yet, oldest first."""
    return (
        StructureDecision.objects.filter(assignee=person, done_at__isnull=True)
        .select_related("skill", "domain", "accepted_by")
        .order_by("accepted_at", "pk")
    )


def tasks_given_by(person: Person) -> QuerySet[StructureDecision]:
    """The accepted structures the person gave to someone else, not done yet."""
    return (
        StructureDecision.objects.filter(accepted_by=person, done_at__isnull=True)
        .exclude(assignee=person)
        .exclude(assignee__isnull=True)
        .select_related("skill", "domain", "assignee")
        .order_by("accepted_at", "pk")
    )


def decisions_by_key() -> dict[str, StructureDecision]:
    return {d.key: d for d in StructureDecision.objects.select_related("assignee", "accepted_by")}


def structure_row(
    snapshot: Snapshot | None, kind: str, *, skill: int | None, domain: int | None
) -> dict[str, int] | None:
    """The snapshot's figures behind a suggested structure (people, teams), if it has one."""
    if snapshot is None:
        return None
    for row in snapshot.findings.structures:
        if row.kind == kind and row.skill == skill and row.domain == domain:
            return {"people": row.people, "teams": row.teams}
    return None
