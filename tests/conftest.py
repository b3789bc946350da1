from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, Org


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    """Tests make many accounts: hash their passwords cheaply (never do this in production)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests sign administrators in with force_login: the second factor is tested on its own
    # (tests/core/test_second_factor.py turns it back on).
    settings.SYLVA_MFA_ENFORCED = False


@pytest.fixture
def unlimited_api(settings):  # type: ignore[no-untyped-def]
    """For the walks over every API operation (thousands of calls by one person in a minute):
    the rate limit has its own tests (tests/core/test_security.py)."""
    settings.SYLVA_API_RATE = None
    settings.SYLVA_API_ADDRESS_RATE = None


@pytest.fixture
def org(db: None) -> Org:
    return Org()


@pytest.fixture
def login(client: Client):  # type: ignore[no-untyped-def]
    """``login(person)`` signs a person in on the test client and returns the client."""

    def _login(person):  # type: ignore[no-untyped-def]
        client.force_login(person.user)
        return client

    return _login


@pytest.fixture
def api_client() -> Client:
    return Client(enforce_csrf_checks=True)


__all__ = ["PASSWORD"]
