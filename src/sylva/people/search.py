"""What people contributes to the search across Sylva (its contract's ``search``):
colleagues (the directory's own search, ranked and with why each matched), skills (with
how many hold them) and teams. Each kind is for those who may open its pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from sylva.core.pillars import SearchKind, SearchResult
from sylva.people import queries
from sylva.people.models import Person, Skill, Team

KINDS = (
    SearchKind(
        "people.person", gettext_lazy("Colleagues"), "people:directory", (), "people.view_person"
    ),
    SearchKind("people.skill", gettext_lazy("Skills"), "people:skills", (), "people.view_skill"),
    SearchKind("people.team", gettext_lazy("Teams"), None, (), "people.view_team"),
)


def _every_word(named: dict[str, set[int]]) -> set[int]:
    """The rows every word names."""
    sets = list(named.values())
    return set.intersection(*sets) if sets else set()


def _colleagues(words: queries.Words, q: str, limit: int) -> list[SearchResult]:
    people = list(queries.search_people(queries.DirectoryFilter(q=q), words=words)[:limit])
    reasons = queries.why_matched(people, q, words=words)
    results = []
    for rank, p in enumerate(people):
        about = [p.job_title, p.team.name if p.team else "", p.site.name if p.site else ""]
        # what the line already says (the team, the site, the job) is not said twice
        said = {"name", "job", "team", "site"}
        why = [str(r) for r in reasons.get(p.pk, []) if r.kind not in said][:2]
        detail = " · ".join(t for t in about if t)
        if why:
            detail = f"{detail} — {'; '.join(why)}" if detail else "; ".join(why)
        url = reverse("people:person", args=[p.pk])
        results.append(SearchResult("people.person", p.full_name, detail, url, -rank))
    return results


def _skills(words: queries.Words, limit: int) -> list[SearchResult]:
    skills = (
        Skill.objects.filter(pk__in=_every_word(words.skills))
        .select_related("domain")
        .annotate(
            holder_count=Count(
                "person_skills", filter=Q(person_skills__person__user__is_active=True)
            ),
            teacher_count=Count(
                "person_skills",
                filter=Q(person_skills__level=4, person_skills__person__user__is_active=True),
            ),
        )
        .order_by("-holder_count", "name_fr")[:limit]
    )
    return [
        SearchResult(
            "people.skill",
            s.name,
            _describe_skill(s),
            reverse("people:skill", args=[s.code]),
            s.holder_count,
        )
        for s in skills
    ]


def _describe_skill(s: Any) -> str:
    """A skill annotated with ``holder_count`` and ``teacher_count``, as people read it."""
    holders = ngettext("%(n)s holds it", "%(n)s hold it", s.holder_count)
    teachers = ngettext("%(n)s can teach it", "%(n)s can teach it", s.teacher_count)
    return " · ".join(
        (
            s.domain.name,
            holders % {"n": s.holder_count},
            teachers % {"n": s.teacher_count},
        )
    )


def _teams(words: queries.Words, limit: int) -> list[SearchResult]:
    teams = (
        Team.objects.filter(pk__in=_every_word(words.teams))
        .select_related("department", "site")
        .order_by("name", "pk")[:limit]
    )
    return [
        SearchResult(
            "people.team",
            t.name,
            f"{t.department.name} · {t.site.name}",
            reverse("people:team", args=[t.pk]),
        )
        for t in teams
    ]


def results(person: Person, q: str, limit: int) -> list[SearchResult]:
    user = person.user
    kinds = {k.key for k in KINDS if k.permission is None or user.has_perm(k.permission)}
    words = queries.words_of(q)
    if not words.words or not kinds:
        return []
    found: list[SearchResult] = []
    if "people.person" in kinds:
        found += _colleagues(words, q, limit)
    if "people.skill" in kinds:
        found += _skills(words, limit)
    if "people.team" in kinds:
        found += _teams(words, limit)
    return found
