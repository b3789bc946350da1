from typing import Any

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client

from tests.factories import Org


@pytest.mark.django_db
def test_healthz_and_readyz_answer(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "migrations": "ok"}


def _database_down(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    raise OperationalError("connection to server at 127.0.0.1, port 1 failed: refused")


def _probe_clients(org: Org) -> dict[str, Client]:
    """Whatever a probe (or a person's browser pointed at a probe) may send."""
    signed_in = Client(raise_request_exception=False)
    signed_in.force_login(org.learner.user)
    stale = Client(raise_request_exception=False)
    stale.cookies["sessionid"] = "a-session-that-does-not-exist"
    stale.cookies["csrftoken"] = "not-a-token"
    bearer = Client(raise_request_exception=False, HTTP_AUTHORIZATION="Bearer sylva_nonsense")
    other_host = Client(raise_request_exception=False, HTTP_HOST="10.0.0.7:8000")
    return {
        "signed in": signed_in,
        "stale cookies": stale,
        "bad token": bearer,
        "pod ip": other_host,
    }


@pytest.mark.django_db
def test_probes_answer_whatever_cookies_session_or_auth_are_sent(org: Org) -> None:
    for name, client in _probe_clients(org).items():
        for method in ("get", "head", "post"):
            health = getattr(client, method)("/healthz")
            assert health.status_code == 200, (name, method, health.content)
            ready = getattr(client, method)("/readyz")
            assert ready.status_code == 200, (name, method, ready.content)
        assert "Set-Cookie" not in client.get("/healthz").headers, name


@pytest.mark.django_db
def test_healthz_never_touches_the_database_and_readyz_says_503(org: Org) -> None:
    clients = _probe_clients(org)
    with connection.execute_wrapper(_database_down):
        for name, client in clients.items():
            health = client.get("/healthz")
            assert health.status_code == 200, (name, health.content)
            assert health.json() == {"status": "ok"}
            ready = client.get("/readyz")
            assert ready.status_code == 503, (name, ready.content)
            assert ready["Content-Type"].startswith("application/json")
            assert ready.json()["status"] == "unavailable"
