"""A team seen by its manager: who knows what, where skills are thin, how the team learns.

Learning activity is an aggregate: it is shown only for teams of at least
``SYLVA_MIN_AGGREGATE`` people.

**Fragile points** are the team's skills that at most one member masters (level 3 or more).
They are ranked by what losing them would cost:

1. *critical* skills first: a skill of the team's own trade, i.e. at least half of the
   company's holders of it work in the team's department (``CRITICAL_SHARE``). A tool held
   all over the company (a spreadsheet, slides) is not critical to one team: anybody can
   teach it; a die-cutting setup held mostly in Production is;
2. then a skill that exactly one member masters (who would leave with it; alone holding it
   first), before one that nobody masters yet (a gap rather than a risk);
3. then the most team members wishing to learn it, the most specific.

Each point carries its next action: ask the one master to offer it (or offer it oneself),
or find who can teach it elsewhere and, when nobody masters it, start a team challenge.
Actions that live in a pillar are URL names resolved by string, dropped when that pillar is
not installed (people imports no pillar).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.people import queries, verbs
from sylva.people.models import LearningEvent, Person, PersonSkill, Skill, Team

#: a skill is critical to a team when at least this share of the company's holders of it
#: work in the team's department (it is the department's trade, not everybody's tool)
CRITICAL_SHARE = 0.5
#: how many fragile points the overview shows before "show all"
FRAGILE_SHOWN = 8


@dataclass
class Coverage:
    skill: Skill
    holders: int
    level_3_plus: int


@dataclass(frozen=True)
class Action:
    label: str
    url: str


@dataclass
class FragilePoint:
    """A skill the team could lose: at most one member masters it."""

    skill: Skill
    holders: list[Person]
    masters: list[Person]
    critical: bool
    #: the share of the company's holders of the skill who work in the team's department
    share: float
    #: team members who said they want to learn it
    wishes: int
    actions: list[Action] = field(default_factory=list)

    @property
    def rank_key(self) -> tuple[Any, ...]:
        return (
            not self.critical,
            len(self.masters) != 1,
            len(self.holders) != 1,
            -self.wishes,
            -self.share,
            self.skill.name,
        )

    @property
    def share_percent(self) -> int:
        return round(self.share * 100)


@dataclass
class TeamOverview:
    team: Team
    members: list[Person]
    coverage: list[Coverage]
    activity: dict[str, int] | None
    window_days: int = 90
    headcount: int = 0
    matrix_skills: list[Skill] = field(default_factory=list)
    fragile: list[FragilePoint] = field(default_factory=list)
    #: the team's pages in other pillars (its memory, its challenges), by what they show
    links: list[Action] = field(default_factory=list)
    fragile_shown: int = FRAGILE_SHOWN

    @property
    def fragile_first(self) -> list[FragilePoint]:
        return self.fragile[: self.fragile_shown]

    @property
    def fragile_rest(self) -> list[FragilePoint]:
        return self.fragile[self.fragile_shown :]

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
        fragile=fragile_points(team, members, viewer),
        links=team_links(team),
    )


def optional_url(name: str, *args: Any) -> str | None:
    """The URL of a pillar's page named by string, None when that pillar is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def team_links(team: Team) -> list[Action]:
    candidates = [
        (_("The team's memory"), optional_url("microlearning:team_memory", team.pk)),
        (_("Challenges"), optional_url("microlearning:challenges")),
    ]
    return [Action(str(label), url) for label, url in candidates if url]


def department_shares(team: Team, skill_ids: set[int]) -> dict[int, float]:
    """For each skill, the share of the company's holders who work in ``team``'s department."""
    total: Counter[int] = Counter()
    inside: Counter[int] = Counter()
    rows = (
        PersonSkill.objects.filter(skill_id__in=skill_ids, person__user__is_active=True)
        .values("skill_id", "person__team__department_id")
        .annotate(n=Count("id"))
    )
    for row in rows:
        total[row["skill_id"]] += row["n"]
        if row["person__team__department_id"] == team.department_id:
            inside[row["skill_id"]] += row["n"]
    return {sid: inside[sid] / total[sid] for sid in total}


def fragile_points(team: Team, members: list[Person], viewer: Person) -> list[FragilePoint]:
    """The team's skills mastered (level 3+) by at most one member, ranked (module doc)."""
    holders: dict[int, list[Person]] = {}
    masters: dict[int, list[Person]] = {}
    skills: dict[int, Skill] = {}
    for m in members:
        for held in m.person_skills.all():
            skills[held.skill_id] = held.skill
            holders.setdefault(held.skill_id, []).append(m)
            if held.level >= 3:
                masters.setdefault(held.skill_id, []).append(m)
    wishes = Counter(w.skill_id for m in members for w in m.wishes.all())
    fragile = [sid for sid in skills if len(masters.get(sid, [])) <= 1]
    shares = department_shares(team, set(fragile))
    points = [
        FragilePoint(
            skill=skills[sid],
            holders=holders[sid],
            masters=masters.get(sid, []),
            critical=shares.get(sid, 0.0) >= CRITICAL_SHARE,
            share=shares.get(sid, 0.0),
            wishes=wishes[sid],
        )
        for sid in fragile
    ]
    points.sort(key=lambda p: p.rank_key)
    for point in points:
        point.actions = fragile_actions(point, viewer)
    return points


def fragile_actions(point: FragilePoint, viewer: Person) -> list[Action]:
    """What the manager can do about a fragile point, the likeliest first."""
    actions: list[Action] = []
    if len(point.masters) == 1 and point.masters[0].pk == viewer.pk:
        offer = optional_url("exchange:new_offer")
        if offer:
            actions.append(Action(_("Offer it yourself on the exchange board"), offer))
    elif len(point.masters) == 1:
        master = point.masters[0]
        actions.append(
            Action(
                _("Ask %(name)s to offer it") % {"name": master.full_name},
                reverse("people:person", args=[master.pk]),
            )
        )
    else:
        actions.append(
            Action(_("Find who can teach it"), reverse("people:skill", args=[point.skill.code]))
        )
    challenge = optional_url("microlearning:new_team_challenge") if not point.masters else None
    if challenge:
        actions.append(Action(_("Start a team challenge"), challenge))
    return actions
