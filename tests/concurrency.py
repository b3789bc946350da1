"""Real concurrent clients for the race tests: SQLite serialises writers anyway, so these
run on PostgreSQL only (``make test`` runs the suite again there; ``.ci/run`` starts it).

``pytestmark = ON_POSTGRES`` (or ``@on_postgres`` on one test) marks a test for it;
``at_once(calls)`` runs each call in its own thread, on its own database connection, all
released together by a barrier, and says how each ended.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import pytest
from django.db import connections

from sylva.core.errors import ServiceError

ON_POSTGRES = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("SYLVA_DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (set SYLVA_DATABASE_URL=postgres://…)",
    ),
]

F = TypeVar("F", bound=Callable[..., Any])


def on_postgres(test: F) -> F:
    for mark in reversed(ON_POSTGRES):
        test = mark(test)
    return test


def at_once(calls: Sequence[Callable[[], object]]) -> list[object]:
    """Run every call at the same moment, each in its own thread with its own connection.

    Returns, in the calls' order, what each returned, or the ``ServiceError`` it raised (a
    refusal is an outcome); any other exception fails the test in the calling thread."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(i: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[i] = call()
        except ServiceError as exc:
            results[i] = exc
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def outcomes(results: Sequence[object]) -> list[str]:
    """``at_once``'s results as sorted words: "won", or "refused <status>"."""
    return sorted(f"refused {r.status}" if isinstance(r, ServiceError) else "won" for r in results)
