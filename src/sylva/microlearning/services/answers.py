"""Answering today's cards (idempotent by the client's answer id), the streak, pausing for
holidays, leaderboard consent and the organisation's desired retention."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.core import xapi
from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.core.validation import check_length
from sylva.microlearning import scheduling
from sylva.microlearning.models import (
    REFLECTION_MAX_LENGTH,
    Card,
    Learner,
    Memory,
    Module,
    OrgMemorySettings,
    Review,
)
from sylva.microlearning.queries import today as today_queries
from sylva.microlearning.services import badges, content, streaks
from sylva.microlearning.services.content import card_iri, module_iri
from sylva.people import verbs
from sylva.people.models import Person
from sylva.people.services import record_event

MAX_OFFLINE_AGE = timedelta(days=7)
MAX_DURATION_MS = 30 * 60 * 1000
CLOCK_SKEW = timedelta(minutes=2)  # a phone's clock a little ahead is not "the future"


@dataclass
class AnswerResult:
    review: Review
    card: Card
    duplicate: bool = False
    completed_today: bool = False
    learner: Learner | None = None  # the learner's streak after this answer

    @property
    def correct(self) -> bool | None:
        return self.review.correct


def learner_of(person: Person, *, lock: bool = False) -> Learner:
    qs = Learner.objects.select_for_update() if lock else Learner.objects
    learner, _created = qs.get_or_create(person=person)
    return learner


def shown_order(card: Card) -> list[int]:
    """The order in which an ordering card's items are shown: the option indexes, sorted by
    a keyed hash of each item's text. It depends on the texts only, never on the right order
    (which is the options' order), and cannot be computed without the server's secret, so a
    page tells nothing of the answer. An ordering's answer is given in these *shown*
    positions: ``response[k]`` is the shown position of the item put in place ``k``."""
    key = f"sylva.microlearning.order:{settings.SECRET_KEY}".encode()

    def rank(index: int) -> tuple[str, int]:
        text = str(card.options[index].get("text", ""))
        digest = hmac.new(key, f"{card.pk or 0}:{text}".encode(), hashlib.sha256).hexdigest()
        return digest, index

    return sorted(range(len(card.options)), key=rank)


def may_see_answers(*, person: Person, user: Any, module: Module) -> bool:
    """Who may read a module's right answers and explanations outside of answering: those
    who write or review modules. Learners see them only once the server graded an answer."""
    return (
        content.may_edit(person, user, module)
        or user.has_perm("microlearning.author_module")
        or user.has_perm("microlearning.review_resource")
    )


def public_correct(card: Card) -> list[int]:
    """The right answer as a client gives it: option indexes, or for an ordering the shown
    positions in the right order."""
    if not card.is_graded:
        return []
    if card.kind == Card.Kind.ORDERING:
        order = shown_order(card)
        return [order.index(i) for i in range(len(card.options))]
    return card.correct_indexes


def _indexes(response: Any) -> list[int]:
    if not isinstance(response, list) or not all(
        type(i) is int
        for i in response  # bool, float, str are not option numbers
    ):
        raise ServiceError(_("Choose among the options."), field="response")
    return response


def grade(card: Card, response: Any) -> tuple[list[int] | str, bool | None]:
    """Check a response's type and shape for the card's kind (strictly: ``true`` is not
    option 1, ``"1"`` is not either); return it normalised (option indexes, an ordering's
    items in the order chosen) and whether it is correct (None when not graded)."""
    if card.kind == Card.Kind.LESSON:
        return _grade_lesson(response), None
    if card.kind == Card.Kind.REFLECTION:
        return _grade_reflection(response), None
    if card.kind not in Card.WITH_OPTIONS:
        raise ServiceError(_("This card cannot be answered."), field="card")
    chosen = _check_choice(card, _indexes(response))
    if card.kind == Card.Kind.ORDERING:
        items = [shown_order(card)[i] for i in chosen]
        return items, items == list(range(len(card.options)))
    if card.kind == Card.Kind.POLL:
        return chosen, None
    return chosen, sorted(chosen) == card.correct_indexes


def _grade_lesson(response: Any) -> list[int]:
    if response != [] or not isinstance(response, list):
        raise ServiceError(_("A lesson is only read: send no answer."), field="response")
    return []


def _grade_reflection(response: Any) -> str:
    if not isinstance(response, str) or not response.strip():
        raise ServiceError(_("Write a few words before sending."), field="response")
    return check_length(response.strip(), limit=REFLECTION_MAX_LENGTH, field="response")


def _check_choice(card: Card, chosen: list[int]) -> list[int]:
    """Options of the card, each once; one for a single choice, all of an ordering."""
    size = len(card.options)
    if not chosen or any(not 0 <= i < size for i in chosen) or len(set(chosen)) != len(chosen):
        raise ServiceError(_("Choose among the options."), field="response")
    if card.kind in (Card.Kind.SINGLE, Card.Kind.TRUEFALSE, Card.Kind.POLL) and len(chosen) != 1:
        raise ServiceError(_("Choose one option."), field="response")
    if card.kind == Card.Kind.ORDERING and len(chosen) != size:
        raise ServiceError(_("Put every item in order."), field="response")
    return chosen


SERVED_SALT = "sylva.microlearning.served"
#: the longest ``served`` note taken back (a signed note is well under it)
SERVED_MAX_LENGTH = 200


def served_token(person: Person, moment: datetime | None = None) -> str:
    """A signed note of when the server gave ``person`` their cards (in each card's form,
    and in the API's today): an answer dated earlier than that is not believed."""
    when = moment or timezone.now()
    return signing.dumps({"p": person.pk, "t": int(when.timestamp())}, salt=SERVED_SALT)


def _served_at(person: Person, token: str | None) -> datetime | None:
    try:
        note = signing.loads(
            str(token or ""), salt=SERVED_SALT, max_age=MAX_OFFLINE_AGE + timedelta(days=1)
        )
    except signing.BadSignature:
        return None
    if not isinstance(note, dict) or note.get("p") != person.pk:
        return None
    return datetime.fromtimestamp(int(note.get("t", 0)), tz=UTC)


def _check_time(
    person: Person, answered_at: datetime | None, now: datetime, served: str | None
) -> datetime:
    """When the answer was made: now, or an offline answer's own time. A few minutes of
    clock skew are brought back to now; the future and more than a week ago are refused;
    an earlier time must come with the page it was answered on (``served``), and cannot
    be before the server gave it: an answer cannot be back-dated to a day not opened."""
    if answered_at is None:
        return now
    if not isinstance(answered_at, datetime):
        raise ServiceError(_("The answer time is not a date and time."), field="answered_at")
    if timezone.is_naive(answered_at):
        raise ServiceError(_("The answer time needs a time zone."), field="answered_at")
    if answered_at > now + CLOCK_SKEW:
        raise ServiceError(_("The answer time is in the future."), field="answered_at")
    if answered_at < now - MAX_OFFLINE_AGE:
        raise ServiceError(_("This answer is more than 7 days old."), field="answered_at")
    if answered_at < now - CLOCK_SKEW:
        given = _served_at(person, served)
        if given is None or answered_at < given - CLOCK_SKEW:
            raise ServiceError(
                _("This answer is dated before its cards were given to you."),
                field="answered_at",
            )
    return min(answered_at, now)


@transaction.atomic
def answer_card(
    *,
    person: Person,
    card_id: int,
    answer_id: uuid.UUID,
    response: Any,
    duration_ms: int,
    answered_at: datetime | None = None,
    served: str | None = None,
) -> AnswerResult:
    """Record an answer to one of the cards of the learner's rendez-vous and schedule the
    card with FSRS. The one way in for the page, htmx, the API and offline replays.

    Only what the server's queue offers may be answered: the due reviews and the day's
    allowance of new cards, of the day the answer was made (an offline answer made
    yesterday is checked against, and counted on, yesterday). Memory never goes back in
    time: an answer older than the card's last review is refused. The same ``answer_id``
    sent again (an offline replay) returns the first result and changes nothing. An answer
    dated in the past (made offline) comes with ``served``, the signed time its cards were
    given (``served_token``)."""
    now = timezone.now()
    learner = learner_of(person, lock=True)
    existing = _replayed(person, card_id=card_id, answer_id=answer_id)
    if existing is not None:
        return AnswerResult(review=existing, card=existing.card, duplicate=True)
    check_may_answer(learner, duration_ms)
    when = _check_time(person, answered_at, now, served)
    card = check_card(card_id)
    memory = Memory.objects.select_for_update().filter(person=person, card=card).first()
    if memory is not None and memory.last_review is not None and when < memory.last_review:
        raise ServiceError(
            _("This card was reviewed after this answer was made: the later review stands."),
            field="answered_at",
            status=409,
        )
    queue = today_queries.today(person, when, streak=False)
    slot = check_offered(person, card, memory, queue)
    normalised, correct = grade(card, response)
    return do_answer(
        person=person,
        learner=learner,
        card=card,
        memory=memory
        or Memory(person=person, card=card, campaign_id=slot.campaign_id, first_seen=when),
        queue=queue,
        answer=Review(
            answer_id=answer_id,
            person=person,
            card=card,
            response=normalised,
            correct=correct,
            duration_ms=duration_ms,
            reviewed_at=when,
        ),
    )


def _replayed(person: Person, *, card_id: int, answer_id: uuid.UUID) -> Review | None:
    """The review this ``answer_id`` already recorded (an offline replay), if any."""
    existing = Review.objects.filter(answer_id=answer_id).select_related("card").first()
    if existing is not None and (existing.person_id != person.pk or existing.card_id != card_id):
        raise ServiceError(
            _("This answer id is already used by another answer."),
            field="answer_id",
            status=409,
        )
    return existing


def check_may_answer(learner: Learner, duration_ms: int) -> None:
    if learner.is_paused:
        raise ServiceError(
            _("Your rendez-vous is paused; resume it to answer."), field="card", status=409
        )
    if type(duration_ms) is not int or not 0 <= duration_ms <= MAX_DURATION_MS:
        raise ServiceError(
            _("The answer time must be between 0 and 30 minutes."), field="duration_ms"
        )


def check_card(card_id: int) -> Card:
    """The published card ``card_id``; a card withdrawn since (answered offline before) is
    said to be so, rather than "no such card"."""
    if type(card_id) is not int:
        raise NotFound(_("There is no such card."), field="card")
    card = (
        Card.objects.select_related("module")
        .filter(pk=card_id, module__status=Module.Status.PUBLISHED)
        .first()
    )
    if card is not None:
        return card
    if Card.everything.filter(pk=card_id, retired_at__isnull=False).exists():
        raise ServiceError(
            _("This card was withdrawn by its authors since: it no longer counts."),
            field="card",
            status=409,
        )
    raise NotFound(_("There is no such card."), field="card")


def check_offered(
    person: Person, card: Card, memory: Memory | None, queue: today_queries.Today
) -> today_queries.Slot:
    """The card's place in the day's queue: a due review or one of the day's new cards."""
    slot = next((s for s in queue.slots if s.card.pk == card.pk), None)
    if slot is not None:
        return slot
    if memory is not None:
        raise ServiceError(_("This card is not due today."), field="card", status=409)
    if today_queries.campaign_for_card(person, card, queue.day) is None:
        raise Forbidden(_("This card is not part of your campaigns."), field="card")
    raise ServiceError(
        _("Today's new cards are all given: this one comes on another day."),
        field="card",
        status=409,
    )


def do_answer(
    *,
    person: Person,
    learner: Learner,
    card: Card,
    memory: Memory,
    queue: today_queries.Today,
    answer: Review,
) -> AnswerResult:
    """Write a checked answer: the card's memory scheduled, the review, the learning event,
    badges, the module's and the day's completion."""
    _settle_streak(person, learner, queue.day)
    _schedule(memory, answer)
    memory.save()
    answer.save(force_insert=True)
    _record_answer(person, card, answer)
    result = AnswerResult(review=answer, card=card, learner=learner)
    total = Review.objects.filter(person=person).count()
    badges.award_reached(person=person, value=total, ladder=badges.ANSWERS)
    if memory.reps == 1:
        _maybe_module_completed(person, card.module)
    if len(queue.slots) == 1:  # this was the day's last card (answering one removes only it)
        result.completed_today = _complete_day(person, learner, queue.day)
    return result


def _schedule(memory: Memory, answer: Review) -> None:
    """The card's next date (FSRS, from the rating inferred) for a graded card; a card not
    graded is only counted as seen. The review keeps the rating and the days elapsed."""
    when, last = answer.reviewed_at, memory.last_review
    answer.elapsed_days = (when - last).total_seconds() / 86400 if last else None
    if answer.card.is_graded:
        assert answer.correct is not None
        rating = scheduling.infer_rating(
            answer.card, correct=answer.correct, duration_ms=answer.duration_ms
        )
        scheduling.review(memory, rating, when, scheduling.scheduler())
        answer.rating = int(rating)
    else:
        memory.reps, memory.last_review, memory.due = memory.reps + 1, when, None


def _quiet(person: Person) -> Callable[[date, date], bool]:
    return lambda after, before: today_queries.quiet_days(person, after, before)


def _settle_streak(person: Person, learner: Learner, day: date) -> None:
    """Before the first answer of a day after a gap, while the cards are as they stood
    during it: a gap of quiet days carries the streak to the day before (a bridge, as a
    pause does); a missed day ends it."""
    last = learner.last_day
    if not learner.streak or last is None or last >= day - timedelta(days=1):
        return
    if streaks.quiet_between(last, day, _quiet(person)):
        learner.last_day = day - timedelta(days=1)
    else:
        learner.streak = 0
    learner.save(update_fields=["streak", "last_day"])


def _record_answer(person: Person, card: Card, review: Review) -> None:
    seconds = review.duration_ms / 1000
    result: dict[str, Any] = {"duration": f"PT{seconds:.1f}S"}
    if review.correct is not None:
        result["success"] = review.correct
        result["extensions"] = {xapi.EXT_FSRS_RATING: review.rating}
    # Only which options were chosen reaches the shared log: what a person writes in a
    # reflection stays on their review (a confidential field), never copied into the log.
    if card.kind in Card.WITH_OPTIONS and not isinstance(review.response, str):
        result["response"] = "[,]".join(str(i) for i in review.response)
    record_event(
        actor=person,
        verb=verbs.COMPLETED if card.kind == Card.Kind.LESSON else verbs.ANSWERED,
        object_id=card_iri(card),
        object_name=card.title,
        skill=card.module.skills.first(),
        result=result,
        timestamp=review.reviewed_at,
    )


def _maybe_module_completed(person: Person, module: Module) -> None:
    cards = module.cards.count()
    seen = Memory.objects.filter(
        person=person, card__module=module, card__retired_at__isnull=True
    ).count()
    if cards and seen == cards:
        record_event(
            actor=person,
            verb=verbs.COMPLETED,
            object_id=module_iri(module),
            object_name=module.title,
            skill=module.skills.first(),
            result={"completion": True},
        )


def _complete_day(person: Person, learner: Learner, day: date) -> bool:
    """The rendez-vous of ``day`` is done: the streak moves (services.streaks) and the
    day's completion is recorded once. False when that day was already done."""
    if learner.last_day == day:
        return False
    learner.streak, learner.last_day = streaks.complete(
        learner.streak, learner.last_day, day, _quiet(person)
    )
    learner.best_streak = max(learner.best_streak, learner.streak)
    learner.save(update_fields=["streak", "last_day", "best_streak"])
    badges.award_reached(person=person, value=learner.streak, ladder=badges.STREAKS)
    record_event(
        actor=person,
        verb=verbs.COMPLETED,
        object_id=xapi.activity("learn/today", day.isoformat()),
        object_name=_("Daily rendez-vous"),
        result={
            "completion": True,
            "extensions": {xapi.EXT_STREAK: learner.streak},
        },
    )
    return True


@transaction.atomic
def pause(*, person: Person) -> Learner:
    """Holidays, leave: nothing comes due and nothing piles up until resumed."""
    learner = learner_of(person, lock=True)
    if learner.is_paused:
        raise ServiceError(_("Your rendez-vous is already paused."), field="pause", status=409)
    learner.paused_since = timezone.now()
    learner.save(update_fields=["paused_since"])
    return learner


@transaction.atomic
def resume(*, person: Person) -> Learner:
    """Every due date moves by the length of the pause (a holiday hold), so the cards come
    back spread as they were, and the streak survives the holidays."""
    learner = learner_of(person, lock=True)
    if learner.paused_since is None:
        raise ServiceError(_("Your rendez-vous is not paused."), field="pause", status=409)
    now = timezone.now()
    paused_since, held = learner.paused_since, now - learner.paused_since
    learner.paused_since = None
    learner.save(update_fields=["paused_since"])
    yesterday = timezone.localdate(now) - timedelta(days=1)
    if learner.last_day is not None and learner.streak and learner.last_day < yesterday:
        # the paused days are quiet, and so are the days before the pause that had nothing
        # to do (checked before the due dates move, as the cards stood then)
        paused_day = timezone.localdate(paused_since)
        if streaks.quiet_between(learner.last_day, paused_day, _quiet(person)):
            learner.last_day = yesterday
            learner.save(update_fields=["last_day"])
    Memory.objects.filter(person=person, due__isnull=False).update(due=F("due") + held)
    return learner


@transaction.atomic
def set_leaderboard_consent(*, person: Person, visible: bool) -> Learner:
    learner = learner_of(person, lock=True)
    learner.on_leaderboards = bool(visible)
    learner.save(update_fields=["on_leaderboards"])
    return learner


@transaction.atomic
def set_desired_retention(*, retention: float) -> OrgMemorySettings:
    if not isinstance(retention, int | float) or not 0.7 <= retention <= 0.97:
        raise ServiceError(_("Desired retention is between 0.70 and 0.97."), field="retention")
    row = OrgMemorySettings.for_update()
    row.desired_retention = float(retention)
    row.save(update_fields=["desired_retention"])
    return row
