from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PASSWORD, Org

#: The walks over every page or API route of Sylva as every viewer (confidentiality, garbage
#: input, wrong methods, page numbers, reads that must not write, the schema fuzzing) and the
#: whole-demo runs. They check what the views answer, which does not depend on the database
#: engine, and they are a third of the suite's time: `make test` runs them once, on SQLite;
#: the PostgreSQL run (`-m "not browser and not walk"`) runs every other test, the concurrency
#: tests among them. Run them on PostgreSQL too with
#: `SYLVA_DATABASE_URL=… pytest -m walk`.
WALKS = (
    "tests/core/test_confidentiality_walk.py",
    "tests/core/test_page_edges.py",
    "tests/core/test_reads_do_not_write.py",
    "tests/core/test_api_edges.py",
    "tests/core/test_schemathesis.py",
    "tests/core/test_pagination.py",
    "tests/core/test_a_new_pillar.py",
    "tests/core/test_env.py::test_the_demo_makes_a_local_key_says_so_and_relaxes_the_second_factor",
    "tests/people/test_seed.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.nodeid == w or item.nodeid.startswith(w + "::") for w in WALKS):
            item.add_marker(pytest.mark.walk)


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
