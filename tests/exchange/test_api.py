"""The exchange API: the board, each transition of an exchange and its refusals, runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sylva.exchange.models import Exchange, Request
from sylva.people.services import create_token
from tests.exchange.conftest import held, proposed

API = "/api/v1/exchange"


def as_(client: Client, person) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(person.user)
    return client


def post(client: Client, url: str, data: dict | None = None):  # type: ignore[no-untyped-def]
    return client.post(url, data or {}, content_type="application/json")


@pytest.mark.django_db
def test_the_openapi_document_lists_the_exchange_endpoints(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/exchange/offers",
        "/api/v1/exchange/requests",
        "/api/v1/exchange/requests/{request_id}/matches",
        "/api/v1/exchange/exchanges",
        "/api/v1/exchange/exchanges/{exchange_id}/schedule",
        "/api/v1/exchange/exchanges/{exchange_id}/reviews",
        "/api/v1/exchange/exchanges/{exchange_id}/messages",
        "/api/v1/exchange/runs",
    ):
        assert path in paths


def test_publish_a_request_with_a_token(api_client: Client, org) -> None:
    secret = create_token(person=org.newcomer, name="phone")[1]
    response = api_client.post(
        f"{API}/requests",
        {"skills": ["machine-safety"], "text": "Consignes", "formats": ["phone"], "slots": [33]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["skills"][0]["code"] == "machine-safety" and body["formats"] == ["phone"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"skills": ["unknown-skill"]}, "skills"),
        ({"skills": ["excel"], "slots": [9, 9]}, "slots"),
        ({"skills": ["excel"], "site": "paris"}, "site"),
        ({"skills": ["excel"], "formats": []}, "formats"),
    ],
)
def test_bad_postings_get_a_4xx_naming_the_field(client: Client, org, payload, field) -> None:
    response = post(as_(client, org.learner), f"{API}/requests", payload)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert not Request.objects.exists()


def test_the_board_lists_and_filters_offers(client: Client, xboard) -> None:
    c = as_(client, xboard.org.newcomer)
    items = c.get(f"{API}/offers?skill=extrusion-setup").json()["items"]
    assert [o["id"] for o in items] == [xboard.offer.pk]
    assert c.get(f"{API}/offers?format=fax").status_code == 400
    assert c.get(f"{API}/requests?department=nowhere").status_code == 400


def test_matches_of_my_request_with_reasons(client: Client, xboard) -> None:
    c = as_(client, xboard.org.learner)
    matches = c.get(f"{API}/requests/{xboard.request.pk}/matches").json()
    assert matches[0]["offer"]["id"] == xboard.offer.pk and matches[0]["reasons"]
    other = as_(Client(), xboard.org.newcomer)
    assert other.get(f"{API}/requests/{xboard.request.pk}/matches").status_code == 403


def test_pause_and_renew_through_the_api(client: Client, xboard) -> None:
    c = as_(client, xboard.org.learner)
    url = f"{API}/requests/{xboard.request.pk}"
    assert post(c, f"{url}/state", {"state": "paused"}).json()["state"] == "paused"
    assert post(c, f"{url}/state", {"state": "sleeping"}).status_code == 400
    assert post(c, f"{url}/renew").status_code == 200
    stranger = as_(Client(), xboard.org.newcomer)
    assert post(stranger, f"{url}/state", {"state": "closed"}).status_code == 403


def test_the_whole_life_of_an_exchange_through_the_api(xboard) -> None:
    org = xboard.org
    learner, teacher = as_(Client(), org.learner), as_(Client(), org.expert)
    created = post(learner, f"{API}/exchanges", {"offer_id": xboard.offer.pk})
    assert created.status_code == 201
    x = created.json()["id"]
    url = f"{API}/exchanges/{x}"
    assert post(learner, f"{url}/accept").status_code == 409  # already accepted by asking
    assert post(teacher, f"{url}/accept").json()["state"] == "accepted"
    when = (timezone.now() + timedelta(days=3)).isoformat()
    bad = post(teacher, f"{url}/schedule", {"starts_at": when, "mode": "in_person"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "place"
    ok = post(
        teacher,
        f"{url}/schedule",
        {"starts_at": when, "mode": "in_person", "place": "Atelier 2", "duration_minutes": 45},
    )
    assert ok.json()["state"] == "scheduled"
    ics = learner.get(f"{url}/invite.ics")
    assert ics.status_code == 200 and b"Atelier 2" in ics.content
    assert post(learner, f"{url}/confirm").json()["learner_confirmed"] is True
    assert post(learner, f"{url}/held").status_code == 409  # not started yet
    Exchange.objects.filter(pk=x).update(starts_at=timezone.now() - timedelta(hours=1))
    one = post(learner, f"{url}/held").json()  # one word is not enough
    assert one["state"] == "scheduled" and one["learner_held"] and not one["teacher_held"]
    assert post(learner, f"{url}/held").status_code == 409  # nor twice the same word
    assert post(teacher, f"{url}/held").json()["state"] == "held"
    review = {"learned": "Les réglages", "usefulness": 5, "next_step": "Pratiquer"}
    assert post(learner, f"{url}/reviews", review).status_code == 201
    assert post(learner, f"{url}/reviews", review).status_code == 409
    assert post(teacher, f"{url}/reviews", {**review, "usefulness": 9}).status_code == 400
    assert post(teacher, f"{url}/reviews", review).status_code == 201
    assert learner.get(url).json()["state"] == "reviewed"
    assert len(learner.get(f"{url}/reviews").json()) == 2


def test_decline_and_cancel_through_the_api(xboard) -> None:
    x = proposed(xboard)
    teacher = as_(Client(), xboard.org.expert)
    url = f"{API}/exchanges/{x.pk}"
    assert post(teacher, f"{url}/decline", {"reason": ""}).status_code == 400
    assert post(teacher, f"{url}/decline", {"reason": "Pas ce mois"}).json()["state"] == "declined"
    assert post(teacher, f"{url}/cancel", {"reason": "x"}).status_code == 409


def test_no_show_through_the_api(xboard) -> None:
    x = held(xboard)
    # a held exchange cannot be missed any more
    assert (
        post(as_(Client(), xboard.org.expert), f"{API}/exchanges/{x.pk}/no-show").status_code == 409
    )


def test_someone_else_s_exchange_does_not_exist_for_me(client: Client, xboard) -> None:
    x = proposed(xboard)
    c = as_(client, xboard.org.newcomer)
    assert c.get(f"{API}/exchanges/{x.pk}").status_code == 404
    assert post(c, f"{API}/exchanges/{x.pk}/accept").status_code == 404


def test_runs_are_for_animators(xboard) -> None:
    learner = as_(Client(), xboard.org.learner)
    assert post(learner, f"{API}/runs").status_code == 403
    animator = as_(Client(), xboard.org.animator)
    run = post(animator, f"{API}/runs")
    assert run.status_code == 201 and run.json()["proposals"] >= 1
    proposals = animator.get(f"{API}/runs/{run.json()['id']}/proposals").json()["items"]
    assert proposals[0]["reasons"]
    sent = post(animator, f"{API}/proposals/{proposals[0]['id']}", {"approve": True})
    assert sent.json()["state"] == "approved" and sent.json()["exchange_id"]
    again = post(animator, f"{API}/proposals/{proposals[0]['id']}", {"approve": True})
    assert again.status_code == 409


def test_my_balance(client: Client, xboard) -> None:
    held(xboard)
    c = as_(client, xboard.org.expert)
    assert c.get(f"{API}/balance").json() == {
        "given": 1,
        "received": 0,
        "given_minutes": 45,
        "received_minutes": 0,
    }


def test_exchange_counts_hide_states_with_fewer_than_five_people(xboard) -> None:
    from sylva.exchange.models import Offer
    from sylva.exchange.queries import exchange_counts
    from tests.factories import make_person

    x = proposed(xboard)  # two people
    assert exchange_counts() == {"proposed": None}
    offer = Offer.objects.get(pk=x.offer_id)
    for number in range(2):  # two more exchanges with two new people each: 6 people
        teacher = make_person(f"teacher{number}", team=xboard.org.extrusion)
        learner = make_person(f"learner{number}", team=xboard.org.extrusion)
        Exchange.objects.create(
            offer=offer, teacher=teacher, learner=learner, skill=x.skill, state="proposed"
        )
    assert exchange_counts() == {"proposed": 3}
    client = as_(Client(), xboard.org.animator)
    assert client.get("/api/v1/exchange/stats").json() == {"proposed": 3}
