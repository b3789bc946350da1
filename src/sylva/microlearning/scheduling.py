"""Spaced repetition with FSRS (the ``fsrs`` package): the scheduler of the organisation,
the conversion between a :class:`Memory` row and an ``fsrs.Card``, and the rating inferred
from an answer's correctness and time.

Microlearning happens once a day, so the scheduler has no intra-day learning steps: a new
card answered right graduates at once, a card answered wrong comes back the next day, first
of the queue ("failed first"). Datetimes given to fsrs are always UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from sylva.microlearning.models import Card, Memory, OrgMemorySettings

# Fuzzing spreads due dates so that cards learnt together do not all come back together.
ENABLE_FUZZING = True
MAXIMUM_INTERVAL_DAYS = 365 * 3

# Rating thresholds, relative to the card's reference time T = 8 s + 0.3 s per word of the
# question and its options (reading at ~200 words a minute, then choosing):
#   wrong answer → Again; right in less than FAST x T → Easy;
#   right in more than SLOW x T → Hard; right otherwise → Good.
BASE_SECONDS = 8.0
SECONDS_PER_WORD = 0.3
FAST = 0.5
SLOW = 2.0


def scheduler(settings: OrgMemorySettings | None = None) -> Scheduler:
    row = settings or OrgMemorySettings.current()
    kwargs: dict[str, object] = {}
    if row.parameters:
        kwargs["parameters"] = tuple(row.parameters)
    return Scheduler(
        desired_retention=row.desired_retention,
        learning_steps=(),
        relearning_steps=(),
        maximum_interval=MAXIMUM_INTERVAL_DAYS,
        enable_fuzzing=ENABLE_FUZZING,
        **kwargs,  # type: ignore[arg-type]
    )


def reference_seconds(card: Card) -> float:
    return BASE_SECONDS + SECONDS_PER_WORD * card.word_count


def infer_rating(card: Card, *, correct: bool, duration_ms: int) -> Rating:
    if not correct:
        return Rating.Again
    seconds = duration_ms / 1000
    reference = reference_seconds(card)
    if seconds < FAST * reference:
        return Rating.Easy
    if seconds > SLOW * reference:
        return Rating.Hard
    return Rating.Good


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC)


def to_fsrs(memory: Memory) -> FsrsCard:
    if memory.reps == 0:
        return FsrsCard(card_id=memory.card_id, due=utc(memory.due or memory.first_seen))
    return FsrsCard(
        card_id=memory.card_id,
        state=State(memory.state),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=utc(memory.due) if memory.due else None,
        last_review=utc(memory.last_review) if memory.last_review else None,
    )


def apply(memory: Memory, card: FsrsCard, rating: Rating) -> None:
    memory.state = int(card.state)
    memory.step = card.step
    memory.stability = card.stability
    memory.difficulty = card.difficulty
    memory.due = card.due
    memory.last_review = card.last_review
    memory.last_rating = int(rating)
    memory.reps += 1
    if rating == Rating.Again and memory.reps > 1:
        memory.lapses += 1


def review(memory: Memory, rating: Rating, when: datetime, sched: Scheduler) -> None:
    """Schedule ``memory`` after an answer rated ``rating`` at ``when``."""
    card, _log = sched.review_card(to_fsrs(memory), rating, utc(when))
    apply(memory, card, rating)


def retrievability(memory: Memory, now: datetime, sched: Scheduler) -> float | None:
    """The probability of recalling the card now (None: never reviewed, or not graded)."""
    if memory.reps == 0 or memory.stability is None or memory.last_review is None:
        return None
    return float(sched.get_card_retrievability(to_fsrs(memory), utc(now)))
