""" "Let's exchange": the proposal page an introduction links to
(/exchange/propose/?with=<person>&skill=<skill>&as=teach|learn). It is prefilled, it makes
the proposal through the board's consent rules (I am one of the two and accept at once, they
accept or decline, only each one's own postings are used), an unknown person or skill is a
404, and proposing to oneself is a clear refusal."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from sylva.exchange.models import Exchange
from sylva.notifications.models import Notification
from tests.exchange.conftest import Board, proposed


def _client(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person.user)
    return client


def _url(other: int, skill: int, role: str = "learn") -> str:
    return f"{reverse('exchange:propose_to')}?with={other}&skill={skill}&as={role}"


def test_the_route_is_the_one_introductions_link_to() -> None:
    assert reverse("exchange:propose_to") == "/exchange/propose/"


def test_the_page_is_prefilled_from_the_link(xboard: Board) -> None:
    org = xboard.org
    page = _client(org.learner).get(_url(org.expert.pk, org.extrude.pk)).content.decode()
    assert "Karim Benali" in page and "Réglage d&#x27;extrudeuse" in page
    assert re.search(r'<input[^>]*value="learn"[^>]*checked', page)  # what I would do
    assert 'id="their-offer"' in page  # the expert offers it: the exchange uses that offer
    assert '<option value="video" selected>' in page  # the offer's format
    assert not Exchange.objects.exists()  # a GET proposes nothing


def test_posting_proposes_on_the_teacher_s_own_offer_and_tells_them(xboard: Board) -> None:
    org = xboard.org
    response = _client(org.learner).post(
        _url(org.expert.pk, org.extrude.pk),
        {"role": "learn", "mode": "video", "duration_minutes": 45, "message": "Bonjour Karim !"},
    )
    x = Exchange.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exchange/x/{x.pk}/"
    assert (x.teacher, x.learner, x.skill) == (org.expert, org.learner, org.extrude)
    assert x.offer == xboard.offer and x.request == xboard.request  # each one's own
    assert x.learner_accepted and not x.teacher_accepted and x.state == "proposed"
    assert (x.mode, x.duration_minutes) == ("video", 45)
    assert x.messages.get().body == "Bonjour Karim !"
    assert Notification.objects.filter(person=org.expert, kind="exchange.proposed").exists()


def test_teaching_someone_who_asked_nothing_uses_no_posting_of_theirs(xboard: Board) -> None:
    org = xboard.org
    _client(org.expert).post(
        _url(org.newcomer.pk, org.extrude.pk, "teach"),
        {"role": "teach", "mode": "in_person", "duration_minutes": 60},
    )
    x = Exchange.objects.get()
    assert (x.teacher, x.learner) == (org.expert, org.newcomer)
    assert x.offer == xboard.offer and x.request is None  # the newcomer asked nothing
    assert x.teacher_accepted and not x.learner_accepted  # the newcomer accepts or declines


def test_unknown_ids_are_404(xboard: Board) -> None:
    org = xboard.org
    client = _client(org.learner)
    for url in (
        _url(999999, org.extrude.pk),
        _url(org.expert.pk, 999999),
        f"{reverse('exchange:propose_to')}?with=abc&skill={org.extrude.pk}",
        reverse("exchange:propose_to"),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"role": "learn", "mode": "video"}).status_code == 404, url
    org.expert.user.is_active = False
    org.expert.user.save()
    assert client.get(_url(org.expert.pk, org.extrude.pk)).status_code == 404
    assert not Exchange.objects.exists()


def test_proposing_to_oneself_is_a_clear_refusal(xboard: Board) -> None:
    org = xboard.org
    client = _client(org.learner)
    for response in (
        client.get(_url(org.learner.pk, org.extrude.pk)),
        client.post(
            _url(org.learner.pk, org.extrude.pk),
            {"role": "learn", "mode": "video", "duration_minutes": 30},
        ),
    ):
        assert response.status_code == 400
        assert "vous-même" in response.content.decode()
    assert not Exchange.objects.exists()


def test_an_exchange_under_way_leads_to_it(xboard: Board) -> None:
    org = xboard.org
    x = proposed(xboard)
    response = _client(org.learner).post(
        _url(org.expert.pk, org.extrude.pk),
        {"role": "learn", "mode": "video", "duration_minutes": 30},
    )
    assert response["Location"] == f"/exchange/x/{x.pk}/"
    assert Exchange.objects.count() == 1


def test_bad_input_stays_on_the_form(xboard: Board) -> None:
    org = xboard.org
    response = _client(org.learner).post(
        _url(org.expert.pk, org.extrude.pk),
        {"role": "learn", "mode": "carrier-pigeon", "duration_minutes": 5},
    )
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not Exchange.objects.exists()
