"""The matching package: scores, candidates, the global run and reciprocity cycles.

Pure Python, no database. Hypothesis draws small random boards on which exhaustive search
is possible, and the solvers must agree with it.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sylva.exchange.matching import (
    Candidate,
    Cycle,
    OfferIn,
    RequestIn,
    Solution,
    greedy,
    pack_cycles,
    score,
    solve,
    top_candidates,
)
from sylva.exchange.matching.text import similarity

TEXTS = (
    "Réglage d'une extrudeuse",
    "reglage extrudeuse",
    "Extrusion line setup",
    "Maintenance préventive des presses",
    "preventive maintenance",
    "Comptabilité fournisseurs",
    "Lean management et 5S",
    "",
)
BOARD = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def offer(**fields: object) -> OfferIn:
    values: dict[str, object] = {
        "id": 1,
        "person": 1,
        "skills": frozenset({1}),
        "domains": frozenset({1}),
        "level": 4,
        "text": "Réglage d'une extrudeuse",
        "formats": frozenset({"in_person", "video"}),
        "site": 1,
        "department": 1,
        "slots": frozenset({9, 10}),
        "capacity": 2,
        "given": 0,
        "received": 0,
    }
    values.update(fields)
    return OfferIn(**values)  # type: ignore[arg-type]


def request(**fields: object) -> RequestIn:
    values: dict[str, object] = {
        "id": 1,
        "person": 2,
        "skills": frozenset({1}),
        "domains": frozenset({1}),
        "level": 1,
        "text": "reglage extrudeuse",
        "formats": frozenset({"in_person", "phone"}),
        "site": 1,
        "department": 2,
        "slots": frozenset({10, 11}),
        "newcomer": False,
        "given": 0,
        "received": 0,
    }
    values.update(fields)
    return RequestIn(**values)  # type: ignore[arg-type]


formats = st.frozensets(st.sampled_from(["in_person", "phone", "video"]), min_size=1)
skills = st.frozensets(st.integers(1, 4), min_size=1, max_size=2)
slots = st.frozensets(st.sampled_from([9, 10, 11, 33, 34, 57]), max_size=3)
sites = st.one_of(st.none(), st.integers(1, 2))


@st.composite
def boards(
    draw: st.DrawFn, max_people: int = 4, max_requests: int = 6, max_offers: int = 4
) -> tuple[list[RequestIn], list[OfferIn]]:
    people = st.integers(1, max_people)
    requests = []
    for index in range(draw(st.integers(0, max_requests))):
        chosen = draw(skills)
        requests.append(
            request(
                id=index + 1,
                person=draw(people),
                skills=chosen,
                domains=frozenset(skill // 3 for skill in chosen),
                level=draw(st.integers(0, 3)),
                text=draw(st.sampled_from(TEXTS)),
                formats=draw(formats),
                site=draw(sites),
                department=draw(st.one_of(st.none(), st.integers(1, 2))),
                slots=draw(slots),
                newcomer=draw(st.booleans()),
                given=draw(st.integers(0, 2)),
                received=draw(st.integers(0, 2)),
            )
        )
    offers = []
    for index in range(draw(st.integers(0, max_offers))):
        chosen = draw(skills)
        offers.append(
            offer(
                id=100 + index,
                person=draw(people),
                skills=chosen,
                domains=frozenset(skill // 3 for skill in chosen),
                level=draw(st.integers(1, 4)),
                text=draw(st.sampled_from(TEXTS)),
                formats=draw(formats),
                site=draw(sites),
                department=draw(st.one_of(st.none(), st.integers(1, 2))),
                slots=draw(slots),
                capacity=draw(st.integers(0, 3)),
            )
        )
    return requests, offers


def all_pairs(requests: Sequence[RequestIn], offers: Sequence[OfferIn]) -> list[Candidate]:
    found = (score(r, o) for r in requests for o in offers)
    return [candidate for candidate in found if candidate is not None]


def assert_feasible(
    solution: Solution,
    requests: Sequence[RequestIn],
    offers: Sequence[OfferIn],
    candidates: Sequence[Candidate],
) -> None:
    request_person = {r.id: r.person for r in requests}
    offer_by_id = {o.id: o for o in offers}
    allowed = {(c.request, c.offer): c for c in candidates}
    assert all((pair.request, pair.offer) in allowed for pair in solution.pairs)
    uses = Counter(pair.offer for pair in solution.pairs)
    assert all(uses[o] <= offer_by_id[o].capacity for o in uses)
    assert len({pair.request for pair in solution.pairs}) == len(solution.pairs)
    groups = [(request_person[p.request], offer_by_id[p.offer].person) for p in solution.pairs]
    assert all(learner != teacher for learner, teacher in groups)
    assert len(set(groups)) == len(groups)
    assert solution.total == pytest.approx(sum(pair.score for pair in solution.pairs))


def brute_force_total(
    requests: Sequence[RequestIn], offers: Sequence[OfferIn], candidates: Sequence[Candidate]
) -> float:
    """Best total over every assignment, by exhaustive search."""
    request_person = {r.id: r.person for r in requests}
    offer_by_id = {o.id: o for o in offers}
    options = [[None, *(c for c in candidates if c.request == r.id)] for r in requests]
    best = 0
    for choice in itertools.product(*options):
        pairs = [c for c in choice if c is not None]
        uses = Counter(c.offer for c in pairs)
        if any(uses[o] > offer_by_id[o].capacity for o in uses):
            continue
        groups = {(request_person[c.request], offer_by_id[c.offer].person) for c in pairs}
        if len(groups) < len(pairs):
            continue
        best = max(best, sum(round(c.score * 1000) for c in pairs))
    return best / 1000


# --- score -----------------------------------------------------------------------------


def test_score_explains_a_good_match() -> None:
    candidate = score(request(), offer())
    assert candidate is not None
    assert 0 < candidate.score <= 100
    codes = [reason.code for reason in candidate.reasons]
    assert codes[0] == "skill"
    assert candidate.reasons[0].params == {"skill": 1, "level": 4}
    assert {"text", "level_gap"} <= set(codes)


def test_nobody_is_matched_with_themself() -> None:
    assert score(request(person=1), offer(person=1)) is None


def test_no_common_format_is_incompatible() -> None:
    assert score(request(formats=frozenset({"phone"})), offer()) is None


def test_face_to_face_needs_the_same_site_unless_a_site_is_unknown() -> None:
    in_person = frozenset({"in_person"})
    assert score(request(formats=in_person, site=2), offer(formats=in_person)) is None
    assert score(request(formats=in_person, site=None), offer(formats=in_person)) is not None
    remote = score(request(site=2, formats=frozenset({"video"})), offer())
    face_to_face = score(request(site=1, formats=frozenset({"video", "in_person"})), offer())
    assert remote is not None and face_to_face is not None
    assert face_to_face.score > remote.score


def test_no_shared_skill_nor_domain_is_incompatible() -> None:
    assert score(request(skills=frozenset({7}), domains=frozenset({7})), offer()) is None


def test_an_offer_without_capacity_is_incompatible() -> None:
    assert score(request(), offer(capacity=0)) is None


def test_a_shared_skill_beats_a_shared_domain() -> None:
    same_skill = score(request(), offer())
    same_domain = score(request(), offer(skills=frozenset({2})))
    assert same_skill is not None and same_domain is not None
    assert same_skill.score > same_domain.score
    assert "domain" in [reason.code for reason in same_domain.reasons]


def test_an_offerer_above_the_learner_scores_higher() -> None:
    above = score(request(level=1), offer(level=4))
    equal = score(request(level=4), offer(level=4))
    assert above is not None and equal is not None
    assert above.score > equal.score


def test_ecosystem_aims_raise_the_score() -> None:
    plain = score(request(given=0, received=3), offer(capacity=1))
    assert plain is not None
    for better in (
        score(request(given=0, received=3, newcomer=True), offer(capacity=1)),
        score(request(given=3, received=0), offer(capacity=1)),
        score(request(given=0, received=3), offer(capacity=3)),
    ):
        assert better is not None and better.score > plain.score
    same_department = score(request(given=0, received=3, department=1), offer(capacity=1))
    assert same_department is not None and same_department.score < plain.score


@given(board=boards())
@BOARD
def test_score_is_within_bounds_and_explained(
    board: tuple[list[RequestIn], list[OfferIn]],
) -> None:
    requests, offers = board
    for candidate in all_pairs(requests, offers):
        assert 0 <= candidate.score <= 100
        assert 1 <= len(candidate.reasons) <= 5
        assert candidate.reasons[0].code in {"skill", "domain"} or candidate.reasons


# --- text ------------------------------------------------------------------------------


def test_text_similarity_folds_accents_and_stop_words() -> None:
    assert similarity("réglage extrudeuse", "reglage d'une extrudeuse") > 0.95


def test_text_similarity_bridges_french_and_english_terms() -> None:
    close = similarity("Réglage d'une ligne d'extrusion", "Extrusion line setup")
    far = similarity("Réglage d'une ligne d'extrusion", "Comptabilité fournisseurs")
    assert close > 0.3 > far


def test_text_similarity_of_nothing_is_zero() -> None:
    assert similarity("", "réglage") == 0
    assert similarity("de la", "the of") == 0


# --- candidates ------------------------------------------------------------------------


@given(board=boards(max_people=5, max_requests=6, max_offers=8), k=st.integers(1, 4))
@BOARD
def test_top_candidates_are_the_k_best_scores_of_each_request(
    board: tuple[list[RequestIn], list[OfferIn]], k: int
) -> None:
    requests, offers = board
    found = top_candidates(requests, offers, k=k)
    every = all_pairs(requests, offers)
    for req in requests:
        mine = [c for c in found if c.request == req.id]
        expected = sorted((c.score for c in every if c.request == req.id), reverse=True)[:k]
        assert [c.score for c in mine] == expected
    by_id = {(r.id, o.id): (r, o) for r in requests for o in offers}
    for candidate in found:
        assert score(*by_id[(candidate.request, candidate.offer)]) == candidate
    # unexplained candidates: the same pairs and scores, in the same order, without reasons
    plain = top_candidates(requests, offers, k=k, explain=False)
    assert [(c.request, c.offer, c.score) for c in plain] == [
        (c.request, c.offer, c.score) for c in found
    ]
    assert all(c.reasons == () for c in plain)


# --- global run ------------------------------------------------------------------------


@given(board=boards())
@BOARD
def test_global_run_is_feasible_and_optimal(board: tuple[list[RequestIn], list[OfferIn]]) -> None:
    requests, offers = board
    candidates = all_pairs(requests, offers)
    exact = solve(requests, offers, candidates)
    baseline = greedy(requests, offers, candidates)
    assert_feasible(exact, requests, offers, candidates)
    assert_feasible(baseline, requests, offers, candidates)
    assert exact.total == pytest.approx(brute_force_total(requests, offers, candidates))
    assert exact.total >= baseline.total - 1e-9


def test_global_run_allows_one_exchange_per_pair_of_people() -> None:
    # Person 2 asks two things of person 1, who offers both: only one exchange between them.
    requests = [request(id=1, skills=frozenset({1})), request(id=2, skills=frozenset({2}))]
    offers = [offer(id=10, skills=frozenset({1})), offer(id=11, skills=frozenset({2}))]
    candidates = all_pairs(requests, offers)
    assert len(candidates) == 4
    assert len(solve(requests, offers, candidates).pairs) == 1
    assert len(greedy(requests, offers, candidates).pairs) == 1


def test_global_run_beats_greedy_when_the_best_pair_blocks_two_others() -> None:
    # Offer 10 is the best for both requests but has one place; greedy gives it to request 1
    # and leaves request 2 with nothing, the optimum sends request 1 to offer 11.
    requests = [request(id=1, person=2), request(id=2, person=3, skills=frozenset({2}))]
    offers = [
        offer(id=10, person=1, capacity=1, skills=frozenset({1, 2})),
        offer(
            id=11,
            person=4,
            skills=frozenset({1}),
            level=2,
            text="",
            formats=frozenset({"phone"}),
            slots=frozenset(),
        ),
    ]
    candidates = all_pairs(requests, offers)
    exact, baseline = solve(requests, offers, candidates), greedy(requests, offers, candidates)
    assert len(exact.pairs) == 2
    assert exact.total > baseline.total


def test_global_run_on_an_empty_board_is_empty() -> None:
    assert solve([], [], []) == Solution(pairs=[], total=0)
    assert greedy([request()], [], []) == Solution(pairs=[], total=0)


# --- cycles ----------------------------------------------------------------------------


def brute_force_cycles(
    requests: Sequence[RequestIn], offers: Sequence[OfferIn], candidates: Sequence[Candidate]
) -> float:
    """Best total of disjoint 2- and 3-cycles, over every candidate edge, exhaustively."""
    learner = {r.id: r.person for r in requests}
    teacher = {o.id: o.person for o in offers}
    by_key = {(c.request, c.offer): c for c in candidates}
    cycles: set[frozenset[tuple[int, int]]] = set()
    for length in (2, 3):
        for edges in itertools.permutations(candidates, length):
            people = [teacher[e.offer] for e in edges]
            if len(set(people)) < length:
                continue
            if all(learner[e.request] == people[(i + 1) % length] for i, e in enumerate(edges)):
                cycles.add(frozenset((e.request, e.offer) for e in edges))
    listed = [[by_key[key] for key in cycle] for cycle in cycles]
    best = 0

    def search(start: int, people: frozenset[int], total: int) -> None:
        nonlocal best
        best = max(best, total)
        for index in range(start, len(listed)):
            cycle_people = frozenset(teacher[e.offer] for e in listed[index])
            if not cycle_people & people:
                points = sum(round(e.score * 1000) for e in listed[index])
                search(index + 1, people | cycle_people, total + points)

    search(0, frozenset(), 0)
    return best / 1000


def assert_real_cycle(
    cycle: Cycle, requests: Sequence[RequestIn], offers: Sequence[OfferIn]
) -> None:
    request_by_id = {r.id: r for r in requests}
    offer_by_id = {o.id: o for o in offers}
    assert 2 <= len(cycle.people) <= 3
    assert len(set(cycle.people)) == len(cycle.people)
    for index, edge in enumerate(cycle.edges):
        req, off = request_by_id[edge.request], offer_by_id[edge.offer]
        assert score(req, off) == edge
        assert off.person == cycle.people[index]
        assert req.person == cycle.people[(index + 1) % len(cycle.people)]


@given(board=boards(max_people=5, max_requests=6, max_offers=6))
@BOARD
def test_packed_cycles_are_real_disjoint_and_optimal(
    board: tuple[list[RequestIn], list[OfferIn]],
) -> None:
    requests, offers = board
    candidates = all_pairs(requests, offers)
    packing = pack_cycles(requests, offers, candidates)
    cycles = packing.cycles
    for cycle in cycles:
        assert_real_cycle(cycle, requests, offers)
    people = [person for cycle in cycles for person in cycle.people]
    assert len(people) == len(set(people))
    used_requests = [edge.request for cycle in cycles for edge in cycle.edges]
    assert len(used_requests) == len(set(used_requests))
    capacity = {o.id: o.capacity for o in offers}
    uses = Counter(edge.offer for cycle in cycles for edge in cycle.edges)
    assert all(uses[o] <= capacity[o] for o in uses)
    total = sum(cycle.score for cycle in cycles)
    best = brute_force_cycles(requests, offers, candidates)
    assert total == pytest.approx(best)
    assert packing.optimal and packing.gap == 0
    assert packing.total == pytest.approx(total)
    assert packing.bound == pytest.approx(best)


def test_a_two_person_and_a_three_person_cycle_are_found() -> None:
    requests = [
        request(id=1, person=1),
        request(id=2, person=2),
        request(id=3, person=4),
        request(id=4, person=5),
        request(id=5, person=6),
    ]
    offers = [
        offer(id=10, person=2),
        offer(id=11, person=1),
        offer(id=12, person=4),
        offer(id=13, person=5),
        offer(id=14, person=6),
    ]
    # Persons 1 and 2 teach each other; 4, 5, 6 as well, but a candidate list may be partial:
    candidates = [
        c
        for c in top_candidates(requests, offers, k=5)
        if (c.request, c.offer) in {(1, 10), (2, 11), (4, 12), (5, 13), (3, 14)}
    ]
    cycles = pack_cycles(requests, offers, candidates).cycles
    assert sorted(cycle.people for cycle in cycles) == [(1, 2), (4, 5, 6)]
    for cycle in cycles:
        assert_real_cycle(cycle, requests, offers)


def test_a_packing_stopped_by_its_time_limit_is_feasible_and_bounded() -> None:
    # 15 people where everyone can teach everyone on skill 1: hundreds of
    # overlapping cycles, and no time to prove anything.
    people = range(1, 16)
    requests = [request(id=p, person=p, department=p % 4) for p in people]
    offers = [offer(id=100 + p, person=p, department=p % 4, capacity=1) for p in people]
    candidates = all_pairs(requests, offers)
    packing = pack_cycles(requests, offers, candidates, time_limit=0.001)
    chosen = [person for cycle in packing.cycles for person in cycle.people]
    assert len(chosen) == len(set(chosen))
    for cycle in packing.cycles:
        assert_real_cycle(cycle, requests, offers)
    assert packing.total == pytest.approx(sum(cycle.score for cycle in packing.cycles))
    assert packing.total <= packing.bound + 1e-9
    assert 0 <= packing.gap < 1
    assert len(chosen) >= 12  # the relaxation's rounding alone covers nearly everyone
    proven = pack_cycles(requests, offers, candidates)
    assert proven.optimal
    assert packing.total <= proven.total + 1e-9 <= packing.bound + 2e-9


def test_cycles_longer_than_three_are_refused() -> None:
    with pytest.raises(ValueError, match="max_length"):
        pack_cycles([], [], [], max_length=4)
