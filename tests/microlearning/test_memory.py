"""Retrievability per skill, the team aggregate (never under 5 people), and refitting FSRS
to the organisation's own reviews."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from sylva.microlearning.models import Card, Memory, OrgMemorySettings, Review
from sylva.microlearning.queries.memory import knowledge_map, team_map
from sylva.microlearning.queries.today import today
from sylva.microlearning.services import answers
from sylva.microlearning.services.fitting import refit
from sylva.microlearning.tasks import refit_fsrs_parameters
from tests.factories import make_person


def _do_today(person) -> None:  # type: ignore[no-untyped-def]
    for card in today(person).cards:
        answers.answer_card(
            person=person,
            card_id=card.pk,
            answer_id=uuid.uuid4(),
            response=card.correct_indexes,
            duration_ms=9000,
        )


def test_my_knowledge_map_shows_retrievability_per_skill(org, campaign, clock) -> None:  # type: ignore[no-untyped-def]
    _do_today(org.learner)
    [row] = knowledge_map(org.learner)
    assert row.skill == org.safety and row.cards == 3
    assert row.retrievability == pytest.approx(1.0)
    clock.advance(days=30)
    [later] = knowledge_map(org.learner)
    assert 0.3 < later.retrievability < 0.95


def test_a_team_aggregate_needs_five_people(org, campaign) -> None:  # type: ignore[no-untyped-def]
    for person in (org.learner, org.newcomer, org.manager):
        _do_today(person)
    [row] = team_map(org.extrusion)
    assert row.people == 3 and row.retrievability is None  # hidden: fewer than 5 learnt it
    for name in ("operator0", "operator1"):
        _do_today(type(org.learner).objects.get(user__username=name))
    [row] = team_map(org.extrusion)
    assert row.people == 5 and row.retrievability == pytest.approx(1.0)
    assert team_map(org.people_team) is None  # a team of 3


def _history(org, module, n_people: int = 40) -> None:  # type: ignore[no-untyped-def]
    """A synthetic review history, reviews spaced over weeks, recall dropping with time."""
    rng = random.Random(3)
    cards = list(Card.objects.filter(module=module, kind__in=Card.GRADED))
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    rows = []
    for i in range(n_people):
        person = make_person(f"p{i}", team=org.printing)
        for card in cards:
            when, gap = start, 1
            for _step in range(8):
                recalled = rng.random() < 0.97**gap
                rows.append(
                    Review(
                        person=person,
                        card=card,
                        correct=recalled,
                        rating=3 if recalled else 1,
                        reviewed_at=when,
                        answer_id=uuid.uuid4(),
                    )
                )
                gap = gap * 3 if recalled else 1
                when += timedelta(days=gap)
    Review.objects.bulk_create(rows)


def test_refitting_waits_for_enough_reviews(org, module) -> None:  # type: ignore[no-untyped-def]
    report = refit(min_reviews=1000)
    assert not report.fitted and "at least 1000" in report.reason
    assert OrgMemorySettings.current().parameters == []


def test_refitting_reports_log_loss_against_the_defaults(org, module) -> None:  # type: ignore[no-untyped-def]
    _history(org, module)
    result = refit_fsrs_parameters.call(min_reviews=500)
    assert result["fitted"] and result["reviews"] == 40 * 3 * 8
    assert len(result["parameters"]) == 21
    assert result["log_loss_fitted"] <= result["log_loss_default"] + 1e-9
    row = OrgMemorySettings.current()
    assert row.log_loss_fitted == pytest.approx(result["log_loss_fitted"])
    assert row.parameters == result["parameters"] and result["adopted"]
    # the scheduler now uses the fitted parameters
    from sylva.microlearning import scheduling

    assert list(scheduling.scheduler().parameters) == pytest.approx(result["parameters"])
    assert Memory.objects.count() == 0  # fitting reads, and writes only the settings
