from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest

from sylva.core.pages import apply_error  # noqa: F401 (used by the views)
from sylva.people.models import Person
from sylva.people.services import ensure_person


def me(request: HttpRequest) -> Person:
    return ensure_person(request.user)


def page_of(request: HttpRequest, items: Any, size: int | None = None) -> Any:
    return Paginator(items, size or settings.SYLVA_PAGE_SIZE).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
