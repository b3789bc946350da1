"""Redundancy and diversity: who holds what, and how varied people's learning is."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike


def holders_per_skill(pairs: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    """skill -> the people holding it, from (person, skill) pairs."""
    out: dict[int, set[int]] = {}
    for person, skill in pairs:
        out.setdefault(skill, set()).add(person)
    return out


def single_holder_skills(holders: Mapping[int, set[int]]) -> list[int]:
    return sorted(skill for skill, people in holders.items() if len(people) == 1)


def truck_factor(units: Sequence[int], holders: Mapping[int, set[int]]) -> int:
    """Avelino et al. (2016), with skills for files and holders (level ≥ 3) for authors:
    repeatedly remove the person who holds the most of the units still held, until at least
    half the units have no holder left; the number removed is the truck factor (0 when half
    the units already have nobody).

    A remaining person's units are never orphaned, so each person's count never changes
    while they remain: the greedy order is simply by count (ties: smallest id first), and a
    unit is orphaned at the step its last holder goes.
    """
    if not units:
        return 0
    counts: dict[int, int] = {}
    for unit in units:
        for person in holders.get(unit, ()):
            counts[person] = counts.get(person, 0) + 1
    order = sorted(counts, key=lambda p: (-counts[p], p))
    rank = {person: step for step, person in enumerate(order, start=1)}
    orphaned_at = sorted(max((rank[p] for p in holders.get(unit, ())), default=0) for unit in units)
    needed = -(-len(units) // 2)  # at least half: ceil(n / 2)
    return int(orphaned_at[needed - 1])


def hill_number(counts: ArrayLike, q: float) -> float:
    """Effective number of kinds ^qD = (Σ pᵢ^q)^(1/(1-q)); q = 1 is exp(Shannon entropy),
    q = 0 the number of kinds present, q = 2 the inverse Simpson index. 0 for no counts."""
    c = np.asarray(counts, dtype=np.float64)
    c = c[c > 0]
    if not len(c):
        return 0.0
    p = c / c.sum()
    if q == 1:
        return float(np.exp(-(p * np.log(p)).sum()))
    return float((p**q).sum() ** (1.0 / (1.0 - q)))


def hill_rows(matrix: np.ndarray, q: float = 1.0) -> np.ndarray:
    """^qD of each row of a (people x forms) count matrix, vectorised; 0 for empty rows."""
    m = np.asarray(matrix, dtype=np.float64)
    total = m.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(total > 0, m / total, 0.0)
        if q == 1:
            logs = np.where(p > 0, np.log(np.where(p > 0, p, 1.0)), 0.0)
            out = np.exp(-(p * logs).sum(axis=1))
        else:
            out = (np.where(p > 0, p**q, 0.0)).sum(axis=1) ** (1.0 / (1.0 - q))
    return np.where(total.ravel() > 0, out, 0.0)
