"""What the answer forms of the today page and of duels carry, read once for both."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sylva.core.errors import ServiceError
from sylva.microlearning.models import Card


def response_from_form(card: Card, data: Any) -> Any:
    """The answer a card's form carries, in the shape services.answers.grade expects."""
    if card.kind == Card.Kind.LESSON:
        return []
    if card.kind == Card.Kind.REFLECTION:
        return str(data.get("text", ""))
    if card.kind == Card.Kind.ORDERING:
        positions: list[tuple[int, int]] = []
        for index in range(len(card.options)):
            try:
                positions.append((int(data.get(f"pos-{index}", "")), index))
            except ValueError:
                raise ServiceError(_("Put every item in order."), field="response") from None
        if sorted(p for p, _i in positions) != list(range(1, len(card.options) + 1)):
            raise ServiceError(_("Give each item a different place."), field="response")
        return [index for _p, index in sorted(positions)]
    try:
        return [int(v) for v in data.getlist("choice")]
    except ValueError:
        return None


def duration_from_form(data: Any) -> int:
    try:
        return max(0, min(int(data.get("duration_ms", 0)), 30 * 60 * 1000))
    except (TypeError, ValueError):
        return 0
