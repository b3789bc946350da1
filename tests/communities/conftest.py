"""The communities' tests read the pages and the API in English: the catalogues translate every
string into French (the default language), and tests/communities/test_french.py checks that side."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")
