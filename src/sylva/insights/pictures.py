"""Pictures and maps behind the pages: reach of skills, the learning network by team,
skills x teams heat maps, the knowledge map, thanks per team. Arrays in, plain lists out;
:mod:`sylva.insights.svg` draws them."""

from __future__ import annotations

import random
from typing import Any

import igraph as ig
import numpy as np

from sylva.insights.health import Help, event_groups
from sylva.insights.load import Data, verb_codes
from sylva.insights.metrics import unique_rows

MAP_TEAMS = 150
MAP_EDGES = 500


def skill_reach(d: Data) -> list[dict[str, Any]]:
    m = (d.ev_skill >= 0) & (d.ev_team >= 0)
    pairs = unique_rows(d.ev_skill[m], d.ev_team[m])
    teams = np.bincount(pairs[:, 0], minlength=len(d.skill_ids)) if len(pairs) else np.zeros(0)
    people_pairs = unique_rows(d.ev_skill[m], d.ev_actor[m])
    people = (
        np.bincount(people_pairs[:, 0], minlength=len(d.skill_ids))
        if len(people_pairs)
        else np.zeros(0)
    )
    order = np.argsort(-teams, kind="stable")
    return [
        {"skill": int(s), "teams": int(teams[s]), "people": int(people[s])}
        for s in order
        if teams[s] > 0
    ]


def network_map(d: Data, h: Help, *, min_people: int, seed: int) -> dict[str, Any]:
    """The learning network aggregated by team (teams of at least ``min_people``), the most
    connected teams laid out by Fruchterman-Reingold."""
    nt = len(d.team_ids)
    headcount = np.bincount(d.person_team[d.person_team >= 0], minlength=nt)
    ht, gt = d.person_team[h.helper], d.person_team[h.helped]
    m = (ht >= 0) & (gt >= 0) & (ht != gt)
    a, b = np.minimum(ht[m], gt[m]), np.maximum(ht[m], gt[m])
    keys, weight = np.unique(a * nt + b, return_counts=True)
    ea, eb = keys // nt, keys % nt
    ok = (headcount[ea] >= min_people) & (headcount[eb] >= min_people)
    ea, eb, weight = ea[ok], eb[ok], weight[ok]
    strength = np.bincount(ea, weights=weight, minlength=nt) + np.bincount(
        eb, weights=weight, minlength=nt
    )
    inner = np.bincount(ht[(ht == gt) & (ht >= 0)], minlength=nt)
    eligible = np.flatnonzero(headcount >= min_people)
    nodes = eligible[np.argsort(-(strength + inner)[eligible], kind="stable")][:MAP_TEAMS]
    pos = {int(t): i for i, t in enumerate(nodes)}
    keep = np.array(
        [int(x) in pos and int(y) in pos for x, y in zip(ea, eb, strict=True)], dtype=bool
    )
    ea, eb, weight = ea[keep], eb[keep], weight[keep]
    top = np.argsort(-weight, kind="stable")[:MAP_EDGES]
    ea, eb, weight = ea[top], eb[top], weight[top]
    if not len(nodes):
        return {"nodes": [], "edges": []}
    g = ig.Graph(
        n=len(nodes), edges=[(pos[int(x)], pos[int(y)]) for x, y in zip(ea, eb, strict=True)]
    )
    ig.set_random_number_generator(random.Random(seed))
    layout = g.layout_fruchterman_reingold(
        weights=np.log1p(weight).tolist() if len(weight) else None, niter=500
    )
    ig.set_random_number_generator(random)
    coords = np.asarray(layout.coords) if len(nodes) > 1 else np.zeros((1, 2))
    span = coords.max(axis=0) - coords.min(axis=0)
    coords = (coords - coords.min(axis=0)) / np.where(span > 0, span, 1)
    return {
        "nodes": [
            {
                "team": int(t),
                "x": round(float(coords[i, 0]), 4),
                "y": round(float(coords[i, 1]), 4),
                "department": int(d.team_dept[t]),
                "people": int(headcount[t]),
                "inner": int(inner[t]),
            }
            for i, t in enumerate(nodes)
        ],
        "edges": [
            [pos[int(x)], pos[int(y)], int(w_)] for x, y, w_ in zip(ea, eb, weight, strict=True)
        ],
    }


def heat_map(
    d: Data, teams: np.ndarray, *, skills_n: int = 12, teams_n: int = 16
) -> dict[str, Any]:
    """Learning events per skill x team (the events' team at the time) for the most active
    skills and teams among ``teams``."""
    m = (d.ev_skill >= 0) & np.isin(d.ev_team, teams)
    if not m.any():
        return {"skills": [], "teams": [], "cells": []}
    sk, tm = d.ev_skill[m], d.ev_team[m]
    top_s = np.argsort(-np.bincount(sk, minlength=len(d.skill_ids)), kind="stable")[:skills_n]
    top_t = np.argsort(-np.bincount(tm, minlength=len(d.team_ids)), kind="stable")[:teams_n]
    top_t = top_t[np.isin(top_t, teams)]
    cells = np.zeros((len(top_s), len(top_t)), dtype=np.int64)
    si = {int(s): i for i, s in enumerate(top_s)}
    ti = {int(t): i for i, t in enumerate(top_t)}
    keep = np.isin(sk, top_s) & np.isin(tm, top_t)
    for s, t in zip(sk[keep].tolist(), tm[keep].tolist(), strict=True):
        cells[si[s], ti[t]] += 1
    return {"skills": top_s.tolist(), "teams": top_t.tolist(), "cells": cells.tolist()}


def knowledge_map(d: Data) -> list[list[int]]:
    """(skill, site, holders at level ≥ 3) for every pair with at least one holder."""
    high = d.held_level >= 3
    site = d.person_site[d.held_person[high]]
    m = site >= 0
    pairs, counts = unique_rows(d.held_skill[high][m], site[m], return_counts=True)
    return [[int(s), int(t), int(c)] for (s, t), c in zip(pairs, counts, strict=True)]


def thanks_by_team(d: Data) -> dict[int, int]:
    codes = verb_codes()
    thanked = codes.index("thanked") if "thanked" in codes else -1
    teams = event_groups(d)["team"]
    m = (d.ev_verb == thanked) & (teams >= 0)
    counts = np.bincount(teams[m], minlength=len(d.team_ids))
    return {int(t): int(c) for t, c in enumerate(counts) if c}
