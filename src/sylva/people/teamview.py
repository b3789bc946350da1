"""A team seen by its manager: who knows what, where skills are thin, how the team learns.

Learning activity is an aggregate: it is shown only for teams of at least
``SYLVA_MIN_AGGREGATE`` people.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.people import queries, verbs
from sylva.people.models import LearningEvent, Person, Skill, Team


@dataclass
class Coverage:
    skill: Skill
    holders: int
    level_3_plus: int


@dataclass
class TeamOverview:
    team: Team
    members: list[Person]
    coverage: list[Coverage]
    activity: dict[str, int] | None
    window_days: int = 90
    headcount: int = 0
    matrix_skills: list[Skill] = field(default_factory=list)

    def as_api(self) -> dict[str, Any]:
        self.team.headcount = self.headcount  # type: ignore[attr-defined]
        return {
            "team": self.team,
            "members": self.members,
            "coverage": self.coverage,
            "activity": self.activity,
        }

    def level(self, person: Person, skill: Skill) -> int | None:
        for held in person.person_skills.all():
            if held.skill_id == skill.pk:
                return held.level
        return None


def can_view_team(user: Any, person: Person, team: Team) -> bool:
    if user.has_perm("people.view_org_insights"):
        return True
    return bool(user.has_perm("people.view_team_people") and team.manager_id == person.pk)


def team_overview(*, viewer: Person, user: Any, team: Team, window_days: int = 90) -> TeamOverview:
    if not can_view_team(user, viewer, team):
        raise PermissionDenied(
            _("Only this team's manager and learning animators see its overview.")
        )
    members = list(
        queries.people_base()
        .filter(team=team)
        .prefetch_related("populations", "wishes__skill__domain", "person_skills__skill__domain")
    )
    counts: dict[int, list[int]] = {}
    skills: dict[int, Skill] = {}
    for m in members:
        for held in m.person_skills.all():
            skills[held.skill_id] = held.skill
            c = counts.setdefault(held.skill_id, [0, 0])
            c[0] += 1
            c[1] += held.level >= 3
    coverage = sorted(
        (Coverage(skills[sid], c[0], c[1]) for sid, c in counts.items()),
        key=lambda c: (-c.holders, c.skill.name),
    )
    activity: dict[str, int] | None = None
    if len(members) >= settings.SYLVA_MIN_AGGREGATE:
        since = timezone.now() - timedelta(days=window_days)
        rows = (
            LearningEvent.objects.filter(actor__in=members, timestamp__gte=since)
            .values("verb")
            .annotate(n=Count("id"))
        )
        by_form: Counter[str] = Counter()
        for row in rows:
            v = verbs.BY_IRI.get(row["verb"])
            if v is not None and v.form != verbs.Form.PROFILE:
                by_form[v.form.value] += row["n"]
        activity = {
            form.value: by_form.get(form.value, 0)
            for form in verbs.Form
            if form != verbs.Form.PROFILE
        }
    return TeamOverview(
        team=team,
        members=members,
        coverage=coverage,
        activity=activity,
        window_days=window_days,
        headcount=len(members),
        matrix_skills=[c.skill for c in coverage[:12]],
    )
