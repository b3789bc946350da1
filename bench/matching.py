"""Benchmark of the exchange matching: global run (exact vs greedy) and reciprocity cycles.

Run: ``.venv/bin/python bench/matching.py [--runs 3] [--seed 1]``. The board is generated
deterministically in memory (the matching package is pure Python; no database is involved):
100,000 people, 10,000 open requests and 10,000 offers over the demo skills taxonomy, with
skewed skill popularity, departments, sites, weekly slots, capacities 1-4 and French texts.
Each measurement is repeated ``--runs`` times (each from a cold text cache) and the median is
reported. The global run does not build explanations (a run explains the pairs it keeps).
Cycle packing gets the same time limit as a scheduled run (``matching.cycles.TIME_LIMIT``)
and reports its proven gap to the linear relaxation's bound.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np
from rich.console import Console
from rich.table import Table

from sylva.exchange.matching import (
    Candidate,
    OfferIn,
    Packing,
    RequestIn,
    Solution,
    greedy,
    pack_cycles,
    solve,
    text,
    top_candidates,
)
from sylva.exchange.matching.cycles import TIME_LIMIT

TAXONOMY = Path(__file__).resolve().parents[1] / "src/sylva/people/data/taxonomy.csv"
PEOPLE = 100_000
REQUESTS = 10_000
OFFERS = 10_000
PARTICIPANTS = 7_000  # people on the board: each has an offer and a request (joining rule)
MAX_POSTS = 4  # nobody has more than 4 open requests (or offers) at once
SITES = 12
K = 20
DEPARTMENTS = ("PROD", "MAINT", "QHSE", "LOG", "SALES", "CS", "RND", "IT", "HR", "FIN")
DEPARTMENT_WEIGHTS = (0.38, 0.14, 0.08, 0.12, 0.08, 0.06, 0.05, 0.04, 0.03, 0.02)
REQUEST_OPENINGS = (
    "Je souhaite apprendre",
    "Besoin d'aide pour",
    "J'aimerais progresser en",
    "Comment maîtriser",
    "Découvrir les bases :",
    "Me perfectionner en",
)
OFFER_OPENINGS = (
    "Je peux vous montrer",
    "Je partage mon expérience en",
    "Initiation pratique :",
    "Trucs et astuces pour",
    "Accompagnement sur le terrain :",
)
DETAILS = (
    "sur la ligne 3",
    "avec des exemples concrets",
    "pour les débutants",
    "en équipe de nuit",
    "avant l'audit client",
    "pour le nouveau projet",
    "en 30 minutes",
    "au poste de travail",
    "sur les machines récentes",
    "",
)

T = TypeVar("T")


@dataclass(frozen=True)
class Skill:
    id: int
    domain: int
    name: str
    departments: tuple[str, ...]


def load_skills() -> list[Skill]:
    with TAXONOMY.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    domains = {code: index for index, code in enumerate(sorted({r["domain_code"] for r in rows}))}
    return [
        Skill(
            index,
            domains[row["domain_code"]],
            row["skill_fr"],
            tuple(row["departments"].split(";")),
        )
        for index, row in enumerate(rows)
    ]


class _Board:
    """The draws behind a generated board, made in a fixed order from one generator."""

    def __init__(self, seed: int) -> None:
        rng = self.rng = np.random.default_rng(seed)
        skills = self.skills = load_skills()
        popularity = rng.permutation(np.arange(1, len(skills) + 1) ** -0.9)
        self.popularity = popularity / popularity.sum()
        self.by_department = {
            code: np.asarray([s.id for s in skills if code in s.departments])
            for code in DEPARTMENTS
        }
        self.department = rng.choice(len(DEPARTMENTS), size=PEOPLE, p=DEPARTMENT_WEIGHTS)
        site_weights = np.arange(1, SITES + 1) ** -1.0
        self.site = rng.choice(SITES, size=PEOPLE, p=site_weights / site_weights.sum())
        self.newcomer = rng.random(PEOPLE) < 0.04
        self.given = rng.poisson(1.5, PEOPLE)
        self.received = rng.poisson(1.5, PEOPLE)
        self.participants = rng.choice(PEOPLE, size=PARTICIPANTS, replace=False)
        activity = rng.lognormal(0.0, 1.0, PARTICIPANTS)
        self.activity = activity / activity.sum()

    def posters(self, total: int) -> list[int]:
        """Everyone once, then the rest to the most active, at most MAX_POSTS each."""
        counts = np.ones(PARTICIPANTS, dtype=np.int64)
        while counts.sum() < total:
            for index in self.rng.choice(PARTICIPANTS, size=total, p=self.activity):
                if counts.sum() >= total:
                    break
                if counts[index] < MAX_POSTS:
                    counts[index] += 1
        people = np.repeat(self.participants, counts)
        self.rng.shuffle(people)
        return people.tolist()

    def pick_skills(self, person: int) -> frozenset[int]:
        rng, skills = self.rng, self.skills
        own = self.by_department[DEPARTMENTS[self.department[person]]]
        first = (
            int(rng.choice(own))
            if rng.random() < 0.7
            else int(rng.choice(len(skills), p=self.popularity))
        )
        chosen = {first}
        for _ in range(int(rng.choice(3, p=(0.6, 0.3, 0.1)))):
            same_domain = [s.id for s in skills if s.domain == skills[first].domain]
            chosen.add(int(rng.choice(same_domain)))
        return frozenset(chosen)

    def formats(self) -> frozenset[str]:
        chosen = {
            name
            for name, p in (("in_person", 0.75), ("phone", 0.35), ("video", 0.5))
            if self.rng.random() < p
        }
        return frozenset(chosen or {"video"})

    def slots(self) -> frozenset[int]:
        rng = self.rng
        hours: set[int] = set()
        for _ in range(int(rng.integers(1, 4))):
            day, start, length = (
                int(rng.integers(0, 5)),
                int(rng.integers(8, 16)),
                int(rng.integers(1, 4)),
            )
            hours.update(day * 24 + hour for hour in range(start, min(start + length, 18)))
        return frozenset(hours)

    def some_slots(self) -> frozenset[int]:
        return self.slots() if self.rng.random() < 0.85 else frozenset()

    def phrase(self, openings: tuple[str, ...], skill_ids: frozenset[int]) -> str:
        rng = self.rng
        name = self.skills[min(skill_ids)].name
        detail = DETAILS[int(rng.integers(len(DETAILS)))]
        opening = openings[int(rng.integers(len(openings)))]
        return f"{opening} {name[0].lower()}{name[1:]} {detail}".strip()

    def domains(self, chosen: frozenset[int]) -> frozenset[str]:
        return frozenset(self.skills[s].domain for s in chosen)

    def request(self, index: int, person: int) -> RequestIn:
        rng, chosen = self.rng, self.pick_skills(person)
        return RequestIn(
            id=index + 1,
            person=person,
            skills=chosen,
            domains=self.domains(chosen),
            level=int(rng.choice(3, p=(0.5, 0.35, 0.15))),
            text=self.phrase(REQUEST_OPENINGS, chosen),
            formats=self.formats(),
            site=int(self.site[person]),
            department=int(self.department[person]),
            slots=self.some_slots(),
            newcomer=bool(self.newcomer[person]),
            given=int(self.given[person]),
            received=int(self.received[person]),
        )

    def offer(self, index: int, person: int) -> OfferIn:
        rng, chosen = self.rng, self.pick_skills(person)
        return OfferIn(
            id=index + 1,
            person=person,
            skills=chosen,
            domains=self.domains(chosen),
            level=int(rng.choice((2, 3, 4), p=(0.3, 0.45, 0.25))),
            text=self.phrase(OFFER_OPENINGS, chosen),
            formats=self.formats(),
            site=int(self.site[person]),
            department=int(self.department[person]),
            slots=self.some_slots(),
            capacity=int(rng.choice((1, 2, 3, 4), p=(0.4, 0.3, 0.2, 0.1))),
            given=int(self.given[person]),
            received=int(self.received[person]),
        )


def generate_board(seed: int) -> tuple[list[RequestIn], list[OfferIn]]:
    """A deterministic board: same seed, same requests and offers."""
    board = _Board(seed)
    requests = [board.request(i, person) for i, person in enumerate(board.posters(REQUESTS))]
    offers = [board.offer(i, person) for i, person in enumerate(board.posters(OFFERS))]
    return requests, offers


def timed(function: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    console = Console()
    generation_s, (requests, offers) = timed(lambda: generate_board(args.seed))
    console.print(
        f"Board: {PEOPLE:,} people, {len(requests):,} requests, {len(offers):,} offers "
        f"(generated in {generation_s:.1f} s), top-{K} candidates"
    )
    candidates_times, exact_times, greedy_times, cycle_times = [], [], [], []
    candidates: list[Candidate] = []
    exact: Solution | None = None
    baseline: Solution | None = None
    packing: Packing | None = None
    for run in range(args.runs):
        # every run starts cold, as a scheduled run in a fresh process would
        text.features.cache_clear()
        text._word_grams.cache_clear()
        seconds, candidates = timed(partial(top_candidates, requests, offers, k=K, explain=False))
        candidates_times.append(seconds)
        console.print(f"run {run + 1}: candidates {seconds:.2f} s")
        seconds, solved = timed(partial(solve, requests, offers, candidates))
        exact = solved
        exact_times.append(candidates_times[-1] + seconds)
        seconds, baseline = timed(partial(greedy, requests, offers, candidates))
        greedy_times.append(candidates_times[-1] + seconds)
        seconds, packed = timed(
            partial(pack_cycles, requests, offers, candidates, time_limit=TIME_LIMIT)
        )
        packing = packed
        cycle_times.append(seconds)
        console.print(
            f"run {run + 1}: candidates {candidates_times[-1]:.2f} s, "
            f"exact {exact_times[-1]:.2f} s, greedy {greedy_times[-1]:.2f} s, "
            f"cycles {seconds:.2f} s (gap {packed.gap:.2%}), exact proven optimal: "
            f"{solved.optimal}"
        )
    assert exact is not None and baseline is not None and packing is not None
    cycles = packing.cycles
    exact_s = statistics.median(exact_times)
    greedy_s = statistics.median(greedy_times)
    cycles_s = statistics.median(cycle_times)
    candidates_s = statistics.median(candidates_times)
    score_ratio = exact.total / baseline.total

    table = Table(title=f"Global matching run (median of {args.runs}; candidates included)")
    table.add_column("method")
    table.add_column("time (s)", justify="right")
    table.add_column("pairs", justify="right")
    table.add_column("total score", justify="right")
    table.add_column("mean score", justify="right")
    table.add_column("requests served", justify="right")
    for name, seconds, solution in (
        ("exact (min-cost flow)", exact_s, exact),
        ("greedy (best first)", greedy_s, baseline),
    ):
        table.add_row(
            name,
            f"{seconds:.2f}",
            f"{len(solution.pairs):,}",
            f"{solution.total:,.1f}",
            f"{solution.total / max(len(solution.pairs), 1):.2f}",
            f"{len(solution.pairs) / len(requests):.1%}",
        )
    table.add_row(
        "exact ÷ greedy",
        f"{exact_s / greedy_s:.2f}×",
        f"{len(exact.pairs) / max(len(baseline.pairs), 1):.3f}",
        f"{score_ratio:.4f}",
        "",
        "",
    )
    console.print(table)

    people_in_cycles = sum(len(cycle.people) for cycle in cycles)
    detail = Table(title="Steps (median)")
    detail.add_column("step")
    detail.add_column("time (s)", justify="right")
    detail.add_column("size", justify="right")
    detail.add_row("top-k candidates", f"{candidates_s:.2f}", f"{len(candidates):,} candidates")
    detail.add_row("min-cost flow", f"{exact_s - candidates_s:.2f}", f"{len(exact.pairs):,} pairs")
    detail.add_row("greedy", f"{greedy_s - candidates_s:.2f}", f"{len(baseline.pairs):,} pairs")
    detail.add_row(
        "cycle packing (CP-SAT)",
        f"{cycles_s:.2f}",
        f"{len(cycles):,} cycles "
        f"({sum(len(c.people) == 2 for c in cycles):,} of 2, "
        f"{sum(len(c.people) == 3 for c in cycles):,} of 3; {people_in_cycles:,} people); "
        f"score {packing.total:,.0f}, proven bound {packing.bound:,.0f}, gap {packing.gap:.2%}",
    )
    console.print(detail)
    console.print(
        f"BENCH matching: exact_s={exact_s:.2f} greedy_s={greedy_s:.2f} "
        f"score_ratio={score_ratio:.4f} cycles_s={cycles_s:.2f} cycles={len(cycles)} "
        f"cycles_gap={packing.gap:.4f} exact_optimal={int(exact.optimal)}",
        highlight=False,
        soft_wrap=True,
    )


if __name__ == "__main__":
    main()
