"""The k best offers of every request, without scoring all pairs.

Offers and requests are indexed by skill and by domain. A pair can only be compatible if it
shares one of them, so the pairs worth looking at are exactly the blocks
(requests with key x) x (offers with key x). Each block is scored with numpy (the same
weights as ``scoring.py``), incompatible pairs are masked out and the k best of each row kept;
the survivors of all blocks are merged, and the k best per request are scored again one by
one with ``scoring.score_pair`` — so every candidate's score and reasons are exactly those of
``score(request, offer)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from sylva.exchange.matching import scoring, text
from sylva.exchange.matching.model import HOURS_PER_WEEK, Candidate, OfferIn, RequestIn

BLOCK_CELLS = 1_000_000  # pairs scored at once in one numpy block

FloatArray = npt.NDArray[np.float64]
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


def _score_block(
    requests: _Side, offers: _Side, rows: IntArray, columns: IntArray, fixed: dict[str, FloatArray]
) -> FloatArray:
    """Approximate scores (``-inf`` = incompatible) of rows x columns, as ``score_pair``."""
    shared = (requests.skills[rows] @ fixed["skills_t"]).toarray()
    coverage = np.divide(
        shared,
        requests.skill_count[rows, None],
        out=np.zeros_like(shared),
        where=requests.skill_count[rows, None] > 0,
    )
    total = np.where(
        shared > 0, scoring.SKILL_BASE + scoring.SKILL_COVERAGE * coverage, scoring.DOMAIN_ONLY
    )
    dots = (requests.text[rows] @ fixed["text_t"]).toarray()
    norms = requests.text_norm[rows][:, None] * offers.text_norm[columns][None, :]
    total += scoring.TEXT * np.divide(dots, norms, out=np.zeros_like(dots), where=dots > 0)
    gap = np.clip(offers.level[columns][None, :] - requests.level[rows][:, None], 0, 3)
    total += fixed["level_points"][gap]

    common = requests.formats[rows][:, None] & offers.formats[columns][None, :]
    request_site = requests.site[rows][:, None]
    offer_site = offers.site[columns][None, :]
    site_ok = (request_site == offer_site) | (request_site < 0) | (offer_site < 0)
    same_site = ((common & scoring.IN_PERSON_BIT) != 0) & site_ok
    remote = (common & scoring.REMOTE_BITS) != 0
    total += np.where(same_site, scoring.SAME_SITE, scoring.REMOTE_OK)

    overlap = requests.slots[rows] @ fixed["slots_t"]
    both = requests.has_slots[rows][:, None] & offers.has_slots[columns][None, :]
    total += np.where(
        both,
        scoring.SLOTS * np.minimum(1.0, overlap / scoring.SLOTS_FULL_HOURS),
        scoring.SLOTS_UNKNOWN,
    )
    request_department = requests.department[rows][:, None]
    offer_department = offers.department[columns][None, :]
    crossing = (
        (request_department >= 0)
        & (offer_department >= 0)
        & (request_department != offer_department)
    )
    total += np.where(crossing, scoring.OTHER_DEPARTMENT, 0.0)
    total += fixed["request_bonus"][rows][:, None]
    total += fixed["offer_bonus"][columns][None, :]
    incompatible = ~(same_site | remote) | (
        requests.person[rows][:, None] == offers.person[columns][None, :]
    )
    total[incompatible] = -np.inf
    return total


def top_candidates(
    requests: Sequence[RequestIn], offers: Sequence[OfferIn], k: int = 20
) -> list[Candidate]:
    """The ``k`` best compatible offers of every request, best first within each request."""
    offers = [offer for offer in offers if offer.capacity > 0]
    if k <= 0 or not requests or not offers:
        return []
    skill_columns: dict[int, int] = {}
    everything: list[RequestIn | OfferIn] = [*requests, *offers]
    for item in everything:
        for skill in item.skills:
            skill_columns.setdefault(skill, len(skill_columns))
    vocabulary: dict[str, int] = {}
    request_side = _Side(requests, skill_columns, vocabulary)
    offer_side = _Side(offers, skill_columns, vocabulary)
    width = max(len(vocabulary), 1)
    request_side.text.resize((len(requests), width))
    offer_side.text.resize((len(offers), width))

    request_bonus = np.fromiter(
        (
            (scoring.NEWCOMER if request.newcomer else 0.0)
            + (scoring.GIVER if request.given >= request.received else 0.0)
            for request in requests
        ),
        np.float64,
        len(requests),
    )
    offer_bonus = np.fromiter(
        (
            scoring.LOAD * min(offer.capacity, scoring.LOAD_FULL) / scoring.LOAD_FULL
            for offer in offers
        ),
        np.float64,
        len(offers),
    )
    level_points = np.asarray([scoring.level_points(gap) for gap in range(4)])

    # The index: which requests and offers carry each skill and each domain.
    request_keys: dict[tuple[str, int], list[int]] = defaultdict(list)
    offer_keys: dict[tuple[str, int], list[int]] = defaultdict(list)
    for index, request in enumerate(requests):
        for skill in request.skills:
            request_keys[("skill", skill)].append(index)
        for domain in request.domains:
            request_keys[("domain", domain)].append(index)
    for index, offer in enumerate(offers):
        for skill in offer.skills:
            offer_keys[("skill", skill)].append(index)
        for domain in offer.domains:
            offer_keys[("domain", domain)].append(index)

    found_rows: list[IntArray] = []
    found_columns: list[IntArray] = []
    found_scores: list[FloatArray] = []
    for key, request_rows in request_keys.items():
        if key not in offer_keys:
            continue
        columns = np.asarray(offer_keys[key], dtype=np.int64)
        fixed = {
            "skills_t": offer_side.skills[columns].T.tocsr(),
            "text_t": offer_side.text[columns].T.tocsr(),
            "slots_t": np.ascontiguousarray(offer_side.slots[columns].T),
            "level_points": level_points,
            "request_bonus": request_bonus,
            "offer_bonus": offer_bonus,
        }
        all_rows = np.asarray(request_rows, dtype=np.int64)
        step = max(1, BLOCK_CELLS // len(columns))
        for start in range(0, len(all_rows), step):
            rows = all_rows[start : start + step]
            block = _score_block(request_side, offer_side, rows, columns, fixed)
            if len(columns) > k:
                keep = np.argpartition(-block, k - 1, axis=1)[:, :k]
            else:
                keep = np.broadcast_to(np.arange(len(columns)), (len(rows), len(columns)))
            kept = np.take_along_axis(block, keep, axis=1)
            valid = np.isfinite(kept)
            found_rows.append(np.broadcast_to(rows[:, None], keep.shape)[valid])
            found_columns.append(columns[keep][valid])
            found_scores.append(kept[valid])
    if not found_rows:
        return []

    rows_all = np.concatenate(found_rows)
    columns_all = np.concatenate(found_columns)
    scores_all = np.concatenate(found_scores)
    # a pair found through several keys (skill and domain) is kept once, at its best
    keys = rows_all * len(offers) + columns_all
    order = np.lexsort((-scores_all, keys))
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[order][1:] != keys[order][:-1]
    order = order[first]
    rows_all, columns_all, scores_all = rows_all[order], columns_all[order], scores_all[order]
    order = np.lexsort((columns_all, -scores_all, rows_all))
    rows_all, columns_all = rows_all[order], columns_all[order]
    starts = np.searchsorted(rows_all, rows_all, side="left")
    rank = np.arange(len(rows_all)) - starts
    chosen = rank < k

    # Exact text similarities of the kept pairs: integer dot products over norms, the very
    # numbers text.cosine gives (see text.py), so candidates equal score(request, offer).
    rows_kept, columns_kept = rows_all[chosen], columns_all[chosen]
    dots = np.asarray(
        request_side.text[rows_kept].multiply(offer_side.text[columns_kept]).sum(axis=1)
    ).ravel()
    norms = request_side.text_norm[rows_kept] * offer_side.text_norm[columns_kept]
    similarities = np.minimum(1.0, np.divide(dots, norms, out=np.zeros_like(dots), where=dots > 0))
    by_request: dict[int, list[Candidate]] = defaultdict(list)
    for row, column, similarity in zip(
        rows_kept.tolist(), columns_kept.tolist(), similarities.tolist(), strict=True
    ):
        candidate = scoring.score_pair(requests[row], offers[column], similarity)
        if candidate is not None:
            by_request[row].append(candidate)
    result: list[Candidate] = []
    for row in range(len(requests)):
        result.extend(sorted(by_request[row], key=lambda c: (-c.score, c.offer)))
    return result
