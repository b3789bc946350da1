"""The k best offers of every request, without scoring all pairs.

Offers and requests are indexed by skill and by domain. A pair can only be compatible if it
shares one of them, so the pairs worth looking at are exactly the blocks
(requests with key x) x (offers with key x). Each block is scored with numpy (the same
weights as ``scoring.py``), incompatible pairs are masked out and the k best of each row kept;
the survivors of all blocks are merged and scored exactly, still vectorised (``_exact_scores``
repeats ``scoring.score_pair``'s arithmetic term by term), and the k best per request are kept
— so every candidate's score is exactly that of ``score(request, offer)``. Reasons are built
one pair at a time by ``scoring.score``, only when asked for (``explain=True``).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from sylva.exchange.matching import scoring, text
from sylva.exchange.matching.model import HOURS_PER_WEEK, Candidate, OfferIn, RequestIn

BLOCK_CELLS = 1_000_000  # pairs scored at once in one numpy block
APPROXIMATION = 0.01  # bound on the float32 ranking's error, in score points (0-100)
THREADS = min(2, os.cpu_count() or 1)  # blocks ranked at once

FloatArray = npt.NDArray[np.float64]
FloatArray32 = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


class _Side:
    """Column-wise arrays for one side (requests or offers) of the board."""

    def __init__(
        self,
        items: Sequence[RequestIn | OfferIn],
        skill_columns: dict[int, int],
        vocabulary: dict[str, int],
    ) -> None:
        count = len(items)
        self.person = np.fromiter((item.person for item in items), np.int64, count)
        self.level = np.fromiter((item.level for item in items), np.int64, count)
        self.formats = np.fromiter(
            (scoring.format_mask(item.formats) for item in items), np.int64, count
        )
        self.site = np.fromiter(
            (-1 if item.site is None else item.site for item in items), np.int64, count
        )
        self.department = np.fromiter(
            (-1 if item.department is None else item.department for item in items),
            np.int64,
            count,
        )
        rows = [row for row, item in enumerate(items) for _ in item.skills]
        columns = [skill_columns[skill] for item in items for skill in item.skills]
        self.skills = sp.csr_matrix(
            (np.ones(len(rows)), (rows, columns)), shape=(count, len(skill_columns))
        )
        self.skill_count = np.fromiter((len(item.skills) for item in items), np.float64, count)
        slots = np.zeros((count, HOURS_PER_WEEK), dtype=np.float32)
        for row, item in enumerate(items):
            hours = [hour for hour in item.slots if 0 <= hour < HOURS_PER_WEEK]
            slots[row, hours] = 1.0
        self.slots = slots
        self.has_slots = np.fromiter((bool(item.slots) for item in items), np.bool_, count)
        self.text, self.text_norm = text.matrix([item.text for item in items], vocabulary)
        # for ranking (float32): dense skills, the share one skill is of a request's skills,
        # and the text rows over their norms, so that a dot product is the cosine
        self.skills_dense = self.skills.astype(np.float32).toarray()
        self.skill_share = np.divide(
            1.0, self.skill_count, out=np.zeros_like(self.skill_count), where=self.skill_count > 0
        ).astype(np.float32)
        self.text_unit: sp.csr_matrix  # set by finish_text, once the vocabulary is complete

    def finish_text(self, width: int) -> None:
        """Give the text matrix the vocabulary's final width and derive the unit rows."""
        self.text.resize((self.text.shape[0], width))
        scale = np.divide(
            1.0, self.text_norm, out=np.zeros_like(self.text_norm), where=self.text_norm > 0
        )
        self.text_unit = sp.csr_matrix(sp.diags(scale) @ self.text, dtype=np.float32)


def _pair_table(requests: _Side, offers: _Side) -> tuple[IntArray, IntArray, FloatArray32]:
    """Scores that depend only on each side's (formats, site, level, department).

    Both sides are grouped into classes of equal (formats, site, level, department); the
    table holds, for each request class x offer class, the modality, level-gap and
    department-crossing points, or ``-inf`` when no format works for both. A block then
    reads one table cell per pair instead of recomputing the same few cases.
    """

    def classes(side: _Side) -> tuple[IntArray, IntArray]:
        keys = np.stack([side.formats, side.site, side.level, side.department], axis=1)
        unique, inverse = np.unique(keys, axis=0, return_inverse=True)
        return unique, inverse.ravel()

    request_classes, request_class = classes(requests)
    offer_classes, offer_class = classes(offers)
    r_formats, r_site, r_level, r_department = (request_classes[:, i, None] for i in range(4))
    o_formats, o_site, o_level, o_department = (offer_classes[None, :, i] for i in range(4))
    common = r_formats & o_formats
    site_ok = (r_site == o_site) | (r_site < 0) | (o_site < 0)
    same_site = ((common & scoring.IN_PERSON_BIT) != 0) & site_ok
    remote = (common & scoring.REMOTE_BITS) != 0
    level_points = np.asarray([scoring.level_points(gap) for gap in range(4)])
    table = np.where(same_site, scoring.SAME_SITE, scoring.REMOTE_OK)
    table = table + level_points[np.clip(o_level - r_level, 0, 3)]
    crossing = (r_department >= 0) & (o_department >= 0) & (r_department != o_department)
    table = table + np.where(crossing, scoring.OTHER_DEPARTMENT, 0.0)
    table[~(same_site | remote)] = -np.inf
    return request_class, offer_class, table.astype(np.float32)


