"""What insights contributes to the search across Sylva (its contract's ``search``): the
scopes whose learning health the reader may read — every department, site and team for
those who read the organisation's insights, the teams they manage for managers, nothing
for anyone else — and never a group of fewer than ``SYLVA_MIN_AGGREGATE`` people, whose
figures are not shown."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from sylva.core.pillars import SearchKind, SearchResult
from sylva.insights import queries
from sylva.people.models import Department, Person, Site, Team
from sylva.people.queries import Words, words_of

KINDS = (SearchKind("insights.scope", gettext_lazy("Learning health")),)


def _every_word(named: dict[str, set[int]]) -> set[int]:
    sets = list(named.values())
    return set.intersection(*sets) if sets else set()


def _url(kind: str, pk: int) -> str:
    return f"{reverse('insights:health')}?{urlencode({'scope': f'{kind}:{pk}'})}"


def _scopes(v: queries.Viewer, words: Words) -> list[tuple[str, object, int]]:
    """(kind, row, headcount) of the scopes the words name that the viewer may read."""
    active = Q(members__user__is_active=True)
    teams = Team.objects.filter(pk__in=_every_word(words.teams))
    if not v.org:
        teams = teams.filter(pk__in=v.teams)
    found: list[tuple[str, object, int]] = [
        ("team", t, t.headcount)
        for t in teams.select_related("department", "site").annotate(
            headcount=Count("members", filter=active)
        )
    ]
    if v.org:
        departments = Department.objects.filter(pk__in=_every_word(words.departments)).annotate(
            headcount=Count("teams__members", filter=Q(teams__members__user__is_active=True))
        )
        sites = Site.objects.filter(pk__in=_every_word(words.sites)).annotate(
            headcount=Count("people", filter=Q(people__user__is_active=True))
        )
        found += [("department", d, d.headcount) for d in departments]
        found += [("site", s, s.headcount) for s in sites]
    return [row for row in found if row[2] >= settings.SYLVA_MIN_AGGREGATE]


LABELS = {
    "department": gettext_lazy("Learning health of the department · %(n)s people"),
    "site": gettext_lazy("Learning health of the site · %(n)s people"),
    "team": gettext_lazy("Learning health of the team · %(n)s people"),
}


def results(person: Person, q: str, limit: int) -> list[SearchResult]:
    v = queries.viewer(person.user, person)
    if not v.any_aggregate:
        return []
    words = words_of(q)
    if not words.words:
        return []
    order = {"department": 2, "site": 1, "team": 0}
    found = sorted(_scopes(v, words), key=lambda row: (-order[row[0]], -row[2]))[:limit]
    return [
        SearchResult(
            "insights.scope",
            str(row),
            str(LABELS[kind] % {"n": headcount}),
            _url(kind, row.pk),  # type: ignore[attr-defined]
            order[kind] * 10_000 + headcount,
        )
        for kind, row, headcount in found
    ]
