"""The demo company's exchange board: living, in every state, deterministic, idempotent."""

from __future__ import annotations

import pytest

from sylva.exchange import queries
from sylva.exchange.demo import seed_demo
from sylva.exchange.models import Exchange, Offer, Review
from sylva.people import seed
from sylva.people.models import PersonSkill


@pytest.fixture
def company(db: None) -> None:
    seed.generate_company(people=120, seed=5, events_per_person=2)


def test_the_demo_board_is_living_with_exchanges_in_every_state(company) -> None:
    counts = seed_demo(seed=5)
    assert counts["offers"] >= 20 and counts["requests"] >= 20
    states = set(Exchange.objects.values_list("state", flat=True))
    assert states == set(Exchange.State.values)
    assert Review.objects.filter(exchange__state="reviewed").count() >= 2
    assert queries.board_offers().exists() and queries.board_requests().exists()
    # the demo accounts have something to act on at once
    assert Exchange.objects.filter(teacher__user__username="expert", state="held").exists()
    assert Exchange.objects.filter(learner__user__username="newcomer").exists()
    # and no one exchanges with themself
    assert not [x for x in Exchange.objects.all() if x.teacher_id == x.learner_id]


def test_seeding_twice_changes_nothing(company) -> None:
    first = seed_demo(seed=5)
    assert seed_demo(seed=5) == first


@pytest.mark.parametrize("seed_value", [5, 11])
def test_every_demo_offer_is_on_a_skill_its_author_masters(db: None, seed_value: int) -> None:
    """Offering implies knowing, in the demo as in the offer form: each skill of each offer
    is held by its author at level 3 or more (the demo declares it with the offer)."""
    seed.generate_company(people=60, seed=seed_value, events_per_person=1)
    seed_demo(seed=seed_value)
    held = {
        (p, s): level
        for p, s, level in PersonSkill.objects.values_list("person_id", "skill_id", "level")
    }
    offered = list(Offer.skills.through.objects.values_list("offer__person_id", "skill_id"))
    assert offered
    assert [pair for pair in offered if held.get(pair, 0) < 3] == []
