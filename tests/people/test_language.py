"""French and English: the browser decides first, then the user's choice, remembered."""

import pytest
from django.test import Client

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_a_french_browser_gets_french_and_an_english_one_english(org) -> None:
    assert (
        'lang="fr"' in Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").get("/login/").content.decode()
    )
    assert (
        'lang="en"' in Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").get("/login/").content.decode()
    )


@pytest.mark.django_db
def test_the_choice_is_remembered_on_the_profile_and_follows_the_user(org) -> None:
    phone = Client(HTTP_ACCEPT_LANGUAGE="fr-FR")
    assert phone.login(username="learner", password=PASSWORD)
    response = phone.post("/language/", {"language": "en", "next": "/people/"})
    assert response.status_code == 302 and response["Location"] == "/people/"
    org.learner.refresh_from_db()
    assert org.learner.language == "en"
    assert 'lang="en"' in phone.get("/").content.decode()
    # another device with a French browser: after signing in, English again
    laptop = Client(HTTP_ACCEPT_LANGUAGE="fr-FR")
    laptop.post("/login/", {"username": "learner", "password": PASSWORD})
    page = laptop.get("/").content.decode()
    assert 'lang="en"' in page


@pytest.mark.django_db
def test_an_unknown_language_is_refused(org, client: Client) -> None:
    client.force_login(org.learner.user)
    assert client.post("/language/", {"language": "xx"}).status_code == 400
    org.learner.refresh_from_db()
    assert org.learner.language == ""


@pytest.mark.django_db
def test_the_switch_never_redirects_off_site(org, client: Client) -> None:
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_taxonomy_names_follow_the_language(org, client: Client) -> None:
    client.force_login(org.learner.user)
    client.post("/language/", {"language": "en"})
    assert "Extruder setup" in client.get("/skills/").content.decode()
    client.post("/language/", {"language": "fr"})
    assert "Réglage d&#x27;extrudeuse" in client.get("/skills/").content.decode()
