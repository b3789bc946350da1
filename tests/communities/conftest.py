"""The communities' tests read the pages and the API in English: the catalogues translate every
string into French (the default language), and tests/communities/test_french.py checks that side."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Services called outside a request (inbox items, notices) speak English here too,
    whatever language an earlier test of the same worker left active."""
    with translation.override("en"):
        yield
