"""Fixtures of the notification tests: real local servers (SMTP, a hanging TCP server, an
HTTP capture playing a push service or a chat webhook), a VAPID key pair, and notice kinds
of a test pillar (the real pillars declare theirs in their own change)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from py_vapid import Vapid

from sylva.core.pillars import NoticeKind
from sylva.notifications import queries
from tests.notifications.servers import HTTPServer, SilentServer, SMTPServer

#: the kinds these tests send (besides the ground's own "notifications.digest")
TEST_KINDS = (
    NoticeKind("test.proposed", "Someone proposes something"),
    NoticeKind("test.scheduled", "Something is scheduled", urgent=True),
)


@pytest.fixture(autouse=True)
def test_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    declared = queries.notice_kinds

    def kinds() -> dict[str, NoticeKind]:
        return {**declared(), **{kind.key: kind for kind in TEST_KINDS}}

    monkeypatch.setattr(queries, "notice_kinds", kinds)


@pytest.fixture(autouse=True)
def _no_push_by_default(settings: Any) -> None:
    settings.SYLVA_VAPID_PRIVATE_KEY = ""
    settings.SYLVA_VAPID_PUBLIC_KEY = ""
    settings.SYLVA_VAPID_PRIVATE_KEY_FILE = ""
    settings.SYLVA_BASE_URL = "https://sylva.example.org"


@pytest.fixture
def smtp(settings: Any) -> Iterator[SMTPServer]:
    """A real SMTP server on 127.0.0.1, and Django's SMTP backend pointed at it."""
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        yield server


@pytest.fixture
def silent_smtp(settings: Any) -> Iterator[SilentServer]:
    """A mail server that accepts the connection and never answers (EMAIL_TIMEOUT=1)."""
    with SilentServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 1
        yield server


@pytest.fixture
def http() -> Iterator[HTTPServer]:
    """An HTTP server on 127.0.0.1 keeping every request (a push service, a webhook)."""
    with HTTPServer() as server:
        yield server


@pytest.fixture
def vapid(settings: Any) -> Vapid:
    """A fresh VAPID key pair, its private key in the settings as ``vapid --gen`` writes it
    (PEM)."""
    key = Vapid()
    key.generate_keys()
    settings.SYLVA_VAPID_PRIVATE_KEY = key.private_pem().decode()
    settings.SYLVA_VAPID_SUBJECT = "mailto:ops@example.org"
    return key
