"""The exchange pages: the board and its filters, publishing with form errors, my items,
an exchange's page and its forms, the animator's pages; in French and English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sylva.exchange.models import Exchange, Offer, Request
from tests.exchange.conftest import accepted, held, proposed


def as_(client: Client, person) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(person.user)
    return client


def test_the_board_lists_requests_and_offers_with_filters(client: Client, xboard) -> None:
    c = as_(client, xboard.org.newcomer)
    page = c.get("/exchange/").content.decode()
    assert "Apprendre à régler" in page
    offers = c.get("/exchange/?kind=offers&format=video").content.decode()
    assert "Réglage de l&#x27;extrudeuse, profils" in offers
    none = c.get("/exchange/?kind=offers&format=phone").content.decode()
    assert "Réglage de l&#x27;extrudeuse, profils" not in none
    partial = c.get("/exchange/?kind=requests", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert b"<html" not in partial.content


def test_the_board_invites_to_join_with_an_offer_and_a_request(client: Client, org) -> None:
    page = as_(client, org.newcomer).get("/exchange/").content.decode()
    assert "au moins une offre et une demande" in page or "at least one offer" in page


def test_publish_a_request_from_the_form(client: Client, org) -> None:
    c = as_(client, org.newcomer)
    response = c.post(
        "/exchange/requests/new/",
        {
            "skills": [org.safety.pk],
            "text": "Les consignes de sécurité",
            "formats": ["in_person"],
            "duration_minutes": 30,
            "slots": [9, 14],
        },
    )
    wanted = Request.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/exchange/requests/{wanted.pk}/"
    )
    assert wanted.slots == [9, 14]


def test_a_form_error_names_the_field_and_publishes_nothing(client: Client, org) -> None:
    c = as_(client, org.expert)
    response = c.post(
        "/exchange/offers/new/",
        {"skills": [org.extrude.pk], "formats": [], "duration_minutes": 5, "capacity": 2},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"formats", "duration_minutes"}
    assert not Offer.objects.exists()


def test_my_request_shows_ranked_offers_with_reasons(client: Client, xboard) -> None:
    page = as_(client, xboard.org.learner).get(f"/exchange/requests/{xboard.request.pk}/")
    assert page.context["suggestions"][0].offer == xboard.offer
    assert b'class="reasons"' in page.content


def test_pause_then_renew_from_my_page(client: Client, xboard) -> None:
    c = as_(client, xboard.org.learner)
    c.post(f"/exchange/requests/{xboard.request.pk}/state/", {"state": "paused"})
    xboard.request.refresh_from_db()
    assert xboard.request.state == "paused"
    assert 'class="state paused"' in c.get("/exchange/mine/").content.decode()
    before = xboard.request.expires_at
    c.post(f"/exchange/requests/{xboard.request.pk}/state/", {"state": "renew"})
    xboard.request.refresh_from_db()
    assert xboard.request.expires_at > before


def test_ask_accept_schedule_from_the_pages(xboard) -> None:
    learner, teacher = as_(Client(), xboard.org.learner), as_(Client(), xboard.org.expert)
    response = learner.post(f"/exchange/offers/{xboard.offer.pk}/propose/", {})
    x = Exchange.objects.get()
    assert response["Location"] == f"/exchange/x/{x.pk}/"
    teacher.post(f"/exchange/x/{x.pk}/accept/")
    when = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    bad = teacher.post(
        f"/exchange/x/{x.pk}/schedule/",
        {"starts_at": when, "duration_minutes": 45, "mode": "in_person", "place": ""},
    )
    assert bad.status_code == 200 and bad.context["schedule_form"].errors["place"]
    teacher.post(
        f"/exchange/x/{x.pk}/schedule/",
        {"starts_at": when, "duration_minutes": 45, "mode": "in_person", "place": "Atelier"},
    )
    x.refresh_from_db()
    assert x.state == "scheduled" and x.place == "Atelier"
    assert learner.get(f"/exchange/x/{x.pk}/invite.ics")["Content-Type"].startswith("text/calendar")


def test_decline_without_a_reason_shows_the_error(client: Client, xboard) -> None:
    x = proposed(xboard)
    response = as_(client, xboard.org.expert).post(f"/exchange/x/{x.pk}/decline/", {"reason": ""})
    assert response.status_code == 200 and response.context["reason_form"].errors
    x.refresh_from_db()
    assert x.state == "proposed"


def test_review_from_the_page_and_raise_my_level(client: Client, xboard) -> None:
    x = held(xboard)
    c = as_(client, xboard.org.learner)
    c.post(
        f"/exchange/x/{x.pk}/review/",
        {"learned": "Les profils", "usefulness": 4, "next_step": "", "new_level": 2},
    )
    assert x.reviews.count() == 1
    page = c.get(f"/exchange/x/{x.pk}/").content.decode()
    assert "Les profils" in page


def test_messages_on_the_page(client: Client, xboard) -> None:
    x = accepted(xboard)
    c = as_(client, xboard.org.expert)
    c.post(f"/exchange/x/{x.pk}/message/", {"body": "Mardi 14 h ?"})
    assert "Mardi 14 h ?" in c.get(f"/exchange/x/{x.pk}/").content.decode()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pages_render_in_both_languages(client: Client, xboard, lang) -> None:
    x = accepted(xboard)
    c = as_(client, xboard.org.learner)
    c.cookies["django_language"] = lang
    for url in (
        "/exchange/",
        "/exchange/mine/",
        "/exchange/offers/new/",
        f"/exchange/offers/{xboard.offer.pk}/",
        f"/exchange/requests/{xboard.request.pk}/",
        f"/exchange/x/{x.pk}/",
        "/exchange/fairs/",
        f"/people/{xboard.org.learner.pk}/",
        "/",
    ):
        assert c.get(url, HTTP_ACCEPT_LANGUAGE=lang).status_code == 200, url


def test_animator_pages_are_for_animators(xboard) -> None:
    learner = as_(Client(), xboard.org.learner)
    assert learner.get("/exchange/runs/").status_code == 403
    assert learner.post("/exchange/runs/start/").status_code == 403
    animator = as_(Client(), xboard.org.animator)
    assert animator.get("/exchange/runs/").status_code == 200
    response = animator.post("/exchange/runs/start/")
    assert response.status_code == 302
    run_page = animator.get(response["Location"])
    assert run_page.status_code == 200 and run_page.context["page"].object_list


def test_animator_changes_the_network_settings(client: Client, org) -> None:
    c = as_(client, org.animator)
    c.post(
        "/exchange/runs/",
        {"request_expiry_days": 45, "default_capacity": 3, "send_directly": "on"},
    )
    from sylva.exchange.models import ExchangeSettings

    found = ExchangeSettings.load()
    assert (found.request_expiry_days, found.default_capacity, found.send_directly) == (45, 3, True)
    assert not found.joining_requires_both


@pytest.mark.parametrize(("lang", "said"), [("fr", "Accepté."), ("en", "Accepted.")])
def test_what_an_action_says_is_in_the_person_s_language(xboard, lang, said) -> None:
    x = proposed(xboard)
    c = as_(Client(), xboard.org.expert)
    c.cookies["django_language"] = lang
    page = c.post(f"/exchange/x/{x.pk}/accept/", follow=True, HTTP_ACCEPT_LANGUAGE=lang)
    assert said in page.content.decode()


def test_a_message_returns_to_the_conversation(client: Client, xboard) -> None:
    x = accepted(xboard)
    response = as_(client, xboard.org.expert).post(f"/exchange/x/{x.pk}/message/", {"body": "Oui"})
    assert response["Location"] == f"/exchange/x/{x.pk}/#messages"
