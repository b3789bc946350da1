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

from django.db.models import Q

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
    # the published versions of a module in several languages: for each of them, the
    # versions of its work by language (one dict shared by the versions of a work)
    versions: dict[int, dict[str, int]] = field(default_factory=dict)

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
    works: dict[int, dict[str, int]] = defaultdict(dict)
    for card in cards.values():
        module = card.module
        if module.status == Module.Status.PUBLISHED:
            by_module[card.module_id].append(card)
            works[module.translation_of_id or module.pk].setdefault(module.language, module.pk)
    versions = {
        module_id: group
        for group in works.values()
        if len(group) > 1
        for module_id in group.values()
    }
    return Catalogue(token, cards, dict(by_module), versions=versions)


def version_for(
    module_id: int,
    language: str,
    versions: dict[int, dict[str, int]],
    by_module: dict[int, list[Card]],
    seen: set[int],
) -> int:
    """The version of module ``module_id`` a learner reading ``language`` is given: the
    version they have begun if any (never two versions of one module to one person), else
    the one in their language, else the module itself."""
    group = versions.get(module_id)
    if not group:
        return module_id
    mine = group.get(language)
    begun = [m for m in group.values() if any(c.id in seen for c in by_module.get(m, ()))]
    if begun:
        return mine if mine in begun else begun[0]
    return mine if mine is not None else module_id


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


def versions_of(module: Module) -> list[Module]:
    """The other versions of ``module`` (its original and its translations), by language."""
    work = module.translation_of_id or module.pk
    return list(
        Module.objects.filter(Q(pk=work) | Q(translation_of_id=work))
        .exclude(pk=module.pk)
        .order_by("language", "title")
    )
