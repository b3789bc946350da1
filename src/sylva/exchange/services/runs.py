"""The global matching run: one optimal assignment of the open requests to offers under
every offerer's capacity (top-k candidates, then min-cost flow) and, beside it, packed
reciprocity cycles. An animator reviews a run before its proposals are sent, unless the
organisation sends them directly. A sent proposal becomes an exchange proposed to both
people, which either may decline: nobody is forced."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.core.errors import ServiceError
from sylva.exchange.matching_data import build_board, reasons_to_json
from sylva.exchange.models import Exchange, ExchangeSettings, MatchRun, Proposal, Request
from sylva.exchange.services.exchanges import propose
from sylva.people.models import Person

Step = Callable[[str], None]


def _unanswered_requests() -> object:
    from sylva.exchange.queries import board_requests

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


# A scheduled run must end: past these bounds it keeps the best answer found (see
# sylva.exchange.matching.solve and pack_cycles), which small boards never reach.
CYCLE_SECONDS = 60.0


def run_matching(
    *, started_by: Person | None = None, k: int = 20, step: Step | None = None
) -> MatchRun:
    """Compute a run on the current board and store its proposals (sent at once when the
    organisation says so)."""
    from sylva.exchange.matching import pack_cycles, solve, top_candidates
    from sylva.exchange.queries import board_offers

    say = step or (lambda _label: None)
    began = time.perf_counter()
    say(_("Reading the board"))
    board = build_board(_unanswered_requests(), board_offers())  # type: ignore[arg-type]
    say(_("Scoring candidates"))
    candidates = top_candidates(board.requests, board.offers, k=k)
    say(_("Solving the assignment"))
    solution = solve(board.requests, board.offers, candidates)
    say(_("Packing reciprocity cycles"))
    cycles = pack_cycles(
        board.requests, board.offers, candidates, max_length=3, time_limit=CYCLE_SECONDS
    )
    say(_("Saving proposals"))
    with transaction.atomic():
        run = MatchRun.objects.create(
            started_by=started_by,
            requests=len(board.requests),
            offers=len(board.offers),
            candidates=len(candidates),
            total_score=round(solution.total, 3),
        )
        rows = [
            Proposal(
                run=run,
                request_id=c.request,
                offer_id=c.offer,
                score=c.score,
                reasons=reasons_to_json(c.reasons),
            )
            for c in solution.pairs
        ]
        for number, cycle in enumerate(cycles, start=1):
            rows.extend(
                Proposal(
                    run=run,
                    request_id=c.request,
                    offer_id=c.offer,
                    score=c.score,
                    reasons=reasons_to_json(c.reasons),
                    cycle=number,
                )
                for c in cycle.edges
            )
        Proposal.objects.bulk_create(rows, batch_size=1000)
        run.seconds = round(time.perf_counter() - began, 3)
        run.save(update_fields=["seconds"])
    if ExchangeSettings.load().send_directly:
        say(_("Sending proposals"))
        send_run(run=run, by=None)
    return run


@transaction.atomic
def review_proposal(*, proposal: Proposal, approve: bool, by: Person | None) -> Proposal:
    """Send one proposal (it becomes an exchange proposed to both people) or reject it."""
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
        by=by or offer.person,
        offer=offer,
        request=request,
        origin=Exchange.Origin.RUN,
    )
    proposal.state = Proposal.State.APPROVED
    proposal.exchange = exchange
    proposal.save(update_fields=["state", "exchange"])
    return proposal


def send_run(*, run: MatchRun, by: Person | None) -> int:
    """Send every pending proposal of a run (each in its own transaction: one that can no
    longer be sent does not hold back the others). Returns how many were sent."""
    if run.state == MatchRun.State.DISCARDED:
        raise ServiceError(_("This run was discarded."), field="state", status=409)
    sent = 0
    for proposal in run.proposals.filter(state=Proposal.State.PENDING).order_by("cycle", "-score"):
        try:
            done = review_proposal(proposal=proposal, approve=True, by=by)
        except ServiceError:
            Proposal.objects.filter(pk=proposal.pk).update(state=Proposal.State.REJECTED)
            continue
        sent += done.state == Proposal.State.APPROVED
    MatchRun.objects.filter(pk=run.pk).update(state=MatchRun.State.SENT, sent_at=timezone.now())
    return sent


@transaction.atomic
def discard_run(*, run: MatchRun) -> MatchRun:
    if run.state != MatchRun.State.REVIEW:
        raise ServiceError(
            _("Only a run under review can be discarded."), field="state", status=409
        )
    run.state = MatchRun.State.DISCARDED
    run.save(update_fields=["state"])
    run.proposals.filter(state=Proposal.State.PENDING).update(state=Proposal.State.REJECTED)
    return run
