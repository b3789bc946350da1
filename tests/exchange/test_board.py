"""Publishing, editing, pausing, closing and renewing offers and requests; the board."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sylva.core.errors import ServiceError
from sylva.exchange import queries
from sylva.exchange.models import ExchangeSettings, Offer, Request
from sylva.exchange.services import board
from sylva.people.models import LearningEvent
from sylva.people.verbs import verb


def test_publishing_a_request_records_a_requested_event(org) -> None:
    request = board.publish_request(
        person=org.newcomer, skill_codes=["machine-safety"], text="Les consignes"
    )
    assert request.state == Request.State.OPEN
    assert list(request.skills.all()) == [org.safety]
    assert LearningEvent.objects.filter(actor=org.newcomer, verb=verb("requested").iri).exists()


def test_a_request_expires_after_the_organisation_s_delay(org) -> None:
    ExchangeSettings.objects.update_or_create(pk=1, defaults={"request_expiry_days": 10})
    request = board.publish_request(person=org.newcomer, skill_codes=["excel"])
    assert timedelta(days=9) < request.expires_at - timezone.now() <= timedelta(days=10)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"skill_codes": ["no-such-skill"]}, "skills"),
        ({"skill_codes": []}, "skills"),
        ({"formats": []}, "formats"),
        ({"formats": ["telepathy"]}, "formats"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"slots": [33, 33]}, "slots"),
        ({"slots": [168]}, "slots"),
        ({"slots": [-1]}, "slots"),
        ({"text": "x" * 2001}, "text"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_published(org, kwargs, field) -> None:
    args = {"person": org.learner, "skill_codes": ["excel"], **kwargs}
    with pytest.raises(ServiceError) as caught:
        board.publish_request(**args)
    assert caught.value.field == field
    assert not Request.objects.exists()
    assert not LearningEvent.objects.exists()


def test_an_offer_capacity_outside_1_to_20_is_refused(org) -> None:
    with pytest.raises(ServiceError) as caught:
        board.publish_offer(
            person=org.expert, skill_codes=["excel"], capacity=0, levels={"excel": 3}
        )
    assert caught.value.field == "capacity"
    assert not Offer.objects.exists()


def test_board_shows_only_people_who_joined_with_an_offer_and_a_request(xboard) -> None:
    org = xboard.org
    lonely = board.publish_offer(person=org.manager, skill_codes=["excel"], levels={"excel": 4})
    assert lonely not in queries.board_offers()
    assert xboard.offer in queries.board_offers()
    ExchangeSettings.objects.update_or_create(pk=1, defaults={"joining_requires_both": False})
    assert lonely in queries.board_offers()


def test_pause_reopen_and_close_my_offer(xboard) -> None:
    org, offer = xboard.org, xboard.offer
    board.set_state(person=org.expert, posting=offer, state="paused")
    assert offer not in queries.board_offers()
    board.set_state(person=org.expert, posting=offer, state="open")
    board.set_state(person=org.expert, posting=offer, state="closed")
    with pytest.raises(ServiceError) as caught:
        board.set_state(person=org.expert, posting=offer, state="open")
    assert caught.value.status == 409


def test_nobody_else_may_change_my_offer(xboard) -> None:
    with pytest.raises(ServiceError) as caught:
        board.set_state(person=xboard.org.learner, posting=xboard.offer, state="closed")
    assert caught.value.status == 403
    xboard.offer.refresh_from_db()
    assert xboard.offer.state == "open"


def test_editing_my_request_changes_its_skills_and_slots(xboard) -> None:
    org = xboard.org
    board.edit_posting(
        person=org.learner,
        posting=xboard.request,
        skill_codes=["machine-safety"],
        text="Sécurité",
        formats=["phone"],
        duration_minutes=30,
        site=None,
        slots=[2 * 24 + 9],
    )
    xboard.request.refresh_from_db()
    assert list(xboard.request.skills.all()) == [org.safety]
    assert xboard.request.slots == [57]


def test_an_expired_request_leaves_the_board_and_one_click_renews_it(xboard) -> None:
    Request.objects.filter(pk=xboard.request.pk).update(expires_at=timezone.now())
    assert board.expire_requests() == 1
    assert board.expire_requests() == 0  # idempotent
    xboard.request.refresh_from_db()
    assert xboard.request.state == "expired"
    assert xboard.request not in queries.board_requests()
    board.renew_request(person=xboard.org.learner, request=xboard.request)
    xboard.request.refresh_from_db()
    assert xboard.request.state == "open"
    assert xboard.request in queries.board_requests()


def test_filters_by_skill_domain_site_format_and_department(xboard) -> None:
    org = xboard.org
    offers = queries.board_offers()
    f = queries.BoardFilter
    assert list(queries.filter_board(offers, f(skill=org.extrude))) == [xboard.offer]
    assert set(queries.filter_board(offers, f(domain=org.soft))) == {xboard.learner_offer}
    assert list(queries.filter_board(offers, f(site=org.lille))) == [xboard.offer]
    assert list(queries.filter_board(offers, f(format="phone"))) == []
    assert list(queries.filter_board(offers, f(department=org.prod, q="extrudeuse"))) == [
        xboard.offer
    ]


def test_requests_i_could_answer_are_those_on_skills_i_master(xboard) -> None:
    assert list(queries.answerable_requests(xboard.org.expert)) == [xboard.request]
    assert list(queries.answerable_requests(xboard.org.newcomer)) == []
