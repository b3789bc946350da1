"""Circulation, cooperation, silos and brokerage on the learning network.

A *tie* is an undirected pair of people who had at least one two-person learning moment
(an exchange held, a question answered, a manager's feedback) in the window; the *help
graph* is directed, from the person who helped to the person who was helped.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import igraph as ig
import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.metrics import adjusted_mutual_info_score

IntArray = NDArray[np.int64]


def unique_ties(src: IntArray, dst: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """The undirected ties behind directed pairs: (u, v, weight) with u < v, self-loops
    dropped, the weight being how many directed pairs fell on the tie."""
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    keep = src != dst
    u, v = np.minimum(src[keep], dst[keep]), np.maximum(src[keep], dst[keep])
    if not len(u):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    n = int(v.max()) + 1
    keys, counts = np.unique(u * n + v, return_counts=True)
    return keys // n, keys % n, counts.astype(np.int64)


@dataclass(frozen=True)
class EI:
    """External and internal ties of a group and its E-I index (Krackhardt & Stern)."""

    external: int
    internal: int

    @property
    def index(self) -> float | None:
        total = self.external + self.internal
        return None if total == 0 else (self.external - self.internal) / total


def ei_index(u: IntArray, v: IntArray, group: IntArray) -> EI:
    """The whole partition's E-I index: every tie counted once, internal when both ends
    are in the same group. People without a group (``group < 0``) are left out."""
    gu, gv = group[u], group[v]
    known = (gu >= 0) & (gv >= 0)
    internal = int(np.count_nonzero(gu[known] == gv[known]))
    return EI(external=int(np.count_nonzero(known)) - internal, internal=internal)


def ei_by_group(
    u: IntArray, v: IntArray, group: IntArray, groups: int
) -> tuple[IntArray, IntArray]:
    """(external, internal) tie counts of each group ``0 … groups-1``.

    Counting convention: a tie inside a group counts **once** as internal to that group; a
    tie between two groups counts once as external for **each** of the two groups.
    """
    gu, gv = group[u], group[v]
    known = (gu >= 0) & (gv >= 0)
    gu, gv = gu[known], gv[known]
    same = gu == gv
    internal = np.bincount(gu[same], minlength=groups)
    external = np.bincount(gu[~same], minlength=groups) + np.bincount(gv[~same], minlength=groups)
    return external.astype(np.int64), internal.astype(np.int64)


def ei_values(external: IntArray, internal: IntArray) -> NDArray[np.float64]:
    """E-I index per group; NaN where a group has no tie."""
    total = (external + internal).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (external - internal) / total, np.nan)


def shuffle_baseline(
    u: IntArray, v: IntArray, group: IntArray, groups: int, *, rounds: int = 20, seed: int = 0
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """E-I per group when people are dealt to groups at random, keeping every group's size
    and the ties as they are: (mean, 5th percentile, 95th percentile) over ``rounds``.

    Observed values well below the range mean more internal ties than chance alone gives.
    """
    rng = np.random.default_rng(seed)
    known = np.flatnonzero(group >= 0)
    draws = np.full((max(rounds, 1), groups), np.nan)
    for r in range(rounds):
        shuffled = group.copy()
        shuffled[known] = rng.permutation(group[known])
        external, internal = ei_by_group(u, v, shuffled, groups)
        draws[r] = ei_values(external, internal)
    valid = (~np.isnan(draws)).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):  # a group without ties: NaN
        mean = np.where(valid > 0, np.nansum(draws, axis=0) / np.maximum(valid, 1), np.nan)
    low, high = _percentiles(draws, (5, 95))
    return (mean if rounds else draws[0]), low, high


def _percentiles(
    draws: NDArray[np.float64], qs: tuple[int, int]
) -> tuple[NDArray[np.float64], ...]:
    """Per column percentiles ignoring NaN ("lower" convention), vectorised over columns."""
    ordered = np.sort(draws, axis=0)  # NaN last
    valid = (~np.isnan(draws)).sum(axis=0)
    out = []
    for q in qs:
        index = np.floor(q / 100 * np.maximum(valid - 1, 0)).astype(np.int64)
        picked = np.take_along_axis(ordered, index[None, :], axis=0)[0]
        out.append(np.where(valid > 0, picked, np.nan))
    return tuple(out)


def reciprocity(src: IntArray, dst: IntArray) -> float | None:
    """Share of the directed helper→helped pairs (distinct, no self-loops) whose reverse
    pair also exists."""
    src, dst = np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)
    keep = src != dst
    src, dst = src[keep], dst[keep]
    if not len(src):
        return None
    n = int(max(src.max(), dst.max())) + 1
    pairs = np.unique(src * n + dst)
    reverse = (pairs % n) * n + pairs // n
    return float(np.isin(reverse, pairs).mean())


def gave_and_received(src: IntArray, dst: IntArray, people: IntArray) -> float | None:
    """Among ``people`` who took part in the help graph, the share who both helped someone
    and were helped."""
    people = np.asarray(people, dtype=np.int64)
    gave, got = np.isin(people, src), np.isin(people, dst)
    involved = gave | got
    if not involved.any():
        return None
    return float((gave & got).sum() / involved.sum())


def graph(n: int, u: IntArray, v: IntArray, weight: IntArray | None = None) -> ig.Graph:
    g = ig.Graph(n=n, edges=np.column_stack([u, v]).tolist(), directed=False)
    if weight is not None:
        g.es["weight"] = np.asarray(weight, dtype=float).tolist()
    return g


def leiden(g: ig.Graph, *, resolution: float = 1.0, seed: int = 0) -> IntArray:
    """Communities of the learning network: Leiden (igraph's C implementation) optimising
    modularity with a resolution; people without any tie form singleton communities.

    leidenalg gives the same partitions but took 60 s against 3 s on 100,000 people."""
    weights = "weight" if "weight" in g.es.attributes() else None
    random.seed(seed)
    ig.set_random_number_generator(random.Random(seed))
    try:
        part = g.community_leiden(
            objective_function="modularity",
            weights=weights,
            resolution=resolution,
            n_iterations=-1 if g.vcount() < 20_000 else 2,
        )
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(part.membership, dtype=np.int64)


def ami(labels: IntArray, reference: IntArray) -> float:
    """Adjusted mutual information between two labellings (chance-corrected: about 0 for
    unrelated labellings, 1 for identical ones)."""
    return float(adjusted_mutual_info_score(reference, labels))


def burt_constraint(g: ig.Graph) -> NDArray[np.float64]:
    """Burt's constraint Cᵢ = Σⱼ (pᵢⱼ + Σ_q p_iq p_qj)²; NaN for isolated people. Low values
    mark brokers whose contacts are not connected to each other."""
    weights = g.es["weight"] if "weight" in g.es.attributes() else None
    return np.asarray(g.constraint(weights=weights), dtype=np.float64)


def adamic_adar(
    n: int, u: IntArray, v: IntArray, pairs_a: IntArray, pairs_b: IntArray
) -> NDArray[np.float64]:
    """Adamic-Adar score of each candidate pair (a, b): Σ over common neighbours c of
    1 / log(degree(c)), on the undirected, unweighted tie graph."""
    pairs_a = np.asarray(pairs_a, dtype=np.int64)
    pairs_b = np.asarray(pairs_b, dtype=np.int64)
    if not len(pairs_a):
        return np.zeros(0)
    rows = np.concatenate([u, v])
    cols = np.concatenate([v, u])
    adj = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    adj.data[:] = 1.0  # duplicates summed: back to 0/1
    degree = np.asarray(adj.sum(axis=1)).ravel()
    with np.errstate(divide="ignore"):
        inv = np.where(degree > 1, 1.0 / np.log(np.maximum(degree, 2)), 0.0)
    weighted = adj @ sparse.diags(inv)
    out = np.empty(len(pairs_a))
    step = 50_000
    for start in range(0, len(pairs_a), step):
        a, b = pairs_a[start : start + step], pairs_b[start : start + step]
        out[start : start + step] = np.asarray(weighted[a].multiply(adj[b]).sum(axis=1)).ravel()
    return out
