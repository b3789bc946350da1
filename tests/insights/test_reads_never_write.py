"""A GET on insights, page or API, never writes: it reads the latest snapshot. Before a
window's first snapshot, it hands the computation to the background task (a row on the task
queue, once per window) and says the figures are being prepared. The test walks every route
of the pages' URL configuration and of the API router, so a new one is covered unchanged."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from sylva.insights import api, services, urls
from sylva.insights.models import Snapshot
from sylva.insights.queries import WINDOWS
from sylva.insights.tables import TABLES
from tests.insights.conftest import Activity

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
QUEUE = DBTaskResult._meta.db_table
#: the API's rate-limit counters (core.ratelimit, for every route): not a write of insights
COUNTERS = settings.CACHES["ratelimit"]["LOCATION"]


def _writes(queries: list[str]) -> list[str]:
    return [sql for sql in queries if WRITE.match(sql) and COUNTERS not in sql]


def _fill(path: str) -> str:
    """A route with its parameters filled in (a table's name, say)."""
    path = re.sub(r"<slug:table>", TABLES[0], path)
    return re.sub(r"\{name\}", TABLES[0], path)


def _get_routes() -> list[str]:
    pages = [f"/insights/{_fill(str(p.pattern))}" for p in urls.urlpatterns]
    operations = [
        f"/api/v1/insights{_fill(path)}"
        for path, view in api.router.path_operations.items()
        if any("GET" in op.methods for op in view.operations)
    ]
    return pages + operations


def _queries_of(client: Client, path: str) -> list[str]:
    client.get(path)  # a first visit may set up the session; the walk is of the next one
    with CaptureQueriesContext(connection) as captured:
        for window in WINDOWS:
            client.get(f"{path}{'&' if '?' in path else '?'}window={window}")
    return [q["sql"] for q in captured.captured_queries]


def test_the_walk_covers_the_pages_and_the_api() -> None:
    routes = _get_routes()
    assert "/insights/" in routes and "/api/v1/insights/health" in routes
    assert len(routes) >= 15


@pytest.mark.parametrize("who", ["animator", "manager", "learner"])
def test_no_get_writes_with_snapshots(activity: Activity, login, who: str) -> None:  # type: ignore[no-untyped-def]
    for window in WINDOWS:
        services.compute_snapshot(window_days=window)
    client: Client = login(getattr(activity.org, who))
    found = {path: _writes(_queries_of(client, path)) for path in _get_routes()}
    assert {path: sql for path, sql in found.items() if sql} == {}
    assert not DBTaskResult.objects.exists()


def test_before_the_first_snapshot_a_get_only_queues_it_once_per_window(
    activity: Activity, login
) -> None:  # type: ignore[no-untyped-def]
    client: Client = login(activity.org.animator)
    for path in _get_routes():
        writes = _writes(_queries_of(client, path))
        assert all(QUEUE in sql for sql in writes), (path, writes)
    assert not Snapshot.objects.exists()
    queued = sorted(r.args_kwargs["kwargs"]["window_days"] for r in DBTaskResult.objects.all())
    assert queued == sorted(WINDOWS)


def test_the_health_page_says_the_figures_are_being_prepared(activity: Activity, login) -> None:  # type: ignore[no-untyped-def]
    page = login(activity.org.animator).get("/insights/").content.decode()
    assert "being computed in the background" in page
