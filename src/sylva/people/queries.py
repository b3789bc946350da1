"""Reads about the organisation, people and skills that are more than a filter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from sylva.people.models import (
    ApiToken,
    Department,
    LearningEvent,
    LearningWish,
    Person,
    PersonSkill,
    Site,
    Skill,
    SkillDomain,
    Team,
)
from sylva.people.text import fold

#: The longest search text read (a name in the directory, a skill in the taxonomy).
SEARCH_LENGTH = 100


@dataclass(frozen=True)
class DirectoryFilter:
    q: str = ""
    skill: Skill | None = None
    domain: SkillDomain | None = None
    team: Team | None = None
    department: Department | None = None
    site: Site | None = None
    min_level: int = 1

    @property
    def active(self) -> bool:
        return bool(
            self.q or self.skill or self.domain or self.team or self.department or self.site
        )


def people_base() -> QuerySet[Person]:
    return Person.objects.filter(user__is_active=True).select_related(
        "team__department", "site", "manager"
    )


def search_people(f: DirectoryFilter) -> QuerySet[Person]:
    """The directory: people matching every filter given.

    With a skill (or a domain), holders come first by level, then by name; people hold a
    ``matched_level`` annotation (their level in that skill, or best level in that domain).
    """
    qs = people_base()
    if f.q:
        for word in fold(f.q).split():
            qs = qs.filter(search_name__contains=word)
    if f.team:
        qs = qs.filter(team=f.team)
    if f.department:
        qs = qs.filter(team__department=f.department)
    if f.site:
        qs = qs.filter(site=f.site)
    if f.skill:
        level = PersonSkill.objects.filter(person=OuterRef("pk"), skill=f.skill).values("level")
        qs = qs.annotate(matched_level=Subquery(level[:1])).filter(matched_level__gte=f.min_level)
        return qs.order_by("-matched_level", "last_name", "first_name", "pk")
    if f.domain:
        qs = qs.annotate(
            matched_level=Max(
                "person_skills__level", filter=Q(person_skills__skill__domain=f.domain)
            )
        ).filter(matched_level__gte=f.min_level)
        return qs.order_by("-matched_level", "last_name", "first_name", "pk")
    return qs.order_by("last_name", "first_name", "pk")


def profile(person_id: int) -> Person:
    """A person with what their profile page shows, in a fixed number of queries."""
    return (
        people_base()
        .prefetch_related(
            "populations",
            Prefetch(
                "person_skills",
                queryset=PersonSkill.objects.select_related("skill__domain").order_by(
                    "-level", "skill__name_fr"
                ),
            ),
            Prefetch("wishes", queryset=_wishes()),
        )
        .get(pk=person_id)
    )


def _wishes() -> QuerySet:
    return LearningWish.objects.select_related("skill__domain")


def skill_holders(skill: Skill, *, min_level: int = 1) -> QuerySet[PersonSkill]:
    return (
        PersonSkill.objects.filter(skill=skill, level__gte=min_level, person__user__is_active=True)
        .select_related("person__team__department", "person__site")
        .order_by("-level", "-willing_to_share", "person__last_name", "person__first_name")
    )


def domains_with_counts() -> QuerySet[SkillDomain]:
    return SkillDomain.objects.annotate(skill_count=Count("skills", distinct=True)).order_by(
        "name_fr"
    )


def skills_with_counts(*, domain: SkillDomain | None = None, q: str = "") -> list[Skill]:
    """Skills with ``holder_count`` (any level) and ``teacher_count`` (level 4)."""
    qs = Skill.objects.select_related("domain").annotate(
        holder_count=Count("person_skills", distinct=True),
        teacher_count=Count("person_skills", filter=Q(person_skills__level=4), distinct=True),
    )
    if domain is not None:
        qs = qs.filter(domain=domain)
    skills: list[Skill] = list(qs.order_by("name_fr"))
    if q:
        words = fold(q).split()
        skills = [
            s
            for s in skills
            if all(w in fold(s.name_fr) or w in fold(s.name_en) or w in s.code for w in words)
        ]
    return skills


def departments_overview() -> QuerySet[Department]:
    return Department.objects.select_related("head").annotate(
        team_count=Count("teams", distinct=True),
        headcount=Count(
            "teams__members", filter=Q(teams__members__user__is_active=True), distinct=True
        ),
    )


def teams_of(department: Department) -> QuerySet[Team]:
    return (
        Team.objects.filter(department=department)
        .select_related("site", "manager")
        .annotate(headcount=Count("members", filter=Q(members__user__is_active=True)))
        .order_by("name", "site__name")
    )


def sites_overview() -> QuerySet[Site]:
    return Site.objects.annotate(
        headcount=Count("people", filter=Q(people__user__is_active=True), distinct=True),
        team_count=Count("teams", distinct=True),
    )


def team_members(team: Team) -> QuerySet[Person]:
    return (
        people_base()
        .filter(team=team)
        .prefetch_related(
            Prefetch(
                "person_skills",
                queryset=PersonSkill.objects.select_related("skill").order_by("-level"),
            )
        )
    )


def managed_teams(person: Person) -> QuerySet[Team]:
    return Team.objects.filter(manager=person).select_related("department", "site")


def recent_events(person: Person, *, limit: int = 10) -> QuerySet[LearningEvent]:
    return (
        LearningEvent.objects.filter(actor=person)
        .select_related("skill", "other")
        .order_by("-timestamp")[:limit]
    )


def newcomers(*, limit: int = 10) -> QuerySet[Person]:
    since = timezone.localdate() - timedelta(days=settings.SYLVA_NEWCOMER_DAYS)
    return people_base().filter(hire_date__gt=since).order_by("-hire_date")[:limit]


def suggested_teachers(person: Person, *, limit: int = 5) -> list[PersonSkill]:
    """For each skill I want to learn, the best colleague who can teach it (level 4 first,
    someone from another team preferred), for the home page."""
    suggestions: list[PersonSkill] = []
    for wish in person.wishes.select_related("skill")[:limit]:
        holder = (
            skill_holders(wish.skill, min_level=3)
            .exclude(person=person)
            .order_by("-level", "-willing_to_share", "person__last_name")
            .first()
        )
        if holder is not None:
            suggestions.append(holder)
    return suggestions


def tokens_of(*, person: Person) -> list[ApiToken]:
    """The person's tokens, newest first (those of an old password were revoked when it
    changed: sylva.people.signals)."""
    return list(ApiToken.objects.filter(person=person))
