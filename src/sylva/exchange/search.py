"""What the exchange contributes to the search across Sylva (its contract's ``search``):
the open offers and requests of the board, exactly as the board shows them to everyone
signed in (its own filter, so that the "more" link lists the same). Never an exchange, a
message or a review: what is said within an exchange stays between its two people."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sylva.core.pillars import SearchKind, SearchResult
from sylva.exchange import queries
from sylva.people.models import Person

KINDS = (
    SearchKind(
        "exchange.offer",
        gettext_lazy("Offers on the board"),
        "exchange:board",
        (("kind", "offers"),),
    ),
    SearchKind(
        "exchange.request",
        gettext_lazy("Requests on the board"),
        "exchange:board",
        (("kind", "requests"),),
    ),
)

#: The description's excerpt shown under a posting.
EXCERPT_WORDS = 14


def _postings(kind: str, qs: QuerySet[Any], q: str, limit: int) -> list[SearchResult]:
    found = list(queries.filter_board(qs, queries.BoardFilter(q=q))[:limit])
    results = []
    for rank, posting in enumerate(found):
        by = (_("Offered by %(name)s") if kind == "exchange.offer" else _("Asked by %(name)s")) % {
            "name": posting.person.full_name
        }
        parts = [by, posting.site.name if posting.site else ""]
        parts.append(Truncator(posting.text).words(EXCERPT_WORDS))
        name = "offer" if kind == "exchange.offer" else "request"
        results.append(
            SearchResult(
                kind,
                posting.skill_names() or _("(no skill)"),
                " · ".join(p for p in parts if p),
                reverse(f"exchange:{name}", args=[posting.pk]),
                -rank,
            )
        )
    return results


def results(person: Person, q: str, limit: int) -> list[SearchResult]:
    if not q.strip():
        return []
    return [
        *_postings("exchange.offer", queries.board_offers(), q, limit),
        *_postings("exchange.request", queries.board_requests(), q, limit),
    ]
