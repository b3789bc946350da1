"""The streak (issue 9, class 5): days with nothing to do and paused days never break it, a
missed day does; answers made offline count on the day they were made. The rule is an
algorithm with invariants (services.streaks), checked with Hypothesis against its
statement on a whole calendar; then the same on the real queue."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sylva.microlearning.models import Learner, Memory, Review
from sylva.microlearning.queries.today import today
from sylva.microlearning.services import answers, streaks
from sylva.microlearning.services.streaks import Day
from sylva.people import verbs
from sylva.people.models import LearningEvent

START = date(2026, 3, 2)
statuses = st.lists(st.sampled_from(list(Day)), min_size=1, max_size=40)


def _calendar(days: list[Day]) -> dict[date, Day]:
    return {START + timedelta(days=n): s for n, s in enumerate(days)}


def _run(calendar: dict[date, Day], until: date) -> int:
    """What the service keeps (count and last day), moved day by day, shown on ``until``."""

    def quiet(after: date, before: date) -> bool:
        span = ((before - after).days - 1) or 0
        return all(calendar.get(after + timedelta(days=n)) == Day.QUIET for n in range(1, span + 1))

    streak, last = 0, None
    for day in sorted(calendar):
        if day <= until and calendar[day] == Day.DONE:
            streak, last = streaks.complete(streak, last, day, quiet)
    return streaks.shown(streak, last, until, quiet)


@given(statuses)
def test_the_kept_streak_is_the_rule_on_the_whole_calendar(days: list[Day]) -> None:
    calendar = _calendar(days)
    for n in range(len(days)):
        today_ = START + timedelta(days=n)
        assert _run(calendar, today_) == streaks.streak_of(calendar, today_)


@given(statuses, st.integers(min_value=0, max_value=39), st.integers(min_value=1, max_value=5))
def test_quiet_days_neither_break_nor_add(days: list[Day], where: int, quiet: int) -> None:
    where = min(where, len(days) - 1)
    longer = days[:where] + [Day.QUIET] * quiet + days[where:]
    end, longer_end = START + timedelta(days=len(days)), START + timedelta(days=len(longer))
    assert streaks.streak_of(_calendar(longer), longer_end) == streaks.streak_of(
        _calendar(days), end
    )
    assert _run(_calendar(longer), longer_end) == _run(_calendar(days), end)


@given(statuses)
def test_a_missed_day_ends_it_and_a_done_day_adds_one(days: list[Day]) -> None:
    calendar = _calendar(days)
    end = START + timedelta(days=len(days))
    before = streaks.streak_of(calendar, end)
    assert streaks.streak_of({**calendar, end: Day.DONE}, end) == before + 1
    after_missed = end + timedelta(days=1)
    assert streaks.streak_of({**calendar, end: Day.MISSED}, after_missed) == 0


# --- on the real queue ---------------------------------------------------------------


def _do_today(person, *, at=None, wrong=()) -> int:  # type: ignore[no-untyped-def]
    cards = today(person, at).cards
    for card in cards:
        answers.answer_card(
            person=person,
            card_id=card.pk,
            answer_id=uuid.uuid4(),
            response=_response(card, wrong=card.kind in wrong),
            duration_ms=9000,
            answered_at=at,
            served=answers.served_token(person, at - timedelta(hours=1)) if at else None,
        )
    return len(cards)


def _response(card, *, wrong: bool = False):  # type: ignore[no-untyped-def]
    if card.kind == "lesson":
        return []
    right = answers.public_correct(card)
    if wrong:
        return [i for i in range(len(card.options)) if i not in card.correct_indexes][:1]
    return right


def _until_something_to_do(person, clock, *, streak: int, limit: int = 30) -> int:  # type: ignore[no-untyped-def]
    """Move day by day through the days with nothing to do; the streak is kept on each."""
    for quiet in range(limit):
        clock.advance(days=1)
        queue = today(person)
        assert queue.streak == streak, f"after {quiet} quiet day(s)"
        if queue.cards:
            return quiet
    raise AssertionError("nothing ever came due")


def test_a_day_with_nothing_to_do_does_not_break_the_streak(org, campaign, clock) -> None:  # type: ignore[no-untyped-def]
    assert _do_today(org.learner) == 4  # the whole module, answered right
    assert today(org.learner).streak == 1
    quiet = _until_something_to_do(org.learner, clock, streak=1)
    assert quiet >= 1  # right answers come back days later, nothing new: quiet days
    _do_today(org.learner)
    assert Learner.objects.get(person=org.learner).streak == 2
    assert today(org.learner).streak == 2


def test_a_missed_day_breaks_the_streak(org, campaign, clock) -> None:  # type: ignore[no-untyped-def]
    _do_today(org.learner, wrong=("single",))  # the single choice comes back tomorrow
    clock.advance(days=1)
    assert today(org.learner).cards and today(org.learner).streak == 1  # not over yet
    clock.advance(days=1)  # yesterday had something to do and was not done
    assert today(org.learner).streak == 0
    _do_today(org.learner)
    assert Learner.objects.get(person=org.learner).streak == 1


def test_the_first_days_back_from_a_pause_keep_the_streak(org, campaign, clock) -> None:  # type: ignore[no-untyped-def]
    _do_today(org.learner)
    clock.advance(days=1)
    answers.pause(person=org.learner)
    clock.advance(days=9)
    answers.resume(person=org.learner)  # the cards due meanwhile move by nine days
    assert today(org.learner).streak == 1
    if not today(org.learner).cards:
        _until_something_to_do(org.learner, clock, streak=1)
    _do_today(org.learner)
    assert Learner.objects.get(person=org.learner).streak == 2


def test_answers_made_offline_yesterday_count_on_yesterday(org, campaign, clock) -> None:  # type: ignore[no-untyped-def]
    """Yesterday's cards answered offline at 18:00 arrive this morning: graded now at their
    own time, counted on yesterday (its rendez-vous done, the streak alive), today untouched."""
    yesterday_evening = clock.now.replace(hour=18)
    clock.advance(days=1)
    before = today(org.learner)
    assert before.answered_today == 0
    assert _do_today(org.learner, at=yesterday_evening) == 4
    yesterday = yesterday_evening.date()
    assert set(Review.objects.values_list("reviewed_at", flat=True)) == {yesterday_evening}
    assert set(Memory.objects.values_list("last_review", flat=True)) == {yesterday_evening}
    now = today(org.learner)
    assert now.answered_today == 0 and now.streak == 1
    learner = Learner.objects.get(person=org.learner)
    assert (learner.streak, learner.last_day) == (1, yesterday)
    done = LearningEvent.objects.filter(
        actor=org.learner,
        verb=verbs.ADL_VERBS + "completed",
        object_id__contains="learn/today/",
    )
    assert [e.object_id.rsplit("/", 1)[1] for e in done] == [yesterday.isoformat()]
    # the day's answers were yesterday's: today's rendez-vous is still to do, then counts
    done_today = _do_today(org.learner)
    assert Learner.objects.get(person=org.learner).streak == (2 if done_today else 1)


def test_the_quiet_days_are_rebuilt_once_not_on_every_page(org, campaign, clock) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _do_today(org.learner)
    quiet = _until_something_to_do(org.learner, clock, streak=1)
    if not quiet:  # the cards came back the next day: nothing to rebuild
        return
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        assert today(org.learner).streak == 1
    with CaptureQueriesContext(connection) as again:
        assert today(org.learner).streak == 1
    # once: the snapshot, whether anything was answered in the gap, the content token
    assert len(again.captured_queries) == 3
    assert len(first.captured_queries) >= len(again.captured_queries) + quiet
