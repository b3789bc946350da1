"""Reciprocity cycles: 2 or 3 people where each teaches the next and the last the first.

The person graph has an arc P → Q when one of P's offers is a candidate for one of Q's
requests (the candidates given, usually ``top_candidates``); the arc keeps the best such
candidate. Cycles of length 2 and 3 are enumerated once each (starting from their smallest
person id), then packed with CP-SAT: maximise the total score of the chosen cycles, each
request used at most once, each offer at most ``capacity`` times, each person in at most one
chosen cycle. (With the person rule the request and offer rules always hold — a person gives
and receives once — but they are stated so the model stays right if that rule is relaxed.)
Cycles of 4 or more are not supported: packing them is NP-hard and does not scale
(see docs/matching.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from ortools.sat.python import cp_model

from sylva.exchange.matching.model import Candidate, Cycle, OfferIn, RequestIn

SCALE = 1000


def _arcs(
    requests: Sequence[RequestIn], offers: Sequence[OfferIn], candidates: Iterable[Candidate]
) -> dict[int, dict[int, Candidate]]:
    """``arcs[teacher][learner]``: the best candidate by which ``teacher`` teaches ``learner``."""
    request_person = {request.id: request.person for request in requests}
    offer_person = {offer.id: offer.person for offer in offers if offer.capacity > 0}
    arcs: dict[int, dict[int, Candidate]] = defaultdict(dict)
    for candidate in candidates:
        learner = request_person.get(candidate.request)
        teacher = offer_person.get(candidate.offer)
        if learner is None or teacher is None or learner == teacher:
            continue
        best = arcs[teacher].get(learner)
        if best is None or (candidate.score, -candidate.request, -candidate.offer) > (
            best.score,
            -best.request,
            -best.offer,
        ):
            arcs[teacher][learner] = candidate
    return arcs


def enumerate_cycles(
    requests: Sequence[RequestIn],
    offers: Sequence[OfferIn],
    candidates: Iterable[Candidate],
    max_length: int = 3,
) -> list[Cycle]:
    """Every cycle of 2 to ``max_length`` (≤ 3) distinct people, each listed once."""
    if max_length not in (2, 3):
        raise ValueError("max_length must be 2 or 3")
    arcs = _arcs(requests, offers, candidates)
    cycles: list[Cycle] = []
    for first in sorted(arcs):
        out_first = arcs[first]
        for second in sorted(out_first):
            if second <= first:
                continue
            out_second = arcs.get(second, {})
            back = out_second.get(first)
            if back is not None:
                cycles.append(Cycle((first, second), (out_first[second], back)))
            if max_length < 3:
                continue
            for third, step in out_second.items():
                if third <= first or third == second:
                    continue
                closing = arcs.get(third, {}).get(first)
                if closing is not None:
                    cycles.append(Cycle((first, second, third), (out_first[second], step, closing)))
    return cycles


def pack_cycles(
    requests: Sequence[RequestIn],
    offers: Sequence[OfferIn],
    candidates: Iterable[Candidate],
    max_length: int = 3,
    *,
    time_limit: float | None = None,
) -> list[Cycle]:
    """The set of disjoint reciprocity cycles of maximal total score, best cycle first.

    ``time_limit`` (seconds) bounds the CP-SAT search; without it the result is proven
    optimal. With it, the best packing found in time is returned.
    """
    cycles = enumerate_cycles(requests, offers, candidates, max_length)
    if not cycles:
        return []
    capacity = {offer.id: offer.capacity for offer in offers}
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"cycle{index}") for index in range(len(cycles))]
    by_person: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    by_request: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    by_offer: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for variable, cycle in zip(chosen, cycles, strict=True):
        for person in cycle.people:
            by_person[person].append(variable)
        for edge in cycle.edges:
            by_request[edge.request].append(variable)
            by_offer[edge.offer].append(variable)
    for variables in by_person.values():
        if len(variables) > 1:
            model.add_at_most_one(variables)
    for variables in by_request.values():
        if len(variables) > 1:
            model.add_at_most_one(variables)
    for offer, variables in by_offer.items():
        if len(variables) > capacity[offer]:
            model.add(cp_model.LinearExpr.sum(variables) <= capacity[offer])
    weights = [round(cycle.score * SCALE) for cycle in cycles]
    model.maximize(cp_model.LinearExpr.weighted_sum(chosen, weights))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    if time_limit is not None:
        solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return []
    packed = [
        cycle for variable, cycle in zip(chosen, cycles, strict=True) if solver.value(variable)
    ]
    return sorted(packed, key=lambda cycle: (-cycle.score, cycle.people))
