"""Matching for the knowledge-exchange board (pure Python, no database).

- ``score(request, offer)``: one explained suggestion, or ``None`` when incompatible;
- ``top_candidates(requests, offers, k)``: the k best offers of every request, indexed;
- ``solve`` (exact, min-cost flow) and ``greedy`` (baseline): one assignment for the board;
- ``pack_cycles``: reciprocity cycles of 2-3 people packed optimally (CP-SAT).

See docs/matching.md.
"""

from sylva.exchange.matching.assignment import greedy, solve
from sylva.exchange.matching.candidates import top_candidates
from sylva.exchange.matching.cycles import pack_cycles
from sylva.exchange.matching.model import (
    Candidate,
    Cycle,
    OfferIn,
    Packing,
    Reason,
    RequestIn,
    Solution,
)
from sylva.exchange.matching.scoring import score

__all__ = [
    "Candidate",
    "Cycle",
    "OfferIn",
    "Packing",
    "Reason",
    "RequestIn",
    "Solution",
    "greedy",
    "pack_cycles",
    "score",
    "solve",
    "top_candidates",
]
