"""The full recomputation: read, compute every figure and finding, name things by primary
key. :func:`compute` is pure given :class:`Data`; :func:`recompute` reads the database."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from django.conf import settings

from sylva.insights import health, levers, pictures
from sylva.insights.findings import Findings
from sylva.insights.load import Data, load
from sylva.insights.metrics import network

Step = Callable[[str, int], None]
Figures = dict[str, Any]  # the figures of one scope, as ScopeFigure.data stores them


@dataclass(frozen=True)
class Computed:
    """A recomputation's result: the organisation's figures, each scope's (kind -> the
    department's, site's or team's pk -> figures) and the organisation's findings."""

    org: Figures
    scopes: dict[str, dict[int, Figures]]
    findings: Findings


def compute(d: Data, *, min_people: int, seed: int = 0, step: Step | None = None) -> Computed:
    """Every figure of the snapshot, with people, teams, skills… named by primary key."""
    say = step or (lambda name, n: None)
    h = health.help_edges(d)
    u, v, w = network.unique_ties(h.helper, h.helped)
    say("help graph", 1)
    scopes = health.scope_figures(d, h, min_people=min_people, seed=seed)
    say("health", 1)
    silos = levers.silos(d, u, v, w, seed=seed, min_people=min_people)
    say("silos", 1)
    experts = levers.hidden_experts(d, h)
    teams_intro = levers.team_introductions(d, h, min_people=min_people)
    people_intro = levers.person_introductions(d, u, v, seed=seed)
    say("introductions", 1)
    brokers = levers.brokers(d, u, v, w)
    say("brokers", 1)
    structures = levers.structures(d, h, min_people=min_people)
    redundancy = levers.redundancy(d)
    reach = pictures.skill_reach(d)
    nmap = pictures.network_map(d, h, min_people=min_people, seed=seed)
    headcount = np.bincount(d.person_team[d.person_team >= 0], minlength=len(d.team_ids))
    big = np.flatnonzero(headcount >= min_people)
    heat = {"org": pictures.heat_map(d, big)}
    for g in range(len(d.dept_ids)):
        heat[str(int(d.dept_ids[g]))] = pictures.heat_map(d, big[d.team_dept[big] == g])
    say("pictures", 1)

    P, T, S = d.person_ids, d.team_ids, d.skill_ids
    D, Si, Dom = d.dept_ids, d.site_ids, d.domain_ids

    def ids(kind: str) -> np.ndarray:
        return {"department": D, "site": Si, "team": T}[kind]

    findings = {
        "silos": {
            **{k: v for k, v in silos.items() if k not in ("departments", "silo_departments")},
            "departments": [
                {**row, "department": int(D[row["department"]])}
                for row in silos.get("departments", [])
            ],
            "silo_departments": [int(D[g]) for g in silos.get("silo_departments", [])],
        },
        "hidden_experts": [
            {**e, "person": int(P[e["person"]]), "skill": int(S[e["skill"]])} for e in experts
        ],
        "team_introductions": [
            {
                **t,
                "team_a": int(T[t["team_a"]]),
                "team_b": int(T[t["team_b"]]),
                "a_to_b": [int(S[s]) for s in t["a_to_b"]],
                "b_to_a": [int(S[s]) for s in t["b_to_a"]],
            }
            for t in teams_intro
        ],
        "person_introductions": [
            {
                **p,
                "person_a": int(P[p["person_a"]]),
                "person_b": int(P[p["person_b"]]),
                "skill": int(S[p["skill"]]),
            }
            for p in people_intro
        ],
        "brokers": [{**b, "person": int(P[b["person"]])} for b in brokers],
        "structures": [
            {
                **s,
                **({"skill": int(S[s["skill"]])} if "skill" in s else {}),
                **({"domain": int(Dom[s["domain"]])} if "domain" in s else {}),
            }
            for s in structures
        ],
        "single_holder": [
            {"skill": int(S[x["skill"]]), "person": int(P[x["person"]])}
            for x in redundancy["single_holder"]
        ],
        "holders": {str(int(S[i])): c for i, c in enumerate(redundancy["holders"])},
        "domains": [{**x, "domain": int(Dom[x["domain"]])} for x in redundancy["domains"]],
        "skill_reach": [{**r, "skill": int(S[r["skill"]])} for r in reach],
        "network_map": {
            "nodes": [
                {
                    **n,
                    "team": int(T[n["team"]]),
                    "department": int(D[n["department"]]) if n["department"] >= 0 else None,
                }
                for n in nmap["nodes"]
            ],
            "edges": nmap["edges"],
        },
        "heat_map": {
            key: {
                "skills": [int(S[s]) for s in m["skills"]],
                "teams": [int(T[t]) for t in m["teams"]],
                "cells": m["cells"],
            }
            for key, m in heat.items()
        },
        "knowledge_map": [[int(S[s]), int(Si[t]), c] for s, t, c in pictures.knowledge_map(d)],
        "thanks": {str(int(T[t])): c for t, c in pictures.thanks_by_team(d).items()},
    }
    return Computed(
        org=scopes["org"][0],
        scopes={
            kind: {int(ids(kind)[g]): row for g, row in enumerate(rows)}
            for kind, rows in scopes.items()
            if kind != "org"
        },
        findings=Findings.from_json(findings),
    )


def recompute(
    *, window_days: int, end: datetime | None = None, seed: int = 0, step: Step | None = None
) -> tuple[Data, Computed, float]:
    """Read the database and compute; returns the data, the figures and the seconds taken."""
    started = time.perf_counter()
    say = step or (lambda name, n: None)
    d = load(window_days=window_days, end=end, tick=lambda n: say("reading", n))
    result = compute(d, min_people=settings.SYLVA_MIN_AGGREGATE, seed=seed, step=say)
    return d, result, time.perf_counter() - started
