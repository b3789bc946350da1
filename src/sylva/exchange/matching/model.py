"""Plain data the matching package works on: no Django, no database.

The exchange app turns its offers and requests into these frozen records, calls
``top_candidates`` / ``solve`` / ``pack_cycles`` and stores what comes back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORMATS = frozenset({"in_person", "phone", "video"})
REMOTE_FORMATS = frozenset({"phone", "video"})
HOURS_PER_WEEK = 7 * 24


def slot(weekday: int, hour: int) -> int:
    """The slot number of ``hour`` (0-23) on ``weekday`` (0 = Monday)."""
    return weekday * 24 + hour


@dataclass(frozen=True, slots=True)
class OfferIn:
    """An open offer ("I can share …") as the matcher sees it."""

    id: int
    person: int
    skills: frozenset[int]
    domains: frozenset[int]
    level: int  # offerer's best level (1-4) on the offer's skills
    text: str
    formats: frozenset[str]
    site: int | None
    department: int | None
    slots: frozenset[int]  # weekday * 24 + hour, weekday 0 = Monday
    capacity: int  # exchanges the offerer can still take (>= 0)
    given: int = 0
    received: int = 0


@dataclass(frozen=True, slots=True)
class RequestIn:
    """An open request ("I want to learn …") as the matcher sees it."""

    id: int
    person: int
    skills: frozenset[int]
    domains: frozenset[int]
    level: int  # learner's current level on the requested skills, 0 if none
    text: str
    formats: frozenset[str]
    site: int | None
    department: int | None
    slots: frozenset[int]
    newcomer: bool = False
    given: int = 0
    received: int = 0


@dataclass(frozen=True, slots=True)
class Reason:
    """One line of a suggestion's explanation, e.g. ``Reason("skill", {"skill": 3, "level": 4})``.

    Codes: ``skill`` {skill, level}, ``domain`` {domain}, ``text`` {similarity},
    ``level_gap`` {gap}, ``same_site``, ``remote_ok``, ``other_department``,
    ``slots`` {weekdays}, ``newcomer``, ``giver``, ``load`` {capacity}.
    Parameters are JSON-friendly (ints, floats, lists of ints).
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A scored (request, offer) suggestion; ``score`` is 0-100, higher is better."""

    request: int
    offer: int
    score: float
    reasons: tuple[Reason, ...] = ()


@dataclass(slots=True)
class Solution:
    """An assignment: the chosen candidates and the sum of their scores.

    ``optimal`` is False when ``solve`` stopped its branch and bound at its branch limit:
    the pairs are then the best feasible assignment found, not a proven optimum.
    """

    pairs: list[Candidate]
    total: float
    optimal: bool = True


@dataclass(frozen=True, slots=True)
class Cycle:
    """A reciprocity cycle: ``people[i]`` teaches ``people[i + 1]``, the last teaches the first.

    ``edges[i]`` is the candidate (a request of ``people[i + 1]`` answered by an offer of
    ``people[i]``) that realises the step.
    """

    people: tuple[int, ...]
    edges: tuple[Candidate, ...]

    @property
    def score(self) -> float:
        return round(sum(edge.score for edge in self.edges), 3)


@dataclass(frozen=True, slots=True)
class Packing:
    """Packed reciprocity cycles, best first, with what is proven about them.

    ``bound`` is a proven upper bound on the best possible total (from the linear
    relaxation and the solver's search); ``optimal`` says the total reaches it. When the
    search stops at its time limit, ``gap`` says how far from optimal the packing can be
    at most.
    """

    cycles: list[Cycle]
    total: float
    bound: float
    optimal: bool

    @property
    def gap(self) -> float:
        """(bound - total) / bound: 0 for a proven optimum."""
        if self.optimal or self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.total) / self.bound)