def _score_block(
    requests: _Side, offers: _Side, rows: IntArray, columns: IntArray, fixed: dict[str, Any]
) -> FloatArray32:
    """Approximate scores (``-inf`` = incompatible) of rows x columns, as ``score_pair``.

    float32, with the pair table for the terms that depend on classes only: this ranks
    pairs; ``_exact_scores`` gives the kept ones their exact score.
    """
    shared = requests.skills_dense[rows] @ fixed["skills_t"]
    total = np.where(
        shared > 0,
        shared * fixed["coverage"][rows][:, None] + np.float32(scoring.SKILL_BASE),
        np.float32(scoring.DOMAIN_ONLY),
    )
    text_t = fixed["text_t"]
    total += requests.text_unit[rows][:, fixed["grams"]] @ text_t
    total += fixed["table"][fixed["request_class"][rows][:, None], fixed["offer_class_block"]]
    overlap = requests.slots[rows] @ fixed["slots_t"]
    np.minimum(overlap, np.float32(scoring.SLOTS_FULL_HOURS), out=overlap)
    total += np.where(
        fixed["slots_known"][rows][:, None] & fixed["slots_known_block"],
        overlap * np.float32(scoring.SLOTS / scoring.SLOTS_FULL_HOURS),
        np.float32(scoring.SLOTS_UNKNOWN),
    )
    total += fixed["request_bonus"][rows][:, None]
    total += fixed["offer_bonus_block"]
    total[requests.person[rows][:, None] == fixed["person_block"]] = -np.inf
    return total


