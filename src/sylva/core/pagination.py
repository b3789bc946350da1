"""The one pagination of the JSON API: ``?page=`` and ``?page_size=``, bounded.

The bounds are pydantic constraints, so they are enforced before any query runs (a 422 with
the field at fault) and declared in the OpenAPI document. ``page`` is bounded so that the
offset ``(page - 1) * page_size`` stays far below the 64-bit limits of SQLite and
PostgreSQL: without the bound, ``?page=10**17&page_size=100`` made every list a 500.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="1-based page number.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page."
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=DEFAULT_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        # The size comes from this request only: the paginator is shared by every request
        # of the operation, so nothing request-specific may be stored on it.
        size = pagination.page_size
        offset = (pagination.page - 1) * size
        return {
            self.items_attribute: queryset[offset : offset + size],
            "count": self._items_count(queryset),
        }
