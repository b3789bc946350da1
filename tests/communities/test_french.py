"""The communities in French, the default language: its pages."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import Org

pytestmark = pytest.mark.django_db


def test_the_home_and_a_refusal_speak_french(org: Org) -> None:
    client = Client()  # no Accept-Language: Sylva's default, French
    client.force_login(org.learner.user)
    html = client.get("/communities/").content.decode()
    assert 'lang="fr"' in html and "Trouver une communauté" in html
    reply_form = client.get("/communities/new/").content.decode()
    assert 'lang="fr"' in reply_form
