from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest
from django.utils.translation import gettext as _

from sylva.core.errors import ServiceError
from sylva.core.pages import apply_error  # noqa: F401 (used by the views)
from sylva.microlearning.models import Card
from sylva.people.models import Person
from sylva.people.services import ensure_person


def perm_page(perm: str) -> Any:
    def decorate(view: Any) -> Any:
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorate


def me(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)  # already there: no transaction to open
    return person if person is not None else ensure_person(request.user)


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
