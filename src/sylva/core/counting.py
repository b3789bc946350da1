"""Several counts in one query: what every page's shell needs for its inbox badge.

``count_together(qs1, qs2, …)`` is ``[qs1.count(), qs2.count(), …]`` read in a single
``SELECT (SELECT COUNT(*) FROM (…)), (SELECT COUNT(*) FROM (…)), …`` — the same SQL each
queryset would run, compiled by Django for the database at hand, so it holds on SQLite and
on PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def count_together(querysets: Sequence[QuerySet[Any]]) -> list[int]:
    """Each queryset's ``count()``, in one query (none when there is nothing to count)."""
    if not querysets:
        return []
    using = {qs.db for qs in querysets}
    if len(using) != 1:
        raise ValueError(f"count_together counts in one database, not {sorted(using)}")
    (db,) = using
    parts: list[str] = []
    params: list[Any] = []
    for i, qs in enumerate(querysets):
        inner = (qs if qs.query.is_sliced else qs.order_by()).values("pk")
        try:
            sql, inner_params = inner.query.get_compiler(using=db).as_sql()
        except EmptyResultSet:  # .none(), or a filter on an empty list
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) sylva_count_{i})")
        params.extend(inner_params)
    with connections[db].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return [int(n) for n in row]


def count_waiting(querysets: Sequence[QuerySet[Any]]) -> int:
    """How many rows the querysets hold together (an inbox module's ``waiting(person)``:
    how many things wait on the person), in one query."""
    return sum(count_together(list(querysets)))
