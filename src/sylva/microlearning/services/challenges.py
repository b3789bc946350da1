"""Duels between two colleagues and week-long team challenges.

Duel points for one question: 0 when wrong; when right, 100 plus a speed bonus of up to 50
(50 x (1 - seconds / 20), never negative). The duel is decided when both have finished.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.microlearning.models import Card, Duel, DuelPlay, Module, TeamChallenge
from sylva.microlearning.services import badges
from sylva.microlearning.services.answers import grade
from sylva.microlearning.services.content import card_iri
from sylva.people import verbs
from sylva.people.models import Person, Team
from sylva.people.services import record_event

DUEL_QUESTIONS = 5
SPEED_BONUS = 50
SPEED_WINDOW_S = 20.0


def duel_points(*, correct: bool, duration_ms: int) -> int:
    if not correct:
        return 0
    seconds = max(0.0, duration_ms / 1000)
    return 100 + round(SPEED_BONUS * max(0.0, 1 - seconds / SPEED_WINDOW_S))


def duel_iri(duel: Duel) -> str:
    return f"{verbs.SYLVA_ACTIVITIES}learn/duel/{duel.pk}"


@transaction.atomic
def start_duel(
    *, challenger: Person, opponent: Person, module: Module, rematch_of: Duel | None = None
) -> Duel:
    if opponent.pk == challenger.pk:
        raise ServiceError(_("Challenge a colleague, not yourself."), field="opponent")
    if not opponent.user.is_active:
        raise ServiceError(_("This colleague can no longer play."), field="opponent")
    if not module.is_published:
        raise ServiceError(_("Choose a published module."), field="module")
    questions = list(
        module.cards.filter(kind__in=Card.GRADED)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    if not questions:
        raise ServiceError(_("This module has no question to duel on."), field="module")
    rng = random.Random(secrets.randbits(64))
    picked = rng.sample(questions, min(DUEL_QUESTIONS, len(questions)))
    duel = Duel.objects.create(
        module=module,
        challenger=challenger,
        opponent=opponent,
        card_ids=picked,
        rematch_of=rematch_of,
    )
    DuelPlay.objects.bulk_create(
        [DuelPlay(duel=duel, person=challenger), DuelPlay(duel=duel, person=opponent)]
    )
    record_event(
        actor=challenger,
        verb="challenged",
        object_id=duel_iri(duel),
        object_name=module.title,
        skill=module.skills.first(),
        other=opponent,
    )
    return duel


def play_of(duel: Duel, person: Person, *, lock: bool = False) -> DuelPlay:
    if duel.side(person) is None:
        raise Forbidden(_("This duel is between two other colleagues."))
    qs = DuelPlay.objects.select_for_update() if lock else DuelPlay.objects
    return qs.get(duel=duel, person=person)


def next_question(duel: Duel, play: DuelPlay) -> Card | None:
    for card_id in duel.card_ids:
        if str(card_id) not in play.answers:
            return Card.everything.get(pk=card_id)  # retired meanwhile: the duel goes on
    return None


@transaction.atomic
def answer_duel(
    *, person: Person, duel: Duel, card_id: int, response: Any, duration_ms: int
) -> DuelPlay:
    play = play_of(duel, person, lock=True)
    if play.finished_at is not None:
        raise ServiceError(_("You have finished this duel."), field="card", status=409)
    if card_id not in duel.card_ids:
        raise NotFound(_("This question is not part of the duel."), field="card")
    if str(card_id) in play.answers:
        raise ServiceError(_("You have already answered this question."), field="card", status=409)
    if not isinstance(duration_ms, int) or not 0 <= duration_ms <= 30 * 60 * 1000:
        raise ServiceError(
            _("The answer time must be between 0 and 30 minutes."), field="duration_ms"
        )
    card = Card.everything.select_related("module").get(pk=card_id)
    normalised, correct = grade(card, response)
    points = duel_points(correct=bool(correct), duration_ms=duration_ms)
    play.answers[str(card_id)] = {
        "correct": bool(correct),
        "ms": duration_ms,
        "points": points,
        "response": normalised,
    }
    play.score += points
    record_event(
        actor=person,
        verb="answered",
        object_id=card_iri(card),
        object_name=card.title,
        skill=card.module.skills.first(),
        result={
            "success": bool(correct),
            "duration": f"PT{duration_ms / 1000:.1f}S",
            "score": {"raw": points, "min": 0, "max": 100 + SPEED_BONUS},
        },
    )
    if len(play.answers) == len(duel.card_ids):
        play.finished_at = timezone.now()
        top = (100 + SPEED_BONUS) * len(duel.card_ids)
        record_event(
            actor=person,
            verb="completed",
            object_id=duel_iri(duel),
            object_name=duel.module.title,
            skill=duel.module.skills.first(),
            other=duel.opponent if person.pk == duel.challenger_id else duel.challenger,
            result={"score": {"raw": play.score, "min": 0, "max": top}, "completion": True},
        )
    play.save()
    if play.finished_at is not None:
        outcome = duel_outcome(duel)
        if outcome["winner"] is not None:
            badges.award(person=outcome["winner"], code="duel-won")
    return play


def duel_outcome(duel: Duel) -> dict[str, Any]:
    """Both scores once both have finished; ``winner`` is None for a draw or while waiting."""
    plays = {p.person_id: p for p in duel.plays.select_related("person")}
    mine, theirs = plays[duel.challenger_id], plays[duel.opponent_id]
    finished = mine.finished_at is not None and theirs.finished_at is not None
    winner = None
    if finished and mine.score != theirs.score:
        winner = mine.person if mine.score > theirs.score else theirs.person
    return {"finished": finished, "winner": winner, "challenger": mine, "opponent": theirs}


@transaction.atomic
def rematch(*, person: Person, duel: Duel) -> Duel:
    if duel.side(person) is None:
        raise Forbidden(_("This duel is between two other colleagues."))
    if not duel_outcome(duel)["finished"]:
        raise ServiceError(_("Finish this duel before a rematch."), field="duel", status=409)
    other = duel.opponent if person.pk == duel.challenger_id else duel.challenger
    return start_duel(challenger=person, opponent=other, module=duel.module, rematch_of=duel)


@transaction.atomic
def launch_team_challenge(
    *,
    creator: Person,
    name: str,
    teams: list[Team],
    starts_on: date,
    days: int = 7,
    module: Module | None = None,
) -> TeamChallenge:
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the challenge a name."), field="name")
    if len({t.pk for t in teams}) < 2:
        raise ServiceError(_("A challenge needs at least two teams."), field="teams")
    if not 1 <= days <= 31:
        raise ServiceError(_("A challenge lasts from 1 to 31 days."), field="days")
    if module is not None and not module.is_published:
        raise ServiceError(_("Choose a published module."), field="module")
    challenge = TeamChallenge.objects.create(
        name=name[:160],
        module=module,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days - 1),
        created_by=creator,
    )
    challenge.teams.set(teams)
    record_event(
        actor=creator,
        verb="challenged",
        object_id=f"{verbs.SYLVA_ACTIVITIES}learn/team-challenge/{challenge.pk}",
        object_name=challenge.name,
        skill=module.skills.first() if module else None,
    )
    return challenge
