"""What the sample pillar gives the search across Sylva: one thing, found by its name, to
show that /search/ picks up a pillar's contribution."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from sylva.core.pillars import SearchKind, SearchResult

KINDS = (SearchKind("sample_pillar.thing", "Sample things", "sample_pillar:home"),)


def results(person: Any, q: str, limit: int) -> list[SearchResult]:
    if "sample" not in q.casefold():
        return []
    url = reverse("sample_pillar:home")
    return [SearchResult("sample_pillar.thing", "sample-search-result", "found", url)][:limit]
