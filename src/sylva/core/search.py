"""The search across Sylva, ``/search/?q=``: core names no app, so it asks every installed
app's ``search`` module (its contract, :class:`sylva.core.pillars.Pillar`) for what the
reader may see, and shows the results grouped by kind.

Each group shows at most :data:`GROUP_LIMIT` results and, when there are more, a link to
the pillar's own list filtered by the same words (the board, the directory), or to this
page with that kind alone (``?kind=``, paginated, at most :data:`KIND_LIMIT`). Every pillar
answers in a bounded number of queries whatever the size of the company
(tests/core/test_search.py counts them)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from sylva.core.pillars import SearchKind, SearchResult, pillars
from sylva.core.web import page_of, query_without_page

#: Results of each kind on the search page.
GROUP_LIMIT = 5
#: Results of one kind on the page of that kind alone (then: add a word).
KIND_LIMIT = 50
#: The shortest words searched (one letter would match nearly everything).
MIN_LENGTH = 2
#: The longest search read.
MAX_LENGTH = 100


@dataclass(frozen=True)
class Group:
    kind: SearchKind
    results: list[SearchResult]
    more: str | None  # the link to the rest, when there is a rest


def clean_query(text: str | None) -> str:
    """The words asked for, spaces collapsed, at most :data:`MAX_LENGTH` characters."""
    return " ".join((text or "")[: MAX_LENGTH * 2].split())[:MAX_LENGTH].strip()


def more_url(kind: SearchKind, q: str) -> str:
    """The pillar's own list for ``kind`` filtered by ``q``, or this page for that kind."""
    if kind.url_name:
        return f"{reverse(kind.url_name)}?{urlencode([*kind.params, ('q', q)])}"
    return f"{reverse('search')}?{urlencode([('q', q), ('kind', kind.key)])}"


def _visible_kinds(user: object) -> dict[str, SearchKind]:
    has_perm = getattr(user, "has_perm", None)
    return {
        kind.key: kind
        for config in pillars()
        for kind in config.search_kinds()
        if kind.permission is None or (has_perm is not None and has_perm(kind.permission))
    }


def gather(person: object, user: object, q: str, limit: int, only: str = "") -> list[Group]:
    """What every pillar found for ``q``, grouped by kind in the order of the pillars and
    of their ``KINDS``, each group cut at ``limit`` (one more is asked for, to know)."""
    kinds = _visible_kinds(user)
    found: dict[str, list[SearchResult]] = {key: [] for key in kinds}
    for config in pillars():
        if only and only not in {k.key for k in config.search_kinds()}:
            continue
        for result in config.search_results(person, q, limit + 1):
            if result.kind in found:
                found[result.kind].append(result)
    groups = []
    for key, results in found.items():
        if not results or (only and key != only):
            continue
        results.sort(key=lambda r: -r.rank)
        more = more_url(kinds[key], q) if len(results) > limit else None
        groups.append(Group(kinds[key], results[:limit], more))
    return groups


@login_required
def search(request: HttpRequest) -> HttpResponse:
    q = clean_query(request.GET.get("q"))
    only = request.GET.get("kind", "")
    person = getattr(request.user, "person", None)
    short = bool(q) and len(q) < MIN_LENGTH
    context: dict[str, object] = {"q": q, "short": short, "groups": [], "kind": None}
    if q and not short and person is not None:
        kinds = _visible_kinds(request.user)
        if only in kinds:
            groups = gather(person, request.user, q, KIND_LIMIT, only=only)
            context["kind"] = kinds[only]
            context["capped"] = bool(groups and groups[0].more)
            context["page"] = page_of(request, groups[0].results if groups else [])
            context["query_string"] = query_without_page(request)
            context["all_url"] = f"{reverse('search')}?{urlencode({'q': q})}"
        else:
            context["groups"] = gather(person, request.user, q, GROUP_LIMIT)
    return render(request, "core/search.html", context)
