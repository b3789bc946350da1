"""What the communities give the search across Sylva (filled in by the search area)."""

from __future__ import annotations

from typing import Any

from sylva.core.pillars import SearchKind, SearchResult

KINDS: tuple[SearchKind, ...] = ()


def results(person: Any, q: str, limit: int) -> list[SearchResult]:
    return []
