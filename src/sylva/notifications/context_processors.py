"""The inbox count beside the navigation's entry, on every page (computed only when the
page shows it)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from sylva.notifications.queries import inbox_count
from sylva.people.web import current_person


def inbox(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        person = current_person(request)
        return inbox_count(person) if person is not None else 0

    return {"inbox_count": SimpleLazyObject(count)}
