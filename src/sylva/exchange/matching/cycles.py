"""Reciprocity cycles: 2 or 3 people where each teaches the next and the last the first.

The person graph has an arc P → Q when one of P's offers is a candidate for one of Q's
requests (the candidates given, usually ``top_candidates``); the arc keeps the best such
candidate. Cycles of length 2 and 3 are enumerated once each (starting from their smallest
person id), then packed with CP-SAT: maximise the total score of the chosen cycles, each
person in at most one chosen cycle. (A person in one cycle gives once and receives once, so
each request is used at most once and each offer — whose capacity is at least 1 — within
its capacity.)

Packing is NP-hard and a busy board has thousands of overlapping cycles, so the search
starts from a strong packing: the linear relaxation (HiGHS) gives an upper bound and,
rounded, a first packing that CP-SAT improves; a time limit makes it return the best
packing found with the proven gap to the bound.
Cycles of 4 or more are not supported: packing them is NP-hard and does not scale
(see docs/matching.md).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from ortools.sat.python import cp_model
from scipy.optimize import linprog

from sylva.exchange.matching.model import Candidate, Cycle, OfferIn, Packing, RequestIn

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


TIME_LIMIT = 15.0  # seconds a global run gives the packing search (see pack_cycles)


def _bound_and_rounding(members: list[list[int]], weights: list[int]) -> tuple[float, list[int]]:
    """The linear relaxation's optimum (an upper bound) and a packing rounded from it.

    The relaxation is solved by HiGHS (interior point, through scipy). Rounding: cycles by
    decreasing LP value, then weight, each taken when its people are still free.
    """
    rows = [person for people in members for person in people]
    columns = [index for index, people in enumerate(members) for _ in people]
    matrix = sp.csr_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(max(rows) + 1, len(members))
    )
    weight = np.asarray(weights, dtype=np.float64)
    relaxed = linprog(
        -weight, A_ub=matrix, b_ub=np.ones(matrix.shape[0]), bounds=(0, 1), method="highs-ipm"
    )
    if relaxed.status == 0:
        bound, values = -float(relaxed.fun), np.asarray(relaxed.x)
    else:  # pragma: no cover - the relaxation is always feasible (all zeros) and bounded
        bound, values = float(weight.sum()), np.zeros(len(members))
    taken: set[int] = set()
    chosen = []
    for index in np.lexsort((-weight, -np.round(values, 6))).tolist():
        if taken.isdisjoint(members[index]):
            taken.update(members[index])
            chosen.append(index)
    return bound, chosen


def pack_cycles(
    requests: Sequence[RequestIn],
    offers: Sequence[OfferIn],
    candidates: Iterable[Candidate],
    max_length: int = 3,
    *,
    time_limit: float | None = None,
) -> Packing:
    """The set of person-disjoint reciprocity cycles of maximal total score, best first.

    Without ``time_limit`` the packing is proven optimal. With it (seconds), the CP-SAT
    search stops there and returns the best packing found, never worse than the rounding
    of the linear relaxation it starts from, with the proven bound and gap.
    """
    cycles = enumerate_cycles(requests, offers, candidates, max_length)
    if not cycles:
        return Packing([], 0.0, 0.0, True)
    people_index: dict[int, int] = {}
    members = [
        [people_index.setdefault(person, len(people_index)) for person in cycle.people]
        for cycle in cycles
    ]
    weights = [round(cycle.score * SCALE) for cycle in cycles]
    lp_bound, rounded = _bound_and_rounding(members, weights)

    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"cycle{index}") for index in range(len(cycles))]
    by_person: list[list[cp_model.IntVar]] = [[] for _ in people_index]
    for variable, people in zip(chosen, members, strict=True):
        for person in people:
            by_person[person].append(variable)
    for variables in by_person:
        if len(variables) > 1:
            model.add_at_most_one(variables)
    model.maximize(cp_model.LinearExpr.weighted_sum(chosen, weights))
    start = set(rounded)
    for index, variable in enumerate(chosen):
        model.add_hint(variable, index in start)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    if time_limit is not None:
        solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        picked = [index for index, variable in enumerate(chosen) if solver.value(variable)]
        solver_bound = solver.best_objective_bound
    else:  # stopped before any solution: the rounding is feasible
        picked, solver_bound = rounded, float("inf")
    if sum(weights[i] for i in rounded) > sum(weights[i] for i in picked):
        picked = rounded
    total = sum(weights[index] for index in picked)
    # LP optimum (in points) rounded down: the cycles' weights are integers
    bound = min(math.floor(lp_bound + 1e-6), solver_bound)
    packed = sorted((cycles[index] for index in picked), key=lambda c: (-c.score, c.people))
    return Packing(
        packed,
        total / SCALE,
        max(bound, total) / SCALE,
        status == cp_model.OPTIMAL or total >= bound,
    )
