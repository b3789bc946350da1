"""Scheduling follows fsrs exactly, from the rating inferred from correctness and time."""

from __future__ import annotations

import uuid
from datetime import UTC

import pytest
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler

from sylva.microlearning import scheduling
from sylva.microlearning.models import Card, Memory, OrgMemorySettings
from sylva.microlearning.services import answers


def _answer(person, card, correct: bool, ms: int):  # type: ignore[no-untyped-def]
    right = card.correct_indexes
    wrong = [i for i in range(len(card.options)) if i not in right][:1]
    return answers.answer_card(
        person=person,
        card_id=card.pk,
        answer_id=uuid.uuid4(),
        response=right if correct else wrong,
        duration_ms=ms,
    )


@pytest.mark.parametrize(
    ("correct", "seconds", "rating"),
    [
        (False, 3, Rating.Again),
        (True, 2, Rating.Easy),
        (True, 12, Rating.Good),
        (True, 60, Rating.Hard),
        (False, 60, Rating.Again),
    ],
)
def test_the_rating_comes_from_correctness_and_time(correct, seconds, rating) -> None:  # type: ignore[no-untyped-def]
    card = Card(
        kind="single",
        title="Qui retire le cadenas ?",
        options=[{"text": "Celui qui l'a posé", "correct": True}, {"text": "Le chef"}],
    )
    # reference time: 8 s + 0.3 s x 11 words = 11.3 s; fast < 5.65 s, slow > 22.6 s
    assert scheduling.reference_seconds(card) == pytest.approx(11.3)
    assert scheduling.infer_rating(card, correct=correct, duration_ms=seconds * 1000) == rating


@pytest.mark.parametrize(
    "history",
    [
        [(0, True, 9000), (3, True, 9000), (12, True, 4000), (40, False, 9000), (41, True, 30000)],
        [(0, False, 5000), (1, False, 5000), (2, True, 9000), (6, True, 2000)],
        [(0, True, 1000), (25, True, 1000), (200, False, 1000)],
    ],
)
def test_a_review_history_is_scheduled_as_fsrs_does(org, campaign, clock, history) -> None:  # type: ignore[no-untyped-def]
    card = Card.objects.get(module=campaign.modules.first(), kind="single")
    reference = Scheduler(
        learning_steps=(), relearning_steps=(), enable_fuzzing=False, desired_retention=0.9
    )
    expected = FsrsCard(card_id=card.pk)
    start = clock.now
    for day, correct, ms in history:
        clock.now = start + __import__("datetime").timedelta(days=day)
        memory = Memory.objects.filter(person=org.learner, card=card).first()
        if memory is not None and memory.due and memory.due.date() > clock.now.date():
            clock.now = memory.due  # answer when due
        _answer(org.learner, card, correct, ms)
        rating = scheduling.infer_rating(card, correct=correct, duration_ms=ms)
        expected, _log = reference.review_card(expected, rating, clock.now.astimezone(UTC))
        memory = Memory.objects.get(person=org.learner, card=card)
        assert memory.stability == pytest.approx(expected.stability)
        assert memory.difficulty == pytest.approx(expected.difficulty)
        assert memory.due == expected.due
        assert memory.state == int(expected.state)


def test_the_organisations_desired_retention_shortens_intervals(org, campaign, clock) -> None:  # type: ignore[no-untyped-def]
    card = Card.objects.get(module=campaign.modules.first(), kind="single")
    _answer(org.learner, card, True, 9000)
    relaxed = Memory.objects.get(person=org.learner, card=card).due
    answers.set_desired_retention(retention=0.97)
    assert OrgMemorySettings.current().desired_retention == 0.97
    _answer(org.newcomer, card, True, 9000)
    strict = Memory.objects.get(person=org.newcomer, card=card).due
    assert strict < relaxed
