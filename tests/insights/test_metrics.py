"""Each metric against values computed by hand on small graphs (no database)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sylva.insights.eventcopy import duration_hours
from sylva.insights.metrics import network, skills


def arr(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def test_unique_ties_merge_directions_and_drop_self_loops() -> None:
    u, v, w = network.unique_ties(arr(0, 1, 2, 3, 2), arr(1, 0, 2, 1, 3))
    assert (u.tolist(), v.tolist(), w.tolist()) == ([0, 1, 2], [1, 3, 3], [2, 1, 1])


def test_ei_index_of_a_partition_counts_each_tie_once() -> None:
    # groups: {0,1,2} and {3,4}; ties 0-1, 1-2 inside A, 3-4 inside B, 2-3 and 0-4 between
    group = arr(0, 0, 0, 1, 1)
    u, v = arr(0, 1, 3, 2, 0), arr(1, 2, 4, 3, 4)
    ei = network.ei_index(u, v, group)
    assert (ei.external, ei.internal) == (2, 3)
    assert ei.index == pytest.approx((2 - 3) / 5)


def test_ei_by_group_counts_an_outside_tie_for_both_groups() -> None:
    group = arr(0, 0, 0, 1, 1)
    u, v = arr(0, 1, 3, 2, 0), arr(1, 2, 4, 3, 4)
    external, internal = network.ei_by_group(u, v, group, 2)
    assert external.tolist() == [2, 2]
    assert internal.tolist() == [2, 1]
    assert network.ei_values(external, internal).tolist() == pytest.approx([0.0, 1 / 3])


def test_people_without_a_group_are_left_out_of_the_ei_index() -> None:
    group = arr(0, 0, -1)
    ei = network.ei_index(arr(0, 1), arr(1, 2), group)
    assert (ei.external, ei.internal) == (0, 1)
    assert network.EI(0, 0).index is None


def test_shuffle_baseline_of_a_complete_graph_is_fixed_by_group_sizes() -> None:
    # on a complete graph of 4 people in two pairs, every shuffle gives the same counts:
    # each group has 1 internal and 4 external ties, E-I = 3/5
    people = 4
    pairs = [(a, b) for a in range(people) for b in range(a + 1, people)]
    u, v = arr(*[a for a, _ in pairs]), arr(*[b for _, b in pairs])
    mean, low, high = network.shuffle_baseline(u, v, arr(0, 0, 1, 1), 2, rounds=10, seed=1)
    assert mean.tolist() == pytest.approx([0.6, 0.6])
    assert low.tolist() == pytest.approx([0.6, 0.6]) and high.tolist() == pytest.approx([0.6, 0.6])


def test_reciprocity_is_the_share_of_directed_pairs_returned() -> None:
    # 0→1, 1→0 returned; 1→2 not; 2→0 not: 2 of 4 distinct pairs (duplicates ignored)
    assert network.reciprocity(arr(0, 1, 1, 2, 0), arr(1, 0, 2, 0, 1)) == pytest.approx(0.5)
    assert network.reciprocity(arr(), arr()) is None


def test_gave_and_received_counts_people_in_the_help_graph_only() -> None:
    # 0 gives to 1, 1 gives to 2: only 1 both gave and received; 3 took no part
    share = network.gave_and_received(arr(0, 1), arr(1, 2), arr(0, 1, 2, 3))
    assert share == pytest.approx(1 / 3)


def test_leiden_finds_two_cliques_joined_by_one_edge() -> None:
    edges = [(a, b) for a in range(4) for b in range(a + 1, 4)]
    edges += [(a + 4, b + 4) for a, b in edges] + [(0, 4)]
    u, v = arr(*[a for a, _ in edges]), arr(*[b for _, b in edges])
    g = network.graph(8, u, v)
    membership = network.leiden(g, seed=1)
    assert len(set(membership[:4].tolist())) == 1 and len(set(membership[4:].tolist())) == 1
    assert membership[0] != membership[4]
    assert network.ami(membership, arr(0, 0, 0, 0, 1, 1, 1, 1)) == pytest.approx(1.0)


def test_adjusted_mutual_information_is_near_zero_for_unrelated_labels() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.integers(0, 4, 2000), rng.integers(0, 4, 2000)
    assert abs(network.ami(a, b)) < 0.01


def test_burt_constraint_of_a_star_centre_and_leaves() -> None:
    # star with centre 0 and 3 leaves: p = 1/3 from the centre, no indirect paths:
    # C(centre) = 3 x (1/3)² = 1/3; a leaf has one contact: C = 1
    g = network.graph(4, arr(0, 0, 0), arr(1, 2, 3))
    c = network.burt_constraint(g)
    assert c[0] == pytest.approx(1 / 3)
    assert c[1:].tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_burt_constraint_of_a_triangle() -> None:
    # each has two contacts (p = 1/2) who are tied: (1/2 + 1/2·1/2)² x 2 = 1.125
    g = network.graph(3, arr(0, 1, 0), arr(1, 2, 2))
    assert network.burt_constraint(g).tolist() == pytest.approx([1.125] * 3)


def test_adamic_adar_sums_inverse_log_degrees_of_common_neighbours() -> None:
    # 0 and 3 share neighbours 1 (degree 2) and 2 (degree 3: 0, 3, 4)
    u, v = arr(0, 0, 1, 2, 2), arr(1, 2, 3, 3, 4)
    score = network.adamic_adar(5, u, v, arr(0, 0), arr(3, 4))
    assert score[0] == pytest.approx(1 / math.log(2) + 1 / math.log(3))
    assert score[1] == pytest.approx(1 / math.log(3))


def test_single_holder_skills() -> None:
    holders = skills.holders_per_skill([(1, 10), (2, 10), (3, 11), (3, 12), (4, 12)])
    assert skills.single_holder_skills(holders) == [11]


def test_truck_factor_by_hand() -> None:
    # skills a..d: person 1 holds a, b, c; person 2 holds c, d; person 3 holds d.
    # remove 1 (3 skills): a, b orphaned = 2 of 4 = half → factor 1
    holders = {0: {1}, 1: {1}, 2: {1, 2}, 3: {2, 3}}
    assert skills.truck_factor([0, 1, 2, 3], holders) == 1
    # a domain where two people each hold everything: both must go
    assert skills.truck_factor([0, 1], {0: {1, 2}, 1: {1, 2}}) == 2
    # half the skills already have no holder
    assert skills.truck_factor([0, 1], {0: {1}}) == 0
    assert skills.truck_factor([], {}) == 0


def _naive_truck_factor(units: list[int], holders: dict[int, set[int]]) -> int:
    held = {u: set(holders.get(u, ())) for u in units}
    removed = 0
    while sum(1 for p in held.values() if not p) < len(units) / 2:
        counts: dict[int, int] = {}
        for people in held.values():
            for p in people:
                counts[p] = counts.get(p, 0) + 1
        top = min(counts, key=lambda p: (-counts[p], p))
        for people in held.values():
            people.discard(top)
        removed += 1
    return removed


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.integers(0, 9), st.sets(st.integers(0, 7), max_size=5), min_size=1, max_size=10
    )
)
def test_truck_factor_equals_the_iterative_greedy_of_avelino(holders: dict[int, set[int]]) -> None:
    units = sorted(holders)
    assert skills.truck_factor(units, holders) == _naive_truck_factor(units, holders)


def test_hill_numbers_by_hand() -> None:
    assert skills.hill_number([5, 5], 1) == pytest.approx(2.0)
    assert skills.hill_number([1, 1, 1, 1], 2) == pytest.approx(4.0)
    assert skills.hill_number([3, 1, 0], 0) == pytest.approx(2.0)
    # p = (3/4, 1/4): exp(Shannon) = exp(-(.75 ln .75 + .25 ln .25))
    expected = math.exp(-(0.75 * math.log(0.75) + 0.25 * math.log(0.25)))
    assert skills.hill_number([3, 1], 1) == pytest.approx(expected)
    assert skills.hill_number([3, 1], 2) == pytest.approx(1 / (0.75**2 + 0.25**2))
    assert skills.hill_number([0, 0], 1) == 0.0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 50), min_size=5, max_size=5), min_size=1, max_size=8))
def test_hill_rows_match_hill_number_and_stay_between_1_and_the_kinds(
    rows: list[list[int]],
) -> None:
    matrix = np.array(rows)
    values = skills.hill_rows(matrix, 1.0)
    for row, value in zip(rows, values, strict=True):
        assert value == pytest.approx(skills.hill_number(row, 1.0))
        kinds = sum(1 for c in row if c)
        if kinds:
            assert 1 - 1e-9 <= value <= kinds + 1e-9


def test_iso_durations_become_hours() -> None:
    assert duration_hours("PT3H") == 3
    assert duration_hours("PT1H30M") == 1.5
    assert duration_hours("P1D") == 24
    assert duration_hours("soon") == 0
    assert duration_hours(None) == 0
