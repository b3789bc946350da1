"""French is first-class: the learner-facing messages and refusals come out in French for a
French browser (Accept-Language) and for a person whose profile says French, whatever the
browser says; services speak the active language."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from sylva.core.errors import ServiceError
from sylva.microlearning.models import Card, Duel, Review
from sylva.microlearning.queries.today import today
from sylva.microlearning.services import answers, challenges
from sylva.people.models import Person
from tests.factories import PASSWORD
from tests.microlearning.test_answers import _do_today

FR = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}


def _refusal(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value.message


def test_service_refusals_in_french(org, module, campaign) -> None:  # type: ignore[no-untyped-def]
    first, second = today(org.learner).cards[:2]

    def answer(person: Person, card: Card, response: object) -> None:
        answers.answer_card(
            person=person,
            card_id=card.pk,
            answer_id=uuid.uuid4(),
            response=response,
            duration_ms=9000,
        )

    answer(org.learner, second, second.correct_indexes)
    with translation.override("fr"):
        assert (
            _refusal(lambda: answer(org.learner, second, second.correct_indexes))
            == "Cette carte n'est pas à revoir aujourd'hui."
        )
        assert _refusal(lambda: answer(org.learner, second, [9])) in (
            "Choisissez parmi les propositions.",
            "Cette carte n'est pas à revoir aujourd'hui.",
        )
        assert (
            _refusal(
                lambda: challenges.start_duel(
                    challenger=org.learner, opponent=org.learner, module=module
                )
            )
            == "Défiez un collègue, pas vous-même."
        )
        answers.pause(person=org.learner)
        assert (
            _refusal(lambda: answer(org.learner, first, []))
            == "Votre rendez-vous est en pause ; reprenez-le pour répondre."
        )
        assert _refusal(lambda: answers.pause(person=org.learner)) == (
            "Votre rendez-vous est déjà en pause."
        )
    assert Review.objects.count() == 1


def test_the_rendez_vous_in_french_for_a_french_browser(org, client, campaign) -> None:  # type: ignore[no-untyped-def]
    client.force_login(org.learner.user)
    page = client.get(reverse("microlearning:today"), **FR).content.decode()
    assert "Rendez-vous du jour" in page and "4 cartes" in page and "🔥 0 jour" in page
    home = client.get("/", **FR).content.decode()
    assert "Rendez-vous du jour" in home and "4 cartes" in home
    card = Card.objects.get(kind="single")
    wrong = client.post(
        reverse("microlearning:answer", args=[card.pk]),
        {"answer_id": str(uuid.uuid4()), "choice": "1", "duration_ms": "4000"},
        HTTP_HX_REQUEST="true",
        **FR,
    ).content.decode()
    assert "Pas tout à fait." in wrong and "Bonne réponse :" in wrong and ">Suivant<" in wrong
    other = Card.objects.get(kind="multiple")
    refused = client.post(
        reverse("microlearning:answer", args=[other.pk]),
        {"answer_id": str(uuid.uuid4()), "duration_ms": "4000"},
        HTTP_HX_REQUEST="true",
        **FR,
    ).content.decode()
    assert "Choisissez parmi les propositions." in refused
    again = client.post(
        reverse("microlearning:answer", args=[card.pk]),
        {"answer_id": str(uuid.uuid4()), "choice": "0", "duration_ms": "4000"},
        HTTP_HX_REQUEST="true",
        **FR,
    ).content.decode()
    assert "Cette carte n&#x27;est pas à revoir aujourd&#x27;hui." in again


def test_done_for_today_in_french(org, client, campaign) -> None:  # type: ignore[no-untyped-def]
    _do_today(org.learner)
    client.force_login(org.learner.user)
    home = client.get("/", **FR).content.decode()
    assert "Terminé pour aujourd&#x27;hui" in home or "Terminé pour aujourd'hui" in home
    assert "🔥 1 jour" in home


def test_a_french_profile_gets_french_whatever_the_browser(org, client, module) -> None:  # type: ignore[no-untyped-def]
    Person.objects.filter(pk=org.learner.pk).update(language="fr")
    response = client.post(
        reverse("login"),
        {"username": org.learner.user.username, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    page = client.get(reverse("microlearning:challenges"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Lancer le duel" in text and "Tapez un nom" in text
    refused = client.post(
        reverse("microlearning:challenges"),
        {"who": "dupre", "opponent": org.learner.pk, "module": module.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "Défiez un collègue, pas vous-même." in refused
    unchosen = client.post(
        reverse("microlearning:challenges"),
        {"who": "benali", "module": module.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "Choisissez votre collègue parmi les noms trouvés." in unchosen
    assert not Duel.objects.exists()


def test_api_refusals_in_french(org, client, module, campaign) -> None:  # type: ignore[no-untyped-def]
    client.force_login(org.learner.user)
    answers.pause(person=org.learner)
    card = today(org.learner).cards[0] if today(org.learner).cards else module.cards.first()
    response = client.post(
        "/api/v1/learn/answers",
        {"card_id": card.pk, "answer_id": str(uuid.uuid4()), "response": [0]},
        content_type="application/json",
        **FR,
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Votre rendez-vous est en pause ; reprenez-le pour répondre."
    )
