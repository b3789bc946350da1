"""Answering today's cards (idempotent by the client's answer id), the streak, pausing for
holidays, leaderboard consent and the organisation's desired retention."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.microlearning import scheduling
from sylva.microlearning.models import Card, Learner, Memory, Module, OrgMemorySettings, Review
from sylva.microlearning.queries import today as today_queries
from sylva.microlearning.services import badges
from sylva.microlearning.services.content import card_iri, module_iri
from sylva.people import verbs
from sylva.people.models import Person
from sylva.people.services import record_event

MAX_OFFLINE_AGE = timedelta(days=7)
MAX_DURATION_MS = 30 * 60 * 1000


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


def grade(card: Card, response: Any) -> tuple[list[int] | str, bool | None]:
    """Check a response's shape for the card's kind; return it normalised and whether it is
    correct (None for cards that are not graded)."""
    if card.kind == Card.Kind.LESSON:
        return [], None
    if card.kind == Card.Kind.REFLECTION:
        text = str(response if isinstance(response, str) else "").strip()
        if not text:
            raise ServiceError(_("Write a few words before sending."), field="response")
        if len(text) > 2000:
            raise ServiceError(
                _("At most %(limit)d characters.") % {"limit": 2000}, field="response"
            )
        return text, None
    if not isinstance(response, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in response
    ):
        raise ServiceError(_("Choose among the options."), field="response")
    size = len(card.options)
    if (
        not response
        or any(not 0 <= i < size for i in response)
        or len(set(response)) != len(response)
    ):
        raise ServiceError(_("Choose among the options."), field="response")
    if card.kind in (Card.Kind.SINGLE, Card.Kind.TRUEFALSE, Card.Kind.POLL) and len(response) != 1:
        raise ServiceError(_("Choose one option."), field="response")
    if card.kind == Card.Kind.ORDERING:
        if len(response) != size:
            raise ServiceError(_("Put every item in order."), field="response")
        return response, response == list(range(size))
    if card.kind == Card.Kind.POLL:
        return response, None
    return response, sorted(response) == card.correct_indexes


def _check_time(answered_at: datetime | None, now: datetime) -> datetime:
    if answered_at is None:
        return now
    if timezone.is_naive(answered_at):
        raise ServiceError(_("The answer time needs a time zone."), field="answered_at")
    if answered_at > now + timedelta(minutes=2):
        raise ServiceError(_("The answer time is in the future."), field="answered_at")
    if answered_at < now - MAX_OFFLINE_AGE:
        raise ServiceError(_("This answer is more than 7 days old."), field="answered_at")
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
) -> AnswerResult:
    """Record an answer to one of today's cards and schedule the card with FSRS.

    The same ``answer_id`` sent again (an offline replay) returns the first result and
    changes nothing; an answer to a card that is not due, or not mine, is refused."""
    now = timezone.now()
    learner = learner_of(person, lock=True)
    existing = Review.objects.filter(answer_id=answer_id).select_related("card").first()
    if existing is not None:
        if existing.person_id != person.pk or existing.card_id != card_id:
            raise ServiceError(
                _("This answer id is already used by another answer."),
                field="answer_id",
                status=409,
            )
        return AnswerResult(review=existing, card=existing.card, duplicate=True)
    if learner.is_paused:
        raise ServiceError(
            _("Your rendez-vous is paused; resume it to answer."), field="card", status=409
        )
    if not isinstance(duration_ms, int) or not 0 <= duration_ms <= MAX_DURATION_MS:
        raise ServiceError(
            _("The answer time must be between 0 and 30 minutes."), field="duration_ms"
        )
    when = _check_time(answered_at, now)
    card = (
        Card.objects.select_related("module")
        .filter(pk=card_id, module__status=Module.Status.PUBLISHED)
        .first()
    )
    if card is None:
        raise NotFound(_("There is no such card."), field="card")
    day, _start, end = today_queries.day_bounds(now)
    memory = Memory.objects.select_for_update().filter(person=person, card=card).first()
    if memory is None:
        campaign = today_queries.campaign_for_card(person, card, day)
        if campaign is None:
            raise Forbidden(_("This card is not part of your campaigns."), field="card")
        memory = Memory(person=person, card=card, campaign=campaign, first_seen=when)
    elif memory.due is None or memory.due >= end:
        raise ServiceError(_("This card is not due today."), field="card", status=409)
    normalised, correct = grade(card, response)
    rating = None
    elapsed = (when - memory.last_review).total_seconds() / 86400 if memory.last_review else None
    if card.is_graded:
        assert correct is not None
        rating = scheduling.infer_rating(card, correct=correct, duration_ms=duration_ms)
        scheduling.review(memory, rating, when, scheduling.scheduler())
    else:
        memory.reps, memory.last_review, memory.due = memory.reps + 1, when, None
    memory.save()
    review = Review.objects.create(
        answer_id=answer_id,
        person=person,
        card=card,
        response=normalised,
        correct=correct,
        rating=int(rating) if rating is not None else None,
        duration_ms=duration_ms,
        elapsed_days=elapsed,
        reviewed_at=when,
    )
    _record_answer(person, card, review)
    result = AnswerResult(review=review, card=card, learner=learner)
    total = Review.objects.filter(person=person).count()
    badges.award_reached(person=person, value=total, ladder=badges.ANSWERS)
    if memory.reps == 1:
        _maybe_module_completed(person, card.module)
    if today_queries.today(person, now).done and learner.last_day != day:
        _complete_day(person, learner, day)
        result.completed_today = True
    return result


def _record_answer(person: Person, card: Card, review: Review) -> None:
    seconds = review.duration_ms / 1000
    result: dict[str, Any] = {"duration": f"PT{seconds:.1f}S"}
    if review.correct is not None:
        result["success"] = review.correct
        result["extensions"] = {
            "https://sylva.education/xapi/extensions/fsrs-rating": review.rating
        }
    if card.kind != Card.Kind.LESSON:
        result["response"] = (
            review.response
            if isinstance(review.response, str)
            else "[,]".join(str(i) for i in review.response)
        )
    record_event(
        actor=person,
        verb="completed" if card.kind == Card.Kind.LESSON else "answered",
        object_id=card_iri(card),
        object_name=card.title,
        skill=card.module.skills.first(),
        result=result,
        timestamp=review.reviewed_at,
    )


def _maybe_module_completed(person: Person, module: Module) -> None:
    cards = module.cards.count()
    seen = Memory.objects.filter(person=person, card__module=module).count()
    if cards and seen == cards:
        record_event(
            actor=person,
            verb="completed",
            object_id=module_iri(module),
            object_name=module.title,
            skill=module.skills.first(),
            result={"completion": True},
        )


def _complete_day(person: Person, learner: Learner, day: Any) -> None:
    if learner.last_day == day - timedelta(days=1):
        learner.streak += 1
    else:
        learner.streak = 1
    learner.last_day = day
    learner.best_streak = max(learner.best_streak, learner.streak)
    learner.save(update_fields=["streak", "last_day", "best_streak"])
    badges.award_reached(person=person, value=learner.streak, ladder=badges.STREAKS)
    record_event(
        actor=person,
        verb="completed",
        object_id=f"{verbs.SYLVA_ACTIVITIES}learn/today/{day.isoformat()}",
        object_name=_("Daily rendez-vous"),
        result={
            "completion": True,
            "extensions": {"https://sylva.education/xapi/extensions/streak": learner.streak},
        },
    )


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
    held = now - learner.paused_since
    Memory.objects.filter(person=person, due__isnull=False).update(due=F("due") + held)
    yesterday = timezone.localdate(now) - timedelta(days=1)
    if learner.last_day is not None and learner.streak and learner.last_day < yesterday:
        paused_day = timezone.localdate(learner.paused_since)
        if learner.last_day >= paused_day - timedelta(days=1):
            learner.last_day = yesterday
    learner.paused_since = None
    learner.save(update_fields=["paused_since", "last_day"])
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
    row = OrgMemorySettings.current()
    row.desired_retention = float(retention)
    row.save(update_fields=["desired_retention"])
    return row
