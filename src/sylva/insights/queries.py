"""Reads of insights: who may see what, the latest snapshot, a scope's figures and trend,
and a learner's own figures (computed live: they concern one person, who may see them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.core.errors import NotFound, ServiceError
from sylva.insights.load import FORMS
from sylva.insights.metrics.skills import hill_number
from sylva.insights.models import ScopeFigure, Snapshot
from sylva.people import queries as people_queries
from sylva.people import verbs
from sylva.people.models import Department, LearningEvent, Person, Site, Team

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
