from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest

from sylva.core.errors import ServiceError
from sylva.people.models import Person
from sylva.people.services import ensure_person


def me(request: HttpRequest) -> Person:
    return ensure_person(request.user)


def page_of(request: HttpRequest, items: Any, size: int | None = None) -> Any:
    return Paginator(items, size or settings.SYLVA_PAGE_SIZE).get_page(request.GET.get("page"))


def apply_error(form: Any, exc: ServiceError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def query_without_page(request: HttpRequest) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
