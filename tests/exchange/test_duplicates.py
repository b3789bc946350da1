"""Duplicates are refused with a clear message pointing at the existing item, nothing
changed: a second live offer or request on the same skills, a second exchange under way
between the same two people on the same skill (from the board, the API or a fair)."""

from __future__ import annotations

import pytest
from django.test import Client

from sylva.core.errors import ServiceError
from sylva.exchange.models import Exchange, Fair, Offer, Request
from sylva.exchange.services import board, exchanges, fairs
from sylva.exchange.services.board import DuplicatePosting
from sylva.exchange.services.exchanges import AlreadyUnderWay
from tests.exchange.conftest import Board, proposed, scheduled

API = "/api/v1/exchange"


def _counts() -> tuple[int, int, int, int]:
    return (
        Offer.objects.count(),
        Request.objects.count(),
        Exchange.objects.count(),
        Request.skills.through.objects.count(),
    )


def test_the_same_request_twice_is_refused_pointing_at_the_first(xboard: Board) -> None:
    org = xboard.org
    before = _counts()
    with pytest.raises(DuplicatePosting) as caught:
        board.publish_request(person=org.learner, skill_codes=["extrusion-setup"])
    assert caught.value.posting == xboard.request and caught.value.status == 409
    assert f"/exchange/requests/{xboard.request.pk}/" in caught.value.message
    # through the API: a 409 naming it
    client = Client()
    client.force_login(org.learner.user)
    response = client.post(
        f"{API}/requests",
        {"skills": ["extrusion-setup"], "formats": ["video"]},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert f"/exchange/requests/{xboard.request.pk}/" in response.json()["detail"]
    # through the page: the form says so, with a link to it
    page = client.post(
        "/exchange/requests/new/",
        {"skills": [org.extrude.pk], "formats": ["video"], "duration_minutes": 60},
    )
    assert page.status_code == 200
    assert f'href="/exchange/requests/{xboard.request.pk}/" id="existing"' in page.content.decode()
    assert _counts() == before
    # another set of skills is another request; so is the same one at a fair
    board.publish_request(person=org.learner, skill_codes=["extrusion-setup", "excel"])
    fair = fairs.open_fair(animator=org.animator, title="Bourse", site=None)
    board.publish_request(person=org.learner, skill_codes=["extrusion-setup"], fair=fair)
    with pytest.raises(DuplicatePosting):
        board.publish_request(person=org.learner, skill_codes=["extrusion-setup"], fair=fair)


def test_editing_or_reopening_into_a_twin_is_refused(xboard: Board) -> None:
    org = xboard.org
    second = board.publish_offer(
        person=org.expert, skill_codes=["machine-safety"], levels={"machine-safety": 3}
    )
    with pytest.raises(DuplicatePosting):
        board.edit_posting(
            person=org.expert,
            posting=second,
            skill_codes=["extrusion-setup"],
            text="",
            formats=["video"],
            duration_minutes=30,
            site=None,
            slots=[],
        )
    second.refresh_from_db()
    assert list(second.skills.values_list("code", flat=True)) == ["machine-safety"]
    # an expired request, and a new one on the same skills: renewing the old one is refused
    Request.objects.filter(pk=xboard.request.pk).update(state="expired")
    xboard.request.refresh_from_db()
    newer = board.publish_request(person=org.learner, skill_codes=["extrusion-setup"])
    with pytest.raises(DuplicatePosting) as caught:
        board.renew_request(person=org.learner, request=xboard.request)
    assert caught.value.posting == newer
    xboard.request.refresh_from_db()
    assert xboard.request.state == "expired"


def test_a_second_proposal_for_the_same_pair_leads_to_the_first(xboard: Board) -> None:
    org = xboard.org
    first = proposed(xboard)
    before = _counts()
    with pytest.raises(AlreadyUnderWay) as caught:  # the expert answers the same request
        exchanges.propose(by=org.expert, request=xboard.request)
    assert caught.value.exchange == first
    assert f"/exchange/x/{first.pk}/" in caught.value.message
    client = Client()
    client.force_login(org.learner.user)
    response = client.post(f"{API}/exchanges", {"offer_id": xboard.offer.pk}, "application/json")
    assert response.status_code == 409 and f"/exchange/x/{first.pk}/" in response.json()["detail"]
    response = client.post(f"/exchange/offers/{xboard.offer.pk}/propose/", {})
    assert response.status_code == 302 and response["Location"] == f"/exchange/x/{first.pk}/"
    assert _counts() == before
    # the offer's page shows the exchange under way instead of a button that would fail
    page = client.get(f"/exchange/offers/{xboard.offer.pk}/").content.decode()
    assert 'id="under-way"' in page
    assert f"/exchange/offers/{xboard.offer.pk}/propose/" not in page


def test_a_fair_does_not_pair_two_people_already_scheduled_on_the_skill(
    xboard: Board,
) -> None:
    org = xboard.org
    under_way = scheduled(xboard)
    fair = fairs.open_fair(animator=org.animator, title="Bourse", site=None)
    board.publish_offer(person=org.expert, skill_codes=["extrusion-setup"], fair=fair)
    board.publish_request(  # already learning it: said, and confirmed
        person=org.learner, skill_codes=["extrusion-setup"], fair=fair, confirm_under_way=True
    )
    before = _counts()
    with pytest.raises(ServiceError) as caught:
        fairs.pair_by_hand(
            animator=org.animator,
            fair=fair,
            teacher=org.expert,
            learner=org.learner,
            skill=org.extrude,
        )
    assert caught.value.status == 409
    message = caught.value.message
    assert org.expert.full_name in message and org.learner.full_name in message
    assert under_way.get_state_display() in message
    assert f"/exchange/x/{under_way.pk}/" not in message  # the animator cannot open it
    client = Client()
    client.force_login(org.animator.user)
    response = client.post(
        f"/exchange/fairs/{fair.pk}/pair/",
        {"teacher": org.expert.pk, "learner": org.learner.pk, "skill": org.extrude.pk},
        follow=True,
    )
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert errors == [message]
    assert _counts() == before
    assert Fair.objects.get(pk=fair.pk).exchanges.count() == 0