class _Board:
    """Both sides of the board as arrays, with what every block shares: the bonuses, the
    pair table and the index of requests and offers by skill and by domain."""

    def __init__(self, requests: Sequence[RequestIn], offers: Sequence[OfferIn]) -> None:
        skill_columns: dict[int, int] = {}
        everything: list[RequestIn | OfferIn] = [*requests, *offers]
        for item in everything:
            for skill in item.skills:
                skill_columns.setdefault(skill, len(skill_columns))
        vocabulary: dict[str, int] = {}
        self.requests = _Side(requests, skill_columns, vocabulary)
        self.offers = _Side(offers, skill_columns, vocabulary)
        width = max(len(vocabulary), 1)
        self.requests.finish_text(width)
        self.offers.finish_text(width)
        self.request_bonus = np.fromiter(
            (
                (scoring.NEWCOMER if request.newcomer else 0.0)
                + (scoring.GIVER if request.given >= request.received else 0.0)
                for request in requests
            ),
            np.float32,
            len(requests),
        )
        self.offer_bonus = np.fromiter(
            (
                scoring.LOAD * min(offer.capacity, scoring.LOAD_FULL) / scoring.LOAD_FULL
                for offer in offers
            ),
            np.float32,
            len(offers),
        )
        self.request_class, self.offer_class, self.table = _pair_table(self.requests, self.offers)
        self.coverage = self.requests.skill_share * np.float32(scoring.SKILL_COVERAGE)
        self.request_keys = _keys(requests)
        self.offer_keys = _keys(offers)

    def block_arrays(self, columns: IntArray) -> dict[str, Any]:
        """What scoring the block of these offers' columns needs, against any rows."""
        offers = self.offers
        offer_text = offers.text_unit[columns]
        grams = np.unique(offer_text.indices)  # n-grams the block's offers use
        return {
            "skills_t": np.ascontiguousarray(offers.skills_dense[columns].T),
            "coverage": self.coverage,
            "grams": grams,
            "text_t": np.ascontiguousarray(
                offer_text[:, grams].toarray().T * np.float32(scoring.TEXT)
            ),
            "slots_t": np.ascontiguousarray(offers.slots[columns].T),
            "slots_known": self.requests.has_slots,
            "slots_known_block": offers.has_slots[columns][None, :],
            "table": self.table,
            "request_class": self.request_class,
            "offer_class_block": self.offer_class[columns][None, :],
            "request_bonus": self.request_bonus,
            "offer_bonus_block": self.offer_bonus[columns][None, :],
            "person_block": offers.person[columns][None, :],
        }

    def rank(self, key: tuple[str, int], k: int) -> list[tuple[IntArray, IntArray, FloatArray32]]:
        """The k best columns of each row in the block of ``key`` (compatible pairs only)."""
        columns = np.asarray(self.offer_keys[key], dtype=np.int64)
        fixed = self.block_arrays(columns)
        all_rows = np.asarray(self.request_keys[key], dtype=np.int64)
        step = max(1, BLOCK_CELLS // len(columns))
        found = []
        for start in range(0, len(all_rows), step):
            rows = all_rows[start : start + step]
            block = _score_block(self.requests, self.offers, rows, columns, fixed)
            found.append(_best_of_rows(block, rows, columns, k))
        return found


def _keys(items: Sequence[RequestIn | OfferIn]) -> dict[tuple[str, int], list[int]]:
    """The index: which items carry each skill and each domain."""
    keys: dict[tuple[str, int], list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        for skill in item.skills:
            keys[("skill", skill)].append(index)
        for domain in item.domains:
            keys[("domain", domain)].append(index)
    return keys


def _best_of_rows(
    block: FloatArray32, rows: IntArray, columns: IntArray, k: int
) -> tuple[IntArray, IntArray, FloatArray32]:
    """The k best (finite) cells of each row of a block: their rows, columns and values."""
    if len(columns) > k:
        keep = np.argpartition(-block, k - 1, axis=1)[:, :k]
    else:
        keep = np.broadcast_to(np.arange(len(columns)), (len(rows), len(columns)))
    kept = np.take_along_axis(block, keep, axis=1)
    valid = np.isfinite(kept)
    return np.broadcast_to(rows[:, None], keep.shape)[valid], columns[keep][valid], kept[valid]


def _near_the_best(
    ranked: list[tuple[IntArray, IntArray, FloatArray32]], k: int, offer_count: int
) -> tuple[IntArray, IntArray]:
    """The ranked pairs, each once, that can be among a request's k best: those within
    APPROXIMATION of the k-th best approximate score (float32 errors are far smaller)."""
    rows_all = np.concatenate([rows for rows, _, _ in ranked])
    columns_all = np.concatenate([columns for _, columns, _ in ranked])
    approximate = np.concatenate([values for _, _, values in ranked])
    # a pair found through several keys (skill and domain) is kept once
    pairs, first = np.unique(rows_all * offer_count + columns_all, return_index=True)
    rows_all, columns_all = pairs // offer_count, pairs % offer_count
    approximate = approximate[first]
    order = np.lexsort((-approximate, rows_all))
    rows_all, columns_all, approximate = rows_all[order], columns_all[order], approximate[order]
    starts = np.searchsorted(rows_all, rows_all, side="left")
    ends = np.searchsorted(rows_all, rows_all, side="right")
    kth = approximate[np.minimum(starts + k - 1, ends - 1)]
    near = approximate >= kth - APPROXIMATION
    return rows_all[near], columns_all[near]


def _candidates(
    requests: Sequence[RequestIn],
    offers: Sequence[OfferIn],
    rows: list[int],
    columns: list[int],
    scores: list[float],
    explain: bool,
) -> list[Candidate]:
    """The kept pairs as candidates: with their exact score, or ``score``'s own (with its
    reasons) when ``explain``."""
    if not explain:
        request_ids = [request.id for request in requests]
        offer_ids = [offer.id for offer in offers]
        return [
            Candidate(request_ids[row], offer_ids[column], value)
            for row, column, value in zip(rows, columns, scores, strict=True)
        ]
    result = []
    for row, column in zip(rows, columns, strict=True):
        candidate = scoring.score(requests[row], offers[column])
        assert candidate is not None  # every kept pair is compatible
        result.append(candidate)
    return result


def top_candidates(
    requests: Sequence[RequestIn], offers: Sequence[OfferIn], k: int = 20, *, explain: bool = True
) -> list[Candidate]:
    """The ``k`` best compatible offers of every request, best first within each request.

    Each candidate's score is exactly ``score(request, offer).score``. With ``explain`` the
    candidates carry their reasons too (``score``'s own candidates); without, their reasons
    are empty — a global run scores thousands of pairs and explains only those it keeps.
    """
    offers = [offer for offer in offers if offer.capacity > 0]
    if k <= 0 or not requests or not offers:
        return []
    board = _Board(requests, offers)
    # numpy releases the GIL in the block arithmetic: blocks are ranked on THREADS threads,
    # and BLAS is kept to one thread each (its own threads only fight them for the cores)
    keys = [key for key in board.request_keys if key in board.offer_keys]
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(THREADS) as pool:
        ranked = [
            pair for pairs in pool.map(lambda key: board.rank(key, k), keys) for pair in pairs
        ]
    if not ranked:
        return []
    rows_all, columns_all = _near_the_best(ranked, k, len(offers))
    scores = _exact_scores(board.requests, board.offers, rows_all, columns_all, requests, offers)
    order = np.lexsort((columns_all, -scores, rows_all))
    rows_all, columns_all, scores = rows_all[order], columns_all[order], scores[order]
    starts = np.searchsorted(rows_all, rows_all, side="left")
    chosen = (np.arange(len(rows_all)) - starts) < k
    return _candidates(
        requests,
        offers,
        rows_all[chosen].tolist(),
        columns_all[chosen].tolist(),
        scores[chosen].tolist(),
        explain,
    )


def _exact_scores(
    requests: _Side,
    offers: _Side,
    rows: IntArray,
    columns: IntArray,
    request_items: Sequence[RequestIn],
    offer_items: Sequence[OfferIn],
) -> FloatArray:
    """``score_pair``'s scores of the pairs (rows[i], columns[i]), to the last bit.

    The terms are added in ``score_pair``'s order with the same float operations, the text
    similarity is integer dot products over the same norms, and the final rounding is
    Python's own ``round(total, 3)``: the numbers are identical, not merely close.
    """
    shared = np.asarray(requests.skills[rows].multiply(offers.skills[columns]).sum(axis=1)).ravel()
    count = requests.skill_count[rows]
    coverage = np.divide(shared, count, out=np.zeros_like(shared), where=count > 0)
    total = np.where(
        shared > 0, scoring.SKILL_BASE + scoring.SKILL_COVERAGE * coverage, scoring.DOMAIN_ONLY
    )
    dots = np.asarray(requests.text[rows].multiply(offers.text[columns]).sum(axis=1)).ravel()
    norms = requests.text_norm[rows] * offers.text_norm[columns]
    similarity = np.minimum(1.0, np.divide(dots, norms, out=np.zeros_like(dots), where=dots > 0))
    total = total + scoring.TEXT * similarity
    gap = np.clip(offers.level[columns] - requests.level[rows], 0, 3)
    total = total + np.asarray([scoring.level_points(g) for g in range(4)])[gap]
    common = requests.formats[rows] & offers.formats[columns]
    request_site, offer_site = requests.site[rows], offers.site[columns]
    site_ok = (request_site == offer_site) | (request_site < 0) | (offer_site < 0)
    same_site = ((common & scoring.IN_PERSON_BIT) != 0) & site_ok
    total = total + np.where(same_site, scoring.SAME_SITE, scoring.REMOTE_OK)
    overlap = np.einsum("ij,ij->i", requests.slots[rows], offers.slots[columns]).astype(np.float64)
    both = requests.has_slots[rows] & offers.has_slots[columns]
    total = total + np.where(
        both,
        scoring.SLOTS * np.minimum(1.0, overlap / scoring.SLOTS_FULL_HOURS),
        scoring.SLOTS_UNKNOWN,
    )
    request_department, offer_department = requests.department[rows], offers.department[columns]
    crossing = (
        (request_department >= 0)
        & (offer_department >= 0)
        & (request_department != offer_department)
    )
    total = np.where(crossing, total + scoring.OTHER_DEPARTMENT, total)
    newcomer = np.fromiter((item.newcomer for item in request_items), np.bool_, len(request_items))
    giver = np.fromiter(
        (item.given >= item.received for item in request_items), np.bool_, len(request_items)
    )
    total = np.where(newcomer[rows], total + scoring.NEWCOMER, total)
    total = np.where(giver[rows], total + scoring.GIVER, total)
    capacity = np.fromiter((item.capacity for item in offer_items), np.int64, len(offer_items))
    total = (
        total + scoring.LOAD * np.minimum(capacity[columns], scoring.LOAD_FULL) / scoring.LOAD_FULL
    )
    return _round3(total)


def _round3(values: FloatArray) -> FloatArray:
    """Python's ``round(value, 3)`` of each value, vectorised.

    ``np.round`` scales, rounds half to even and divides back: the same double as Python's
    correctly rounded ``round`` except when the scaled value sits at a half, where the
    scaling's own rounding error can tip it; those few are rounded by Python.
    """
    rounded = np.round(values, 3)
    scaled = values * 1000
    tie = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    if tie.any():
        rounded[tie] = [round(value, 3) for value in values[tie].tolist()]
    return rounded
