"""One assignment for the whole board: exact (min-cost flow) and greedy (baseline).

Constraints, for both: each request is matched at most once, each offer at most
``capacity`` times, nobody with themself, and at most one exchange per
(offerer, requester) pair of people.

``solve`` maximises the total score exactly. The network is
source → request (cap 1) → offer (cap 1 per candidate) → sink (cap = offer capacity), plus a
source → sink bypass so requests may stay unmatched; costs are the negated scores in
thousandths (scores carry three decimals, so the integers are exact).

The per-pair rule is not a flow constraint in general. It is built into the network where
it can be: a (requester, offerer) group whose candidates use a single request is already
capped by that request's arc, and a group that uses a single offer goes through a gadget
node of capacity 1 in front of that offer. A group with several requests *and* several offers
(someone asking several things of someone offering several things) is relaxed; if the
relaxed optimum breaks it, a branch and bound splits on which request of the group may be
used, each branch turning the group into a single-request one. Bounds come from the
relaxation, the first incumbent from ``greedy``; the search ends with a proven optimum.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from sylva.exchange.matching.model import Candidate, OfferIn, RequestIn, Solution

SCALE = 1000  # scores have three decimals


def _points(candidate: Candidate) -> int:
    return round(candidate.score * SCALE)


def _solution(pairs: list[Candidate], *, optimal: bool = True) -> Solution:
    pairs = sorted(pairs, key=lambda pair: (pair.request, pair.offer))
    return Solution(
        pairs=pairs, total=sum(_points(pair) for pair in pairs) / SCALE, optimal=optimal
    )


IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class _Board:
    """Valid, deduplicated candidates (sorted by request, offer) as parallel arrays."""

    candidates: list[Candidate]
    request: IntArray
    offer: IntArray
    points: IntArray
    requester: IntArray
    offerer: IntArray
    capacity: IntArray  # the capacity of each candidate's offer


def _lookup(ids: IntArray, values: IntArray, wanted: IntArray) -> tuple[IntArray, IntArray]:
    """``values`` at the positions of ``wanted`` in ``ids``, and which were found."""
    order = np.argsort(ids, kind="stable")
    position = np.searchsorted(ids[order], wanted)
    position = np.minimum(position, max(len(ids) - 1, 0))
    found = (ids[order][position] == wanted) if len(ids) else np.zeros(len(wanted), dtype=bool)
    return (values[order][position] if len(ids) else np.zeros(len(wanted), np.int64)), found


def _board(
    requests: Sequence[RequestIn], offers: Sequence[OfferIn], candidates: Iterable[Candidate]
) -> _Board:
    listed = list(candidates)
    count = len(listed)
    request = np.fromiter((c.request for c in listed), np.int64, count)
    offer = np.fromiter((c.offer for c in listed), np.int64, count)
    points = np.fromiter((_points(c) for c in listed), np.int64, count)
    requester, known_request = _lookup(
        np.fromiter((r.id for r in requests), np.int64, len(requests)),
        np.fromiter((r.person for r in requests), np.int64, len(requests)),
        request,
    )
    offer_ids = np.fromiter((o.id for o in offers), np.int64, len(offers))
    offerer, known_offer = _lookup(
        offer_ids, np.fromiter((o.person for o in offers), np.int64, len(offers)), offer
    )
    capacity, _ = _lookup(
        offer_ids, np.fromiter((o.capacity for o in offers), np.int64, len(offers)), offer
    )
    valid = known_request & known_offer & (requester != offerer) & (capacity > 0) & (points > 0)
    keep = np.flatnonzero(valid)
    # one candidate per (request, offer), the best; then in (request, offer) order
    keep = keep[np.lexsort((-points[keep], offer[keep], request[keep]))]
    first = np.ones(len(keep), dtype=bool)
    first[1:] = (request[keep][1:] != request[keep][:-1]) | (offer[keep][1:] != offer[keep][:-1])
    keep = keep[first]
    return _Board(
        [listed[index] for index in keep.tolist()],
        request[keep],
        offer[keep],
        points[keep],
        requester[keep],
        offerer[keep],
        capacity[keep],
    )


def _greedy(board: _Board) -> list[int]:
    """Indices (into the board) of the greedy assignment: best score first."""
    remaining = dict(zip(board.offer.tolist(), board.capacity.tolist(), strict=True))
    used_requests: set[int] = set()
    used_groups: set[tuple[int, int]] = set()
    chosen = []
    order = np.lexsort((board.offer, board.request, -board.points)).tolist()
    request, offer = board.request.tolist(), board.offer.tolist()
    requester, offerer = board.requester.tolist(), board.offerer.tolist()
    for index in order:
        group = (requester[index], offerer[index])
        if request[index] in used_requests or remaining[offer[index]] <= 0 or group in used_groups:
            continue
        used_requests.add(request[index])
        used_groups.add(group)
        remaining[offer[index]] -= 1
        chosen.append(index)
    return chosen


def greedy(
    requests: Sequence[RequestIn], offers: Sequence[OfferIn], candidates: Iterable[Candidate]
) -> Solution:
    """Best score first, skipping what would break a constraint. A baseline, not optimal."""
    board = _board(requests, offers, candidates)
    return _solution([board.candidates[index] for index in _greedy(board)])


class _Network:
    """The flow network of a board, built once; branches only switch candidate arcs off."""

    def __init__(self, board: _Board) -> None:
        self.board = board
        count = len(board.candidates)
        request, offer, points = board.request, board.offer, board.points
        requester, offerer = board.requester, board.offerer
        request_ids, request_index = np.unique(request, return_inverse=True)
        offer_ids, offer_index = np.unique(offer, return_inverse=True)
        requests_count, offers_count = len(request_ids), len(offer_ids)
        request_nodes = 2 + request_index
        offer_nodes = 2 + requests_count + offer_index
        next_node = 2 + requests_count + offers_count

        # (requester, offerer) groups, and how many requests and offers each one spans
        # (one-dimensional keys: np.unique over a 2-D axis is many times slower)
        people = int(max(requester.max(), offerer.max())) + 1
        _, group_index = np.unique(requester * people + offerer, return_inverse=True)
        group_index = group_index.ravel()
        groups_count = int(group_index.max()) + 1
        group_requests = np.bincount(
            np.unique(group_index * requests_count + request_index) // requests_count,
            minlength=groups_count,
        )
        group_offers = np.bincount(
            np.unique(group_index * offers_count + offer_index) // offers_count,
            minlength=groups_count,
        )
        self.group_of = group_index
        self.complex = (group_requests > 1) & (group_offers > 1)
        order = np.argsort(group_index, kind="stable")
        bounds = np.searchsorted(group_index[order], np.arange(groups_count + 1))
        self._order, self._bounds, self.groups_count = order, bounds, groups_count
        self.request_index = request_index

        # a group with one offer and several requests goes through a gadget node of cap 1
        gadget_groups = np.flatnonzero((group_offers == 1) & (group_requests > 1))
        gadget_node = np.full(groups_count, -1, dtype=np.int64)
        gadget_node[gadget_groups] = next_node + np.arange(len(gadget_groups))
        next_node += len(gadget_groups)
        first_member = order[bounds[gadget_groups]]
        heads = np.where(gadget_node[group_index] >= 0, gadget_node[group_index], offer_nodes)

        capacity = np.zeros(offers_count, dtype=np.int64)
        capacity[offer_index] = board.capacity
        source, sink = 0, 1
        self.tails = np.concatenate(
            [
                np.zeros(requests_count + 1, dtype=np.int64),
                2 + requests_count + np.arange(offers_count),
                gadget_node[gadget_groups],
                request_nodes,
            ]
        )
        self.heads = np.concatenate(
            [
                2 + np.arange(requests_count),
                [sink],
                np.full(offers_count, sink),
                offer_nodes[first_member],
                heads,
            ]
        )
        self.capacities = np.concatenate(
            [
                np.ones(requests_count, dtype=np.int64),
                [requests_count],
                np.minimum(capacity, requests_count),
                np.ones(len(gadget_groups) + count, dtype=np.int64),
            ]
        )
        fixed_arcs = len(self.tails) - count
        self.costs = np.concatenate([np.zeros(fixed_arcs, dtype=np.int64), -points])
        self.nodes = next_node
        self.flow = min_cost_flow.SimpleMinCostFlow()
        self.flow.add_arcs_with_capacity_and_unit_cost(
            self.tails.astype(np.int32), self.heads.astype(np.int32), self.capacities, self.costs
        )
        supplies = np.zeros(next_node, dtype=np.int64)
        supplies[source] = requests_count
        supplies[sink] = -requests_count
        self.flow.set_nodes_supplies(np.arange(next_node, dtype=np.int32), supplies)
        self.pair_arcs = np.arange(fixed_arcs, fixed_arcs + count, dtype=np.int32)

    def members(self, group: int) -> IntArray:
        """The candidate indices of ``group``."""
        return self._order[self._bounds[group] : self._bounds[group + 1]]

    def relax(self, banned: frozenset[int]) -> tuple[int, list[int]]:
        """Optimum (in points) and chosen candidate indices without the ``banned`` ones."""
        capacities = np.ones(len(self.pair_arcs), dtype=np.int64)
        if banned:
            capacities[np.fromiter(banned, dtype=np.int64, count=len(banned))] = 0
        self.flow.set_arc_capacities(self.pair_arcs, capacities)
        status = self.flow.solve()
        if status != self.flow.OPTIMAL:  # pragma: no cover - the bypass arc keeps it feasible
            raise RuntimeError(f"min-cost flow failed with status {status}")
        used = np.flatnonzero(self.flow.flows(self.pair_arcs))
        return -self.flow.optimal_cost(), used.tolist()

    def broken(self, chosen: list[int]) -> list[int]:
        """The groups (requester, offerer) used more than once by ``chosen``."""
        counts = np.bincount(self.group_of[chosen], minlength=self.groups_count)
        return np.flatnonzero(counts > 1).tolist()

    def only_request(self, group: int, keep: int) -> set[int]:
        """Candidates of ``group`` to ban so that only the request of ``keep`` may use it."""
        members = self.members(group)
        return set(members[self.request_index[members] != self.request_index[keep]].tolist())


MAX_BRANCHES = 400  # relaxations the branch and bound may solve before it settles


def _incumbent(board: _Board, network: _Network, chosen: list[int]) -> tuple[int, list[int]]:
    """The better of greedy and a repair of the relaxation (keep, in each broken group, the
    request of its best pair; solve again; repeat until nothing is broken): its points and
    its candidates."""
    best = _greedy(board)
    best_points = int(board.points[best].sum())
    banned: frozenset[int] = frozenset()
    repaired = chosen
    while broken := network.broken(repaired):
        extra: set[int] = set()
        for group in broken:
            used = [i for i in repaired if network.group_of[i] == group]
            keep = max(used, key=lambda i: (int(board.points[i]), -i))
            extra |= network.only_request(group, keep)
        banned = banned | extra
        points, repaired = network.relax(banned)
        if points <= best_points:
            break
    else:
        best_points, best = points, repaired
    return best_points, best


Branch = tuple[int, int, frozenset[int], list[int]]  # (-bound, order, banned, chosen)


def _branch(
    network: _Network, group: int, banned: frozenset[int], best_points: int
) -> list[tuple[int, frozenset[int], list[int]]]:
    """The children of a branch on a broken group, each letting one of the group's
    requests use it, that can still beat ``best_points``: (bound, banned, chosen)."""
    members = [index for index in network.members(group).tolist() if index not in banned]
    keepers = {int(network.request_index[index]): index for index in members}
    children = []
    for keep in sorted(keepers.values()):
        child = banned | network.only_request(group, keep)
        child_bound, child_chosen = network.relax(child)
        if child_bound > best_points:
            children.append((child_bound, child, child_chosen))
    return children


def _branch_and_bound(
    network: _Network,
    bound: int,
    chosen: list[int],
    best_points: int,
    best: list[int],
    max_branches: int,
) -> tuple[list[int], bool]:
    """Best-first branch and bound on broken groups (the network then enforces a branch's
    choice exactly): the best assignment, and whether it is proven optimal (False once
    ``max_branches`` relaxations were solved)."""
    counter = 0
    heap: list[Branch] = [(-bound, 0, frozenset(), chosen)]
    while heap:
        if counter >= max_branches:
            return best, False
        negative_bound, _, banned, chosen = heapq.heappop(heap)
        if -negative_bound <= best_points:
            break  # nothing left can beat the incumbent
        broken = network.broken(chosen)
        if not broken:
            return chosen, True  # the best remaining bound is attained by a feasible one
        for child_bound, child, child_chosen in _branch(network, broken[0], banned, best_points):
            counter += 1
            heapq.heappush(heap, (-child_bound, counter, child, child_chosen))
    return best, True


def solve(
    requests: Sequence[RequestIn],
    offers: Sequence[OfferIn],
    candidates: Iterable[Candidate],
    *,
    max_branches: int = MAX_BRANCHES,
) -> Solution:
    """The assignment of maximal total score (see the module docstring).

    The branch and bound solves at most ``max_branches`` relaxations; past that it returns
    the best feasible assignment found (the repaired relaxation or greedy's, whichever
    scores more) with ``optimal=False``, so that a pathological board cannot stall a run.
    """
    board = _board(requests, offers, candidates)
    if not board.candidates:
        return _solution([])
    network = _Network(board)
    bound, chosen = network.relax(frozenset())
    if not network.broken(chosen):
        return _solution([board.candidates[index] for index in chosen])

    best_points, best = _incumbent(board, network, chosen)
    best, optimal = _branch_and_bound(network, bound, chosen, best_points, best, max_branches)
    return _solution([board.candidates[index] for index in best], optimal=optimal)
