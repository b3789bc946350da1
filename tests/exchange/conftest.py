"""A small exchange board on top of the test organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from sylva.exchange.models import Exchange, Offer, Request
from sylva.exchange.services import board, exchanges
from sylva.people.models import Person
from tests.factories import Org


@dataclass
class Board:
    org: Org
    offer: Offer  # the expert (printing, Lille) shares extruder setup
    request: Request  # the learner (extrusion, Lyon) wants to learn it
    learner_offer: Offer  # the learner shares spreadsheets (joining: one of each)
    expert_request: Request  # the expert wants to learn facilitation


@pytest.fixture
def xboard(org: Org) -> Board:
    offer = board.publish_offer(
        person=org.expert,
        skill_codes=["extrusion-setup"],
        text="Réglage de l'extrudeuse, profils et températures",
        formats=["in_person", "video"],
        site=org.lille,
        slots=[1 * 24 + 9, 1 * 24 + 14],
        capacity=2,
    )
    request = board.publish_request(
        person=org.learner,
        skill_codes=["extrusion-setup"],
        text="Apprendre à régler l'extrudeuse",
        formats=["video", "phone"],
        slots=[1 * 24 + 14],
    )
    learner_offer = board.publish_offer(  # offering implies knowing: declared with it
        person=org.learner,
        skill_codes=["excel"],
        formats=["in_person", "video"],
        levels={"excel": 3},
    )
    expert_request = board.publish_request(
        person=org.expert, skill_codes=["facilitation"], formats=["video"]
    )
    return Board(org, offer, request, learner_offer, expert_request)


def proposed(xb: Board) -> Exchange:
    """The learner asks the expert's offer for their request."""
    return exchanges.propose(
        by=xb.org.learner, offer=xb.offer, request=xb.request, learner=xb.org.learner
    )


def accepted(xb: Board) -> Exchange:
    x = proposed(xb)
    return exchanges.accept(person=xb.org.expert, exchange=x)


def scheduled(xb: Board, *, when: timedelta = timedelta(days=2)) -> Exchange:
    x = accepted(xb)
    return exchanges.schedule(
        person=xb.org.expert,
        exchange=x,
        starts_at=timezone.now() + when,
        duration_minutes=45,
        mode="video",
        place="https://visio.example/abc",
    )


def ended(xb: Board) -> Exchange:
    """Scheduled, and its 45 minutes over."""
    x = scheduled(xb)
    Exchange.objects.filter(pk=x.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    x.refresh_from_db()
    return x


def held(xb: Board) -> Exchange:
    """Both said it took place."""
    x = ended(xb)
    exchanges.mark_held(person=xb.org.learner, exchange=x)
    return exchanges.mark_held(person=xb.org.expert, exchange=x)


def reviewed(xb: Board) -> Exchange:
    x = held(xb)
    exchanges.review(
        person=xb.org.learner, exchange=x, learned="Régler la température", usefulness=5
    )
    exchanges.review(person=xb.org.expert, exchange=x, learned="Expliquer simplement", usefulness=4)
    x.refresh_from_db()
    return x


def person(org: Org, role: str) -> Person:
    return org.person(role)
