"""Reads about the organisation, people and skills that are more than a filter."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sylva.people.models import (
    ApiToken,
    Department,
    LearningEvent,
    LearningWish,
    Level,
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
#: The most words of a search read (each adds a condition to the query).
MAX_WORDS = 6


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


@dataclass(frozen=True)
class Words:
    """The folded words of a directory search, and what each names among the small tables
    (skills by their French or English name or code, teams, departments, sites), read
    once per search in four queries whatever the size of the company."""

    words: tuple[str, ...]
    skills: dict[str, set[int]]
    teams: dict[str, set[int]]
    departments: dict[str, set[int]]
    sites: dict[str, set[int]]

    @property
    def all_skills(self) -> set[int]:
        return set().union(*self.skills.values()) if self.skills else set()


def _named(rows: list[tuple[Any, ...]], words: tuple[str, ...]) -> dict[str, set[int]]:
    folded = [(row[0], " ".join(fold(str(v)) for v in row[1:] if v)) for row in rows]
    return {w: {pk for pk, text in folded if w in text} for w in words}


def words_of(q: str) -> Words:
    words = tuple(dict.fromkeys(fold(q[:SEARCH_LENGTH]).split()))[:MAX_WORDS]
    if not words:
        return Words((), {}, {}, {}, {})
    return Words(
        words,
        _named(list(Skill.objects.values_list("pk", "name_fr", "name_en", "code")), words),
        _named(list(Team.objects.values_list("pk", "name")), words),
        _named(list(Department.objects.values_list("pk", "name_fr", "name_en", "code")), words),
        _named(list(Site.objects.values_list("pk", "name", "city", "code")), words),
    )


def _word_filter(w: Words, word: str) -> Q:
    """A person matches a word by name, job title or profile texts, team, department, site,
    a skill they hold or one they want to learn."""
    match = Q(search_name__contains=word) | Q(search_text__contains=word)
    if w.teams[word]:
        match |= Q(team_id__in=w.teams[word])
    if w.departments[word]:
        match |= Q(team__department_id__in=w.departments[word])
    if w.sites[word]:
        match |= Q(site_id__in=w.sites[word])
    if w.skills[word]:
        skills = w.skills[word]
        match |= Q(Exists(PersonSkill.objects.filter(person=OuterRef("pk"), skill_id__in=skills)))
        match |= Q(Exists(LearningWish.objects.filter(person=OuterRef("pk"), skill_id__in=skills)))
    return match


def _text_search(qs: QuerySet[Person], w: Words) -> QuerySet[Person]:
    """Every word matched somewhere; ``q_name`` (every word in the name) and ``q_level``
    (the best level held in a skill the words name) rank the directory."""
    for word in w.words:
        qs = qs.filter(_word_filter(w, word))
    in_name = Q()
    for word in w.words:
        in_name &= Q(search_name__contains=word)
    qs = qs.annotate(q_name=Case(When(in_name, then=Value(1)), default=Value(0)))
    skills = w.all_skills
    level = PersonSkill.objects.filter(person=OuterRef("pk"), skill_id__in=skills)
    return qs.annotate(
        q_level=Subquery(level.order_by("-level").values("level")[:1])
        if skills
        else Value(None, output_field=IntegerField())
    )


def search_people(f: DirectoryFilter, *, words: Words | None = None) -> QuerySet[Person]:
    """The directory: people matching every filter given.

    Words (``q``) are matched accent- and case-blind against the name, the job title, what
    one can share and wants to learn, the team, department and site, and the skills held or
    wished (see :func:`why_matched`); those whose name matches come first, then holders of a
    skill the words name by level, then the rest. With a skill (or a domain), holders come
    first by level; people hold a ``matched_level`` annotation (their level in that skill,
    or best level in that domain).
    """
    qs = people_base()
    order: list[Any] = []
    w = words or (words_of(f.q) if f.q else None)
    if w is not None and w.words:
        qs = _text_search(qs, w)
        order = [F("q_name").desc(), F("q_level").desc(nulls_last=True)]
    qs = _organisation_filters(qs, f)
    if f.skill or f.domain:
        qs = _skill_filter(qs, f)
        order = [F("matched_level").desc(), *order]
    return qs.order_by(*order, "last_name", "first_name", "pk")


def _organisation_filters(qs: QuerySet[Person], f: DirectoryFilter) -> QuerySet[Person]:
    if f.team:
        qs = qs.filter(team=f.team)
    if f.department:
        qs = qs.filter(team__department=f.department)
    if f.site:
        qs = qs.filter(site=f.site)
    return qs


def _skill_filter(qs: QuerySet[Person], f: DirectoryFilter) -> QuerySet[Person]:
    if f.skill:
        level = PersonSkill.objects.filter(person=OuterRef("pk"), skill=f.skill).values("level")
        return qs.annotate(matched_level=Subquery(level[:1])).filter(matched_level__gte=f.min_level)
    return qs.annotate(
        matched_level=Max("person_skills__level", filter=Q(person_skills__skill__domain=f.domain))
    ).filter(matched_level__gte=f.min_level)


@dataclass(frozen=True)
class Reason:
    """Why a person matched a directory search: ``kind`` is name, job, team, department,
    site, skill (with its level and whether they are happy to share it), wish, can_share
    or wants_to_learn (with an excerpt of the text)."""

    kind: str
    text: str
    level: int | None = None
    shares: bool = False

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level else ""

    def __str__(self) -> str:
        """As people read it: « Maintenance · level 4 · can teach · happy to share it »."""
        if self.kind == "skill":
            text = _("%(skill)s · level %(level)s") % {
                "skill": self.text,
                "level": self.level_label,
            }
            return f"{text} · {_('happy to share it')}" if self.shares else text
        return REASON_TEXTS[self.kind] % {"t": self.text}


REASON_TEXTS = {
    "name": gettext_lazy("name"),
    "job": gettext_lazy("job: %(t)s"),
    "team": gettext_lazy("team %(t)s"),
    "department": gettext_lazy("department %(t)s"),
    "site": gettext_lazy("site %(t)s"),
    "wish": gettext_lazy("wants to learn %(t)s"),
    "can_share": gettext_lazy("can share: “%(t)s”"),
    "wants_to_learn": gettext_lazy("wants to learn: “%(t)s”"),
}


#: Skills given as a reason, per person, at most.
REASON_SKILLS = 3


def _excerpt(text: str, word: str, width: int = 60) -> str:
    """The part of ``text`` around ``word`` (found in its folded form: the positions of a
    folded text are those of the original but for rare ligatures)."""
    at = max(0, fold(text).find(word))
    start = max(0, at - width // 3)
    cut = text[start : start + width].strip()
    return ("…" if start else "") + cut + ("…" if start + width < len(text) else "")


def _text_reasons(p: Person, words: tuple[str, ...]) -> list[Reason]:
    reasons = []
    for kind, text in (
        ("job", p.job_title),
        ("can_share", p.can_share),
        ("wants_to_learn", p.wants_to_learn),
    ):
        hit = next((word for word in words if word in fold(text)), None)
        if hit is not None:
            reasons.append(Reason(kind, text if kind == "job" else _excerpt(text, hit)))
    return reasons


def _place_reasons(p: Person, w: Words) -> list[Reason]:
    reasons = []
    named = set().union
    if p.team_id in named(*w.teams.values()) and p.team:
        reasons.append(Reason("team", p.team.name))
    department = p.department
    if department is not None and department.pk in named(*w.departments.values()):
        reasons.append(Reason("department", department.name))
    if p.site_id in named(*w.sites.values()) and p.site:
        reasons.append(Reason("site", p.site.name))
    return reasons


def why_matched(
    people: Iterable[Person], q: str, *, words: Words | None = None
) -> dict[int, list[Reason]]:
    """For the people of one page of a directory search, why each matched ``q``: in two
    queries (their skills and wishes among those the words name) plus :func:`words_of`'s."""
    people = list(people)
    w = words or words_of(q)
    if not w.words or not people:
        return {}
    ids = [p.pk for p in people]
    skills: dict[int, list[Reason]] = defaultdict(list)
    wishes: dict[int, list[Reason]] = defaultdict(list)
    if w.all_skills:
        held = PersonSkill.objects.filter(person_id__in=ids, skill_id__in=w.all_skills)
        for ps in held.select_related("skill").order_by("-level", "-willing_to_share"):
            skills[ps.person_id].append(
                Reason("skill", ps.skill.name, level=ps.level, shares=ps.willing_to_share)
            )
        wished = LearningWish.objects.filter(person_id__in=ids, skill_id__in=w.all_skills)
        for wish in wished.select_related("skill"):
            wishes[wish.person_id].append(Reason("wish", wish.skill.name))
    reasons: dict[int, list[Reason]] = {}
    for p in people:
        name = [Reason("name", p.full_name)] if any(x in p.search_name for x in w.words) else []
        reasons[p.pk] = [
            *name,
            *skills[p.pk][:REASON_SKILLS],
            *_text_reasons(p, w.words),
            *_place_reasons(p, w),
            *wishes[p.pk][:REASON_SKILLS],
        ]
    return reasons


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


def level_of(person: Person, skill: Skill) -> int | None:
    """The level ``person`` declares in ``skill``, or None when they do not hold it."""
    return (
        PersonSkill.objects.filter(person=person, skill=skill)
        .values_list("level", flat=True)
        .first()
    )


def wishes_for(person: Person, skill: Skill) -> bool:
    """Whether ``skill`` is on ``person``'s list of what they want to learn."""
    return LearningWish.objects.filter(person=person, skill=skill).exists()


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
