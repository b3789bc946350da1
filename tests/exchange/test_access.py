"""Who may see or change a posting, or open an exchange: one rule (services.board.posting_for,
services.exchanges.get_for), the same answer from the pages and from the API — not theirs to
see: 404; theirs to see but not to change: 403."""

from __future__ import annotations

import pytest
from django.test import Client

from sylva.exchange.models import Exchange, Offer
from sylva.exchange.services import board
from tests.exchange.conftest import proposed

API = "/api/v1/exchange"


def _as(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person.user)
    return client


def _page_edit(client: Client, kind: str, pk: int) -> int:
    return client.get(f"/exchange/{kind}s/{pk}/edit/").status_code


def _page_state(client: Client, kind: str, pk: int) -> int:
    return client.post(f"/exchange/{kind}s/{pk}/state/", {"state": "closed"}).status_code


def _api_state(client: Client, kind: str, pk: int) -> int:
    return client.post(
        f"{API}/{kind}s/{pk}/state", {"state": "closed"}, content_type="application/json"
    ).status_code


def _page_see(client: Client, kind: str, pk: int) -> int:
    return client.get(f"/exchange/{kind}s/{pk}/").status_code


def _api_see(client: Client, kind: str, pk: int) -> int:
    return client.get(f"{API}/{kind}s/{pk}").status_code


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["offer", "request"])
def test_a_live_posting_of_someone_else_is_seen_but_not_changed_403_everywhere(
    xboard, kind: str
) -> None:
    posting = xboard.offer if kind == "offer" else xboard.request
    stranger = _as(xboard.org.newcomer)
    assert _page_see(stranger, kind, posting.pk) == _api_see(stranger, kind, posting.pk) == 200
    assert _page_edit(stranger, kind, posting.pk) == 403
    assert _page_state(stranger, kind, posting.pk) == 403
    assert _api_state(stranger, kind, posting.pk) == 403
    posting.refresh_from_db()
    assert posting.state == "open"  # nothing changed


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["offer", "request"])
def test_a_closed_posting_of_someone_else_does_not_exist_for_them_404_everywhere(
    xboard, kind: str
) -> None:
    posting = xboard.offer if kind == "offer" else xboard.request
    board.set_state(person=posting.person, posting=posting, state="closed")
    stranger = _as(xboard.org.newcomer)
    assert _page_see(stranger, kind, posting.pk) == 404
    assert _api_see(stranger, kind, posting.pk) == 404
    assert _page_edit(stranger, kind, posting.pk) == 404
    assert _page_state(stranger, kind, posting.pk) == 404
    assert _api_state(stranger, kind, posting.pk) == 404
    author = _as(posting.person)
    assert _page_see(author, kind, posting.pk) == _api_see(author, kind, posting.pk) == 200


@pytest.mark.django_db
def test_an_unknown_posting_is_404_everywhere(xboard) -> None:
    c = _as(xboard.org.learner)
    missing = (Offer.objects.order_by("-pk").first().pk or 0) + 1000  # type: ignore[union-attr]
    assert _page_see(c, "offer", missing) == _api_see(c, "offer", missing) == 404
    assert _page_state(c, "offer", missing) == _api_state(c, "offer", missing) == 404


@pytest.mark.django_db
def test_an_exchange_is_404_for_anyone_but_its_two_people_everywhere(xboard) -> None:
    x = proposed(xboard)
    outsider = _as(xboard.org.newcomer)
    assert outsider.get(f"/exchange/x/{x.pk}/").status_code == 404
    assert outsider.get(f"{API}/exchanges/{x.pk}").status_code == 404
    assert outsider.post(f"/exchange/x/{x.pk}/accept/").status_code == 404
    assert (
        outsider.post(f"{API}/exchanges/{x.pk}/accept", content_type="application/json").status_code
        == 404
    )
    x.refresh_from_db()
    assert not x.teacher_accepted


@pytest.mark.django_db
def test_matching_runs_are_403_for_a_colleague_who_does_not_animate_everywhere(xboard) -> None:
    learner = _as(xboard.org.learner)
    assert learner.get("/exchange/runs/").status_code == 403
    assert learner.get(f"{API}/runs").status_code == 403
    assert learner.post("/exchange/runs/start/").status_code == 403
    assert learner.post(f"{API}/runs", content_type="application/json").status_code == 403


@pytest.mark.django_db
def test_proposing_on_a_closed_posting_of_someone_else_is_404_everywhere(xboard) -> None:
    board.set_state(person=xboard.org.expert, posting=xboard.offer, state="closed")
    learner = _as(xboard.org.learner)
    assert learner.post(f"/exchange/offers/{xboard.offer.pk}/propose/").status_code == 404
    api = learner.post(
        f"{API}/exchanges", {"offer_id": xboard.offer.pk}, content_type="application/json"
    )
    assert api.status_code == 404
    assert not Exchange.objects.exists()


@pytest.mark.django_db
def test_an_invite_before_the_exchange_is_scheduled_is_409_everywhere(xboard) -> None:
    x = proposed(xboard)
    learner = _as(xboard.org.learner)
    assert learner.get(f"/exchange/x/{x.pk}/invite.ics").status_code == 409
    assert learner.get(f"{API}/exchanges/{x.pk}/invite.ics").status_code == 409
    outsider = _as(xboard.org.newcomer)
    assert outsider.get(f"/exchange/x/{x.pk}/invite.ics").status_code == 404
    assert outsider.get(f"{API}/exchanges/{x.pk}/invite.ics").status_code == 404
