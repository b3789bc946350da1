"""Answering today's cards: idempotent, refused when not due or not mine, the day's budget,
failed cards first, the streak, pausing for holidays, and the learning events."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from sylva.core.errors import ServiceError
from sylva.microlearning.models import Card, Learner, Memory, Review
from sylva.microlearning.queries.today import DAILY_BUDGET_SECONDS, today
from sylva.microlearning.services import answers
from sylva.people import verbs
from sylva.people.models import LearningEvent


def _right(card: Card) -> list[int]:
    return card.correct_indexes


def _wrong(card: Card) -> list[int]:
    return [i for i in range(len(card.options)) if i not in card.correct_indexes][:1]


def _do_today(person, *, wrong_kinds=()) -> None:  # type: ignore[no-untyped-def]
    for card in today(person).cards:
        response = _wrong(card) if card.kind in wrong_kinds else _right(card)
        answers.answer_card(
            person=person,
            card_id=card.pk,
            answer_id=uuid.uuid4(),
            response=response,
            duration_ms=9000,
        )


def test_today_offers_the_new_cards_of_my_campaigns_in_order(org, campaign) -> None:  # type: ignore[no-untyped-def]
    queue = today(org.learner)
    assert [c.kind for c in queue.cards] == ["lesson", "single", "multiple", "truefalse"]
    assert queue.new_count == 4 and not queue.done
    assert today(org.expert).done  # another team: not in the campaign's audience


def test_an_answer_sent_twice_is_recorded_once(org, campaign) -> None:  # type: ignore[no-untyped-def]
    card = today(org.learner).cards[1]
    answer_id = uuid.uuid4()
    first = answers.answer_card(
        person=org.learner,
        card_id=card.pk,
        answer_id=answer_id,
        response=_wrong(card),
        duration_ms=4000,
    )
    memory = Memory.objects.get(person=org.learner, card=card)
    again = answers.answer_card(
        person=org.learner,
        card_id=card.pk,
        answer_id=answer_id,
        response=_right(card),
        duration_ms=1000,
    )
    assert again.duplicate and again.review.pk == first.review.pk
    assert again.correct is False  # the first answer stands
    assert Review.objects.filter(person=org.learner).count() == 1
    assert Memory.objects.get(pk=memory.pk).due == memory.due
    assert (
        LearningEvent.objects.filter(actor=org.learner, verb=verbs.ADL_VERBS + "answered").count()
        == 1
    )


def test_an_answer_id_of_someone_else_is_refused(org, campaign) -> None:  # type: ignore[no-untyped-def]
    card = today(org.learner).cards[1]
    answer_id = uuid.uuid4()
    answers.answer_card(
        person=org.learner,
        card_id=card.pk,
        answer_id=answer_id,
        response=_right(card),
        duration_ms=4000,
    )
    with pytest.raises(ServiceError) as caught:
        answers.answer_card(
            person=org.manager,
            card_id=card.pk,
            answer_id=answer_id,
            response=_right(card),
            duration_ms=4000,
        )
    assert caught.value.status == 409 and caught.value.field == "answer_id"
    assert not Review.objects.filter(person=org.manager).exists()


def test_a_card_that_is_not_due_is_refused_and_nothing_changes(org, campaign) -> None:  # type: ignore[no-untyped-def]
    card = today(org.learner).cards[1]
    answers.answer_card(
        person=org.learner,
        card_id=card.pk,
        answer_id=uuid.uuid4(),
        response=_right(card),
        duration_ms=9000,
    )
    before = Memory.objects.get(person=org.learner, card=card)
    with pytest.raises(ServiceError) as caught:
        answers.answer_card(
            person=org.learner,
            card_id=card.pk,
            answer_id=uuid.uuid4(),
            response=_right(card),
            duration_ms=9000,
        )
    assert caught.value.status == 409 and "not due" in caught.value.message
    after = Memory.objects.get(person=org.learner, card=card)
    assert (after.reps, after.due) == (before.reps, before.due)
    assert Review.objects.filter(person=org.learner).count() == 1


def test_a_card_outside_my_campaigns_is_refused(org, campaign) -> None:  # type: ignore[no-untyped-def]
    card = today(org.learner).cards[1]
    with pytest.raises(ServiceError) as caught:
        answers.answer_card(
            person=org.expert,
            card_id=card.pk,
            answer_id=uuid.uuid4(),
            response=_right(card),
            duration_ms=9000,
        )
    assert caught.value.status == 403
    assert not Memory.objects.filter(person=org.expert).exists()


@pytest.mark.parametrize("response", [[], [0, 1], [9], "text", [True], None])
def test_a_malformed_response_is_refused(org, campaign, response) -> None:  # type: ignore[no-untyped-def]
    card = today(org.learner).cards[1]  # single choice
    with pytest.raises(ServiceError) as caught:
        answers.answer_card(
            person=org.learner,
            card_id=card.pk,
            answer_id=uuid.uuid4(),
            response=response,
            duration_ms=9000,
        )
    assert caught.value.field == "response"
    assert not Review.objects.exists()


def test_finishing_the_day_writes_completion_and_starts_a_streak(org, campaign, clock) -> None:  # type: ignore[no-untyped-def]
    _do_today(org.learner)
    queue = today(org.learner)
    assert queue.done and queue.answered_today == 4 and queue.streak == 1
    completed = LearningEvent.objects.filter(actor=org.learner, verb=verbs.ADL_VERBS + "completed")
    assert any("learn/today/" in e.object_id for e in completed)
    assert any("learn/module/safety-basics" in e.object_id for e in completed)
    assert completed.filter(object_id__contains="learn/card/").count() == 1  # the lesson


def test_a_failed_card_comes_back_first_the_next_day(org, campaign, clock) -> None:  # type: ignore[no-untyped-def]
    _do_today(org.learner, wrong_kinds=("truefalse",))
    clock.advance(days=1)
    queue = today(org.learner)
    assert queue.cards and queue.cards[0].kind == "truefalse"
    _do_today(org.learner)
    assert Learner.objects.get(person=org.learner).streak == 2


def test_the_day_holds_about_five_minutes(org, campaign) -> None:  # type: ignore[no-untyped-def]
    campaign.new_cards = 20
    campaign.save()
    module = campaign.modules.first()
    for i in range(30):
        Card.objects.create(
            module=module,
            position=10 + i,
            kind="truefalse",
            title=f"Q{i} " + "mot " * 50,
            options=[{"text": "Vrai", "correct": True}, {"text": "Faux"}],
        )
    queue = today(org.learner)
    seconds = [c.estimated_seconds for c in queue.cards]
    assert sum(seconds[:-1]) < DAILY_BUDGET_SECONDS
    assert len(queue.cards) < 20


def test_a_pause_holds_due_dates_and_the_streak(org, campaign, clock) -> None:  # type: ignore[no-untyped-def]
    _do_today(org.learner)
    dues = dict(
        Memory.objects.filter(person=org.learner, due__isnull=False).values_list("card_id", "due")
    )
    answers.pause(person=org.learner)
    assert today(org.learner).paused and today(org.learner).done
    clock.advance(days=14)
    with pytest.raises(ServiceError):
        answers.answer_card(
            person=org.learner,
            card_id=next(iter(dues)),
            answer_id=uuid.uuid4(),
            response=[0],
            duration_ms=1,
        )
    answers.resume(person=org.learner)
    for card_id, due in Memory.objects.filter(person=org.learner, due__isnull=False).values_list(
        "card_id", "due"
    ):
        assert due == dues[card_id] + timedelta(days=14)
    assert today(org.learner).streak == 1  # kept through the holidays
    with pytest.raises(ServiceError):
        answers.resume(person=org.learner)


def test_an_offline_answer_keeps_its_time_within_a_week(org, campaign, clock) -> None:  # type: ignore[no-untyped-def]
    card = today(org.learner).cards[1]
    earlier = clock.now - timedelta(hours=3)
    page = answers.served_token(org.learner, clock.now - timedelta(hours=4))
    for served in (None, "forged", answers.served_token(org.expert, earlier)):
        with pytest.raises(ServiceError) as caught:  # back-dated without its page: refused
            answers.answer_card(
                person=org.learner,
                card_id=card.pk,
                answer_id=uuid.uuid4(),
                response=_right(card),
                duration_ms=9000,
                answered_at=earlier,
                served=served,
            )
        assert caught.value.field == "answered_at"
    with pytest.raises(ServiceError) as caught:  # dated before the cards were given
        answers.answer_card(
            person=org.learner,
            card_id=card.pk,
            answer_id=uuid.uuid4(),
            response=_right(card),
            duration_ms=9000,
            answered_at=earlier,
            served=answers.served_token(org.learner, clock.now - timedelta(hours=1)),
        )
    assert caught.value.field == "answered_at" and not Review.objects.exists()
    result = answers.answer_card(
        person=org.learner,
        card_id=card.pk,
        answer_id=uuid.uuid4(),
        response=_right(card),
        duration_ms=9000,
        answered_at=earlier,
        served=page,
    )
    assert result.review.reviewed_at == earlier
    with pytest.raises(ServiceError) as caught:
        answers.answer_card(
            person=org.learner,
            card_id=today(org.learner).cards[1].pk,
            answer_id=uuid.uuid4(),
            response=[0],
            duration_ms=1,
            answered_at=clock.now - timedelta(days=8),
        )
    assert caught.value.field == "answered_at"


def test_milestone_badges_are_given_once(org, campaign, clock) -> None:  # type: ignore[no-untyped-def]
    from sylva.microlearning.models import Badge
    from sylva.microlearning.services import badges

    yesterday = clock.now.date() - timedelta(days=1)
    Learner.objects.create(person=org.learner, streak=2, best_streak=2, last_day=yesterday)
    _do_today(org.learner)  # the third day in a row
    assert Learner.objects.get(person=org.learner).streak == 3
    assert Badge.objects.filter(person=org.learner, code="streak-3").count() == 1
    assert badges.award_reached(person=org.learner, value=3, ladder=badges.STREAKS) == []
    ladder = badges.ANSWERS
    assert badges.award_reached(person=org.expert, value=9, ladder=ladder) == []
    assert badges.award_reached(person=org.expert, value=10, ladder=ladder) == ["answers-10"]
    assert badges.award_reached(person=org.expert, value=120, ladder=ladder) == ["answers-100"]
    assert badges.award_reached(person=org.expert, value=120, ladder=ladder) == []
