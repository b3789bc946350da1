"""The global matching run: one optimal assignment of the open requests to offers under
every offerer's capacity (top-k candidates, then min-cost flow) and, beside it, packed
reciprocity cycles. An animator reviews a run before its proposals are sent, unless the
organisation sends them directly. A sent proposal becomes an exchange proposed to both
people, which either may decline: nobody is forced."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.core.errors import ServiceError
from sylva.exchange.matching_data import build_board, reasons_to_json
from sylva.exchange.models import Exchange, ExchangeSettings, MatchRun, Proposal, Request
from sylva.exchange.queries import board_offers, board_requests
from sylva.exchange.services import notify
from sylva.exchange.services.exchanges import propose
from sylva.people.models import Person

Step = Callable[[str], None]


def _unanswered_requests() -> object:
    busy = Exchange.objects.filter(
        state__in=(
            Exchange.State.PROPOSED,
            Exchange.State.ACCEPTED,
            Exchange.State.SCHEDULED,
        ),
        request__isnull=False,
    ).values("request_id")
    pending = Proposal.objects.filter(state=Proposal.State.PENDING).values("request_id")
    return board_requests().exclude(pk__in=busy).exclude(pk__in=pending)


def _remaining(
    board_requests: list[Any], board_offers: list[Any], cycles: list[Any]
) -> tuple[list[Any], list[Any]]:
    """The board left once the cycles are taken: their requests served, their offers' capacity
    lowered by one per use."""
    served = {edge.request for cycle in cycles for edge in cycle.edges}
    used = Counter(edge.offer for cycle in cycles for edge in cycle.edges)
    requests = [request for request in board_requests if request.id not in served]
    offers = [
        replace(offer, capacity=offer.capacity - used[offer.id]) if offer.id in used else offer
        for offer in board_offers
    ]
    return requests, offers


def run_matching(
    *, started_by: Person | None = None, k: int = 20, step: Step | None = None
) -> MatchRun:
    """Compute a run on the current board and store its proposals (sent at once when the
    organisation says so).

    Reciprocity cycles are packed first (within ``matching.cycles.TIME_LIMIT`` seconds; the
    run records whether the packing was proven optimal); the exact assignment then serves
    the other requests with the capacity the cycles leave, so that no request gets two
    proposals from one run. Reasons are built for the kept pairs only.
    """
    # lazy: numpy, SciPy and OR-Tools load when a run is computed, not with every page
    from sylva.exchange.matching import pack_cycles, score, solve, top_candidates
    from sylva.exchange.matching.cycles import TIME_LIMIT

    say = step or (lambda _label: None)
    began = time.perf_counter()
    say(_("Reading the board"))
    board = build_board(_unanswered_requests(), board_offers())  # type: ignore[arg-type]
    say(_("Scoring candidates"))
    candidates = top_candidates(board.requests, board.offers, k=k, explain=False)
    say(_("Packing reciprocity cycles"))
    packing = pack_cycles(
        board.requests, board.offers, candidates, max_length=3, time_limit=TIME_LIMIT
    )
    say(_("Solving the assignment"))
    requests, offers = _remaining(board.requests, board.offers, packing.cycles)
    solution = solve(requests, offers, candidates)
    say(_("Saving proposals"))
    request_by_id = {request.id: request for request in board.requests}
    offer_by_id = {offer.id: offer for offer in board.offers}

    def proposal(run: MatchRun, pair: Any, cycle: int | None = None) -> Proposal:
        explained = score(request_by_id[pair.request], offer_by_id[pair.offer])
        reasons = explained.reasons if explained is not None else ()
        return Proposal(
            run=run,
            request_id=pair.request,
            offer_id=pair.offer,
            score=pair.score,
            reasons=reasons_to_json(reasons),
            cycle=cycle,
        )

    with transaction.atomic():
        run = MatchRun.objects.create(
            started_by=started_by,
            requests=len(board.requests),
            offers=len(board.offers),
            candidates=len(candidates),
            total_score=round(solution.total + packing.total, 3),
            optimal=solution.optimal and packing.optimal,
            cycles=len(packing.cycles),
        )
        rows = [proposal(run, pair) for pair in solution.pairs]
        for number, cycle in enumerate(packing.cycles, start=1):
            rows.extend(proposal(run, edge, number) for edge in cycle.edges)
        Proposal.objects.bulk_create(rows, batch_size=1000)
        run.seconds = round(time.perf_counter() - began, 3)
        run.save(update_fields=["seconds"])
    if ExchangeSettings.load().send_directly:
        say(_("Sending proposals"))
        send_run(run=run, by=None)
    elif rows:
        with transaction.atomic():
            notify.tell_run(run)  # the animators review it
    return run


@transaction.atomic
def review_proposal(*, proposal: Proposal, approve: bool, by: Person | None) -> Proposal:
    """Send one proposal (it becomes an exchange proposed to both people) or reject it.
    The run's row is locked first (as sending and discarding do), then the proposal's."""
    MatchRun.objects.select_for_update().filter(pk=proposal.run_id).first()
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("request__person", "offer__person", "run")
        .get(pk=proposal.pk)
    )
    if proposal.state != Proposal.State.PENDING:
        raise ServiceError(_("This proposal was already reviewed."), field="state", status=409)
    if proposal.run.state == MatchRun.State.DISCARDED:
        raise ServiceError(_("This run was discarded."), field="state", status=409)
    if not approve:
        proposal.state = Proposal.State.REJECTED
        proposal.save(update_fields=["state"])
        return proposal
    request: Request = proposal.request
    offer = proposal.offer
    if request.state != Request.State.OPEN or offer.state != Request.State.OPEN:
        proposal.state = Proposal.State.REJECTED
        proposal.save(update_fields=["state"])
        return proposal
    exchange = propose(
        by=by,  # the animator who sent it (None: sent directly); neither person acted yet
        offer=offer,
        request=request,
        origin=Exchange.Origin.RUN,
    )
    proposal.state = Proposal.State.APPROVED
    proposal.exchange = exchange
    proposal.save(update_fields=["state", "exchange"])
    return proposal


@transaction.atomic
def send_run(*, run: MatchRun, by: Person | None) -> int:
    """Send every pending proposal of a run (each in its own savepoint: one that can no
    longer be sent does not hold back the others). Returns how many were sent.

    The run's row is locked for the whole sending: a second send (a double click, another
    animator) waits and is then told the run was sent; a discard waits and is refused, or
    went first and the send is refused — each proposal is decided once."""
    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    if run.state == MatchRun.State.DISCARDED:
        raise ServiceError(_("This run was discarded."), field="state", status=409)
    if run.state == MatchRun.State.SENT:
        raise ServiceError(_("This run was already sent."), field="state", status=409)
    sent = 0
    for proposal in run.proposals.filter(state=Proposal.State.PENDING).order_by("cycle", "-score"):
        try:
            done = review_proposal(proposal=proposal, approve=True, by=by)
        except ServiceError:
            Proposal.objects.filter(pk=proposal.pk, state=Proposal.State.PENDING).update(
                state=Proposal.State.REJECTED
            )
            continue
        sent += done.state == Proposal.State.APPROVED
    MatchRun.objects.filter(pk=run.pk).update(state=MatchRun.State.SENT, sent_at=timezone.now())
    return sent


@transaction.atomic
def discard_run(*, run: MatchRun) -> MatchRun:
    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    if run.state != MatchRun.State.REVIEW:
        raise ServiceError(
            _("Only a run under review can be discarded."), field="state", status=409
        )
    run.state = MatchRun.State.DISCARDED
    run.save(update_fields=["state"])
    run.proposals.filter(state=Proposal.State.PENDING).update(state=Proposal.State.REJECTED)
    return run
