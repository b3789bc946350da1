"""A GET never writes: every page of the URL resolver and every GET route of the API, read
by a colleague and by an animator over the world of the confidentiality walk, runs no
INSERT, UPDATE or DELETE (the session and the rate-limit counters excepted: they are the
request's own bookkeeping, not the product's data).

A page that computes and stores something on a visit (a snapshot, a "seen" flag, a lazily
created row) fails here with the URL and the statement; such work belongs to a POST, a
service called by a task, or the seed.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from tests.core.test_confidentiality_walk import (
    Planted,
    _api_schema,
    _candidates,
    _client,
    _fill,
    _page_urls,
    _patterns,
    planted,
)
from tests.exchange.conftest import xboard as xboard

pytestmark = pytest.mark.walk

__all__ = ["planted", "xboard"]

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
BOOKKEEPING = ("django_session", "sylva_ratelimit_cache")
READERS = ("outsider", "animator")


def _writes(queries: list[dict[str, Any]]) -> list[str]:
    return [
        q["sql"][:120]
        for q in queries
        if WRITE.match(q["sql"]) and not any(table in q["sql"] for table in BOOKKEEPING)
    ]


def _get_all(client: Any, urls: list[str]) -> list[str]:
    found = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code == 405:
            break  # a form action: it answers no GET
        found += [f"GET {url}: {sql}" for sql in _writes(captured.captured_queries)]
    return found


def test_no_page_writes_on_a_get(planted: Planted) -> None:
    values = _candidates(planted)
    entries = dict(_patterns(get_resolver()))
    names = [
        name
        for name in sorted(entries)
        if not name.startswith(("admin:", "api:")) and name not in {"logout", "set_language"}
    ]
    found: list[str] = []
    for role in READERS:
        client = _client(planted, role)
        for name in names:
            found += _get_all(client, _page_urls(name, entries[name], values))
    assert not found, "\n".join(found[:30])


def test_no_api_route_writes_on_a_get(planted: Planted) -> None:
    values = _candidates(planted)
    found: list[str] = []
    for role in READERS:
        client = _client(planted, role)
        for path, operations in _api_schema()["paths"].items():
            get = operations.get("get")
            if get is not None:
                found += _get_all(client, _fill(path, get.get("parameters", []), values))
    assert not found, "\n".join(found[:30])
