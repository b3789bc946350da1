"""The content the today page needs — every card with its module, the published modules'
cards in order, the campaigns running on a day — kept in memory by each process and reloaded
when the content token changes (``models.ContentVersion``, renewed by
``services.catalogue.bump`` from ``signals``). A request
then reads only the token, within its one query (see ``queries.today``)."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sylva.microlearning.models import Campaign, Card, ContentVersion, Module
from sylva.microlearning.queries.audience import active_campaigns


@dataclass
class Catalogue:
    token: str | None
    cards: dict[int, Card]  # every card, its module attached
    by_module: dict[int, list[Card]]  # published modules' cards, in order
    _campaigns: dict[date, list[Campaign]] = field(default_factory=dict)
    html: dict[tuple[int, str, bool, bool], str] = field(default_factory=dict)  # rendered cards
    seconds: dict[int, int] = field(default_factory=dict)  # each card's estimate, by id

    def __post_init__(self) -> None:
        # the cards do not change while kept: their estimates are counted once, not per
        # learner (the batch of every queue reads them hundreds of thousands of times)
        self.seconds = {pk: card.estimated_seconds for pk, card in self.cards.items()}

    def campaigns(self, day: date) -> list[Campaign]:
        """The campaigns running on ``day`` (with their audiences and modules)."""
        running = self._campaigns.get(day)
        if running is None:
            days = sorted(self._campaigns)  # forget the oldest days (past days are rebuilt
            for old in days[: max(0, len(days) - 4)]:  # for streaks: today stays)
                self._campaigns.pop(old, None)
            running = self._campaigns[day] = active_campaigns(day)
        return running

    def published(self, card_id: int) -> Card | None:
        card = self.cards.get(card_id)
        if card is None or card.module.status != Module.Status.PUBLISHED:
            return None
        return card


_kept: dict[str, Catalogue] = {}
_lock = threading.Lock()


def load(token: str | None) -> Catalogue:
    cards = {c.pk: c for c in Card.objects.select_related("module").order_by("position", "pk")}
    by_module: dict[int, list[Card]] = defaultdict(list)
    for card in cards.values():
        if card.module.status == Module.Status.PUBLISHED:
            by_module[card.module_id].append(card)
    return Catalogue(token, cards, dict(by_module))


def current(token: str | None) -> Catalogue:
    """The catalogue for this content token. Without a token (content loaded in bulk, never
    changed through the models since) nothing is kept: it is read afresh."""
    if token is None:
        return load(None)
    token = str(token).replace("-", "").lower()
    kept = _kept.get("catalogue")
    if kept is not None and kept.token == token:
        return kept
    fresh = load(token)
    with _lock:
        _kept["catalogue"] = fresh
    return fresh


def token_now() -> str | None:
    token = ContentVersion.objects.filter(pk=1).values_list("token", flat=True).first()
    return token.hex if token else None
