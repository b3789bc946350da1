"""A newcomer's first week: three exchanges proposed with people from other departments,
to learn the trade and meet the company. Proposed, never imposed: either side may decline."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from sylva.core.errors import ServiceError
from sylva.exchange.matching_data import Board, build_board, explain
from sylva.exchange.models import Exchange, Offer, Request
from sylva.exchange.queries import board_offers
from sylva.exchange.services.exchanges import propose
from sylva.people.models import LearningWish, Person

FIRST_WEEK = 7
HOW_MANY = 3


def in_first_week(person: Person) -> bool:
    return person.hire_date >= timezone.localdate() - timedelta(days=FIRST_WEEK - 1)


def _department_id(person: Person) -> int | None:
    return person.team.department_id if person.team_id and person.team else None


Ranked = list[tuple[float, int, Request | None]]  # (score, offer id, the request it answers)


def _best_request(offer_in: Any, board: Board, wishes: set[int]) -> tuple[float, Request | None]:
    """How well an offer fits the newcomer: its best score against their requests, or 1 for
    an offer on something they wish to learn (0: it does not fit)."""
    from sylva.exchange.matching import score  # lazy: numpy, SciPy, OR-Tools

    best: tuple[float, Request | None] = (0.0, None)
    for request_in in board.requests:
        candidate = score(request_in, offer_in)
        if candidate is not None and candidate.score > best[0]:
            best = (candidate.score, board.request_rows[request_in.id])
    if best[1] is None and wishes & offer_in.skills and offer_in.capacity > 0:
        best = (1.0, None)  # an offer on something the newcomer wishes to learn
    return best


def _ranked(board: Board, wishes: set[int]) -> Ranked:
    """The offers that fit, best first; short of three, the most recent offers with a free
    place, to meet people anyway."""
    ranked: Ranked = []
    for offer_in in board.offers:
        fit, request = _best_request(offer_in, board, wishes)
        if fit > 0:
            ranked.append((fit, offer_in.id, request))
    if len(ranked) < HOW_MANY:
        for offer_in in sorted(board.offers, key=lambda o: -o.id):
            if offer_in.capacity > 0 and all(r[1] != offer_in.id for r in ranked):
                ranked.append((0.0, offer_in.id, None))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    return ranked


def _board_for(person: Person) -> Board:
    """The newcomer's open requests and the offers of other departments' people."""
    department = _department_id(person)
    offers = board_offers().exclude(person=person)
    if department is not None:
        offers = offers.exclude(person__team__department_id=department)
    requests = Request.objects.filter(person=person, state=Request.State.OPEN)
    return build_board(requests, offers)


def _propose_ranked(person: Person, board: Board, ranked: Ranked) -> list[Exchange]:
    """Propose the ranked offers in turn, one per teacher, until three are made."""
    made: list[Exchange] = []
    teachers: set[int] = set()
    for _score, offer_id, request in ranked:
        offer: Offer = board.offer_rows[offer_id]
        if offer.person_id in teachers:
            continue
        try:
            made.append(
                propose(
                    by=None,  # the system proposes; the newcomer did not act yet
                    offer=offer,
                    request=request,
                    learner=person,
                    origin=Exchange.Origin.NEWCOMER,
                )
            )
        except ServiceError:
            continue
        teachers.add(offer.person_id)
        if len(made) == HOW_MANY:
            break
    return made


def _not_welcomed_yet(person: Person) -> bool:
    """In their first week and not welcomed: two runs of the task at the same moment wait
    for each other on the newcomer's row."""
    if not in_first_week(person):
        return False
    Person.objects.select_for_update().filter(pk=person.pk).first()
    return not Exchange.objects.filter(learner=person, origin=Exchange.Origin.NEWCOMER).exists()


@transaction.atomic
def welcome_newcomer(*, person: Person) -> list[Exchange]:
    """Propose up to three exchanges to a newcomer in their first week (once)."""
    if not _not_welcomed_yet(person):
        return []
    wishes = set(LearningWish.objects.filter(person=person).values_list("skill_id", flat=True))
    board = _board_for(person)
    return _propose_ranked(person, board, _ranked(board, wishes))


def welcome_newcomers() -> int:
    """Welcome every newcomer in their first week who was not welcomed yet (idempotent)."""
    since = timezone.localdate() - timedelta(days=FIRST_WEEK - 1)
    done = 0
    for person in (
        Person.objects.filter(hire_date__gte=since, user__is_active=True)
        .exclude(exchanges_learned__origin=Exchange.Origin.NEWCOMER)
        .select_related("team")
    ):
        done += len(welcome_newcomer(person=person))
    return done


__all__ = ["explain", "welcome_newcomer", "welcome_newcomers"]
