"""Today and answers through the JSON API and the htmx page."""

from __future__ import annotations

import uuid

from django.urls import reverse

from sylva.microlearning.models import Card, Review


def test_today_and_an_answer_through_the_api(org, login, campaign) -> None:  # type: ignore[no-untyped-def]
    client = login(org.learner)
    today = client.get("/api/v1/learn/today").json()
    assert today["new_count"] == 4 and not today["done"]
    card = today["cards"][1]
    assert "correct" not in str(card["options"])  # the answer is not given away
    payload = {
        "card_id": card["id"],
        "answer_id": str(uuid.uuid4()),
        "response": [1],
        "duration_ms": 7000,
    }
    first = client.post("/api/v1/learn/answers", payload, content_type="application/json")
    assert first.status_code == 201
    body = first.json()
    assert body["correct"] is False and body["rating"] == 1 and body["correct_options"] == [0]
    assert body["explanation"] == "Le cadenas est personnel."
    replay = client.post("/api/v1/learn/answers", payload, content_type="application/json")
    assert replay.status_code == 200 and replay.json()["duplicate"] is True
    assert Review.objects.count() == 1


def test_api_errors_are_clear_and_change_nothing(org, login, campaign) -> None:  # type: ignore[no-untyped-def]
    client = login(org.expert)
    card = Card.objects.filter(kind="single").first()
    response = client.post(
        "/api/v1/learn/answers",
        {"card_id": card.pk, "answer_id": str(uuid.uuid4()), "response": [0]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "card"
    response = client.post(
        "/api/v1/learn/answers",
        {"card_id": card.pk, "answer_id": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Review.objects.exists()


def test_answering_on_the_page_shows_the_explanation_in_place(org, login, campaign) -> None:  # type: ignore[no-untyped-def]
    client = login(org.learner)
    page = client.get(reverse("microlearning:today"))
    assert (
        page.status_code == 200
        and b'class="answerform"' in page.content
        and b'action="/learn/answer/' in page.content
    )
    card = Card.objects.get(kind="single")
    response = client.post(
        reverse("microlearning:answer", args=[card.pk]),
        {"answer_id": str(uuid.uuid4()), "choice": "1", "duration_ms": "4000"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Le cadenas est personnel." in text and "Celui qui l&#x27;a posé" in text
    assert "<html" not in text  # a fragment, swapped in place


def test_an_ordering_is_answered_with_places(org, login, module, campaign) -> None:  # type: ignore[no-untyped-def]
    card = Card.objects.create(
        module=module,
        position=9,
        kind="ordering",
        title="Ordre",
        options=[
            {"text": "A", "correct": True},
            {"text": "B", "correct": True},
            {"text": "C", "correct": True},
        ],
    )
    from sylva.microlearning.services.answers import shown_order

    client = login(org.learner)
    places = {f"pos-{k}": str(i + 1) for k, i in enumerate(shown_order(card))}
    client.post(
        reverse("microlearning:answer", args=[card.pk]),
        {"answer_id": str(uuid.uuid4()), **places},
        HTTP_HX_REQUEST="true",
    )
    review = Review.objects.get(card=card)
    assert review.correct is True and review.response == [0, 1, 2]


def test_the_home_page_holds_todays_cards_answerable_in_place(org, client, campaign) -> None:  # type: ignore[no-untyped-def]
    from sylva.microlearning.queries.today import today

    client.force_login(org.learner.user)
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    cards = today(org.learner).cards
    assert "todaypanel" in text and "4 cards" in text and "🔥 0 days" in text
    for card in cards:  # every card's form, its answer sent by learn.js
        assert f'action="{reverse("microlearning:answer", args=[card.pk])}"' in text
    assert text.count('class="learncard"') == 4 and text.count("hidden>") >= 3
    response = client.post(
        reverse("microlearning:answer", args=[cards[0].pk]),
        {"answer_id": str(uuid.uuid4()), "duration_ms": "4000"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Noted." in response.content.decode()  # the lesson, acknowledged in place


def test_the_home_page_says_done_for_today_with_the_streak(org, client, campaign) -> None:  # type: ignore[no-untyped-def]
    from tests.microlearning.test_answers import _do_today

    _do_today(org.learner)
    client.force_login(org.learner.user)
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Done for today" in text and "🔥 1 day" in text
    assert 'id="done" hidden' not in text and 'class="learncard"' not in text


def test_the_service_worker_covers_the_learn_scope(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("microlearning:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/learn/"
    manifest = client.get(reverse("microlearning:manifest")).json()
    assert manifest["scope"] == "/learn/" and manifest["start_url"] == "/learn/"


def test_a_malformed_answer_on_the_page_gives_the_card_back(org, login, campaign) -> None:  # type: ignore[no-untyped-def]
    card = Card.objects.get(kind="multiple")
    response = login(org.learner).post(
        reverse("microlearning:answer", args=[card.pk]),
        {"answer_id": str(uuid.uuid4()), "duration_ms": "4000"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert 'role="alert"' in text and 'class="answerform"' in text
    assert not Review.objects.exists()
