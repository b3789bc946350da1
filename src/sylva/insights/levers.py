"""Organisation-wide findings behind the four levers: silos, hidden experts, introductions,
brokers, light structures, and the pictures (network map, heat maps, knowledge map).

Everything is computed from :class:`~sylva.insights.load.Data` (the event log, the org
chart, skills and wishes) and nothing else. People are kept as indices here; whether a name
may be shown is decided when a page is rendered.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse

from sylva.insights.health import Help, adaptability, event_groups
from sylva.insights.load import Data, verb_codes
from sylva.insights.metrics import network, skills, unique_rows

SILO_AMI = 0.6  # communities that copy departments this closely: a silo warning
SILO_SHARE = 0.5  # a department whose outside share is under half the median: a silo
EXPERT_MIN_HELPED = 5  # colleagues helped on one skill without a declared level ≥ 3
AMI_EXACT = 2_000_000  # groups x groups beyond which AMI is estimated on a sample
AMI_GROUPS = 400
TOP = 30


def silos(
    d: Data, u: np.ndarray, v: np.ndarray, w: np.ndarray, *, seed: int, min_people: int
) -> dict[str, Any]:
    dept = d.person_dept
    g = network.graph(d.n, u, v, w)
    degree = np.asarray(g.degree())
    tied = (degree > 0) & (dept >= 0)
    out: dict[str, Any] = {"tied_people": int(tied.sum())}
    if tied.sum() < min_people:
        return out
    levels = {"department": dept, "team": d.person_team, "site": d.person_site}
    results = []
    main = np.zeros(0, dtype=np.int64)
    for resolution in (1.0, 8.0):
        comm = network.leiden(g, resolution=resolution, seed=seed)
        if resolution == 1.0:
            main = comm
        row = {"resolution": resolution, "communities": len(np.unique(comm[tied]))}
        for name, labels in levels.items():
            row[name] = round(_ami(comm[tied], labels[tied], seed=seed), 4)
        results.append(row)
    out["leiden"] = results
    out["ami_department"] = results[0]["department"]
    out["warning"] = results[0]["department"] >= SILO_AMI
    # departments with few ties outside, against the others
    external, internal = network.ei_by_group(u, v, dept, len(d.dept_ids))
    total = external + internal
    share = np.where(total > 0, external / np.maximum(total, 1), np.nan)
    headcount = np.bincount(dept[dept >= 0], minlength=len(d.dept_ids))
    flagged = []
    rows = []
    for g_i in range(len(d.dept_ids)):
        if headcount[g_i] < min_people or not np.isfinite(share[g_i]):
            continue
        others = np.delete(share, g_i)
        median = float(np.nanmedian(others)) if np.isfinite(others).any() else np.nan
        members = tied & (dept == g_i)
        # how much of the department sits in communities it dominates
        if members.any():
            comms, counts = np.unique(main[members], return_counts=True)
            sizes = np.bincount(main[tied], minlength=int(main.max()) + 1)[comms]
            pure = float(counts[counts / sizes >= 0.8].sum() / counts.sum())
        else:
            pure = 0.0
        silo = bool(np.isfinite(median) and share[g_i] < SILO_SHARE * median)
        rows.append(
            {
                "department": g_i,
                "outside_share": round(float(share[g_i]), 4),
                "median_others": round(median, 4) if np.isfinite(median) else None,
                "community_purity": round(pure, 4),
                "silo": silo,
            }
        )
        if silo:
            flagged.append(g_i)
    out["departments"] = rows
    out["silo_departments"] = flagged
    return out


def _ami(labels: np.ndarray, reference: np.ndarray, *, seed: int) -> float:
    """Adjusted mutual information; when both labellings have many groups (teams against
    fine communities on a large company), the exact expected-information term is too slow
    (86 s on 100,000 people): it is then estimated on AMI_GROUPS groups of the reference
    drawn at random, with all their members."""
    groups = np.unique(reference)
    if len(groups) * len(np.unique(labels)) <= AMI_EXACT or len(groups) <= AMI_GROUPS:
        return network.ami(labels, reference)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(groups, AMI_GROUPS, replace=False)
    keep = np.isin(reference, chosen)
    return network.ami(labels[keep], reference[keep])


def hidden_experts(d: Data, h: Help) -> list[dict[str, Any]]:
    """People who helped at least ``EXPERT_MIN_HELPED`` different colleagues (exchanges
    taught, questions answered) on one skill where they declare no level ≥ 3: the spot
    list, strongest first. Counting per skill separates a real, undeclared expertise from
    someone who answers a little on everything."""
    peer = (h.kind < 2) & (h.skill >= 0)
    helper, helped, skill = h.helper[peer], h.helped[peer], h.skill[peer]
    nsk = max(len(d.skill_ids), 1)
    high = d.held_level >= 3
    declared = np.unique(d.held_person[high] * nsk + d.held_skill[high])
    keys = helper * nsk + skill
    undeclared = ~np.isin(keys, declared)
    triples = unique_rows(keys[undeclared], helped[undeclared])
    if not len(triples):
        return []
    per_skill, distinct = np.unique(triples[:, 0], return_counts=True)
    strong = distinct >= EXPERT_MIN_HELPED
    best: dict[int, tuple[int, int]] = {}
    for key, n in zip(per_skill[strong].tolist(), distinct[strong].tolist(), strict=True):
        person, s = divmod(key, nsk)
        if n > best.get(person, (0, -1))[0]:
            best[person] = (n, s)
    moments = np.bincount(helper[undeclared], minlength=d.n)
    order = sorted(best, key=lambda p: (-best[p][0], p))
    return [
        {"person": p, "helped": best[p][0], "moments": int(moments[p]), "skill": best[p][1]}
        for p in order
    ]


def _matrix(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    keep = (rows >= 0) & (cols >= 0)
    return sparse.csr_matrix(
        (np.ones(keep.sum()), (rows[keep], cols[keep])), shape=shape, dtype=np.float64
    )


def team_introductions(
    d: Data, h: Help, *, min_people: int, limit: int = TOP
) -> list[dict[str, Any]]:
    """Pairs of teams whose skills and wishes complement each other both ways and who have
    no learning tie yet, scored by complementarity x (1 + Adamic-Adar on the team graph)."""
    nt, ns = len(d.team_ids), len(d.skill_ids)
    if nt < 2 or not ns:
        return []
    high = d.held_level >= 3
    holds = _matrix(d.person_team[d.held_person[high]], d.held_skill[high], (nt, ns))
    wants = _matrix(d.person_team[d.wish_person], d.wish_skill, (nt, ns))
    headcount = np.bincount(d.person_team[d.person_team >= 0], minlength=nt)
    small = headcount < min_people
    ht, gt = d.person_team[h.helper], d.person_team[h.helped]
    tied = _matrix(np.concatenate([ht, gt]), np.concatenate([gt, ht]), (nt, nt))
    tied = (tied > 0).astype(np.float64).tocsr()
    candidates: list[tuple[float, int, int, float, float]] = []
    step = 1000
    holds_bin = (holds > 0).astype(np.float64).tocsr()
    dense_holds = holds_bin.toarray().astype(np.float32)
    dense_wants = wants.toarray().astype(np.float32)
    for start in range(0, nt, step):
        rows = np.arange(start, min(nt, start + step))
        give = dense_holds[rows] @ dense_wants.T  # rows can answer columns' wishes
        take = dense_wants[rows] @ dense_holds.T  # columns can answer rows' wishes
        score = np.sqrt(give * take)
        score[:, small] = 0
        score[small[rows], :] = 0
        block = tied[rows].toarray() > 0
        score[block] = 0
        score[np.arange(nt)[None, :] <= rows[:, None]] = 0  # each pair once (a < b)
        flat = np.flatnonzero(score > 0)
        if not len(flat):
            continue
        values = score.ravel()[flat]
        k = min(limit * 10, len(flat))
        best = flat[np.argpartition(-values, k - 1)[:k]]
        for f in best:
            r, c = divmod(int(f), nt)
            candidates.append((float(score[r, c]), int(rows[r]), c, give[r, c], take[r, c]))
    candidates.sort(key=lambda t: (-t[0], t[1], t[2]))
    candidates = candidates[: limit * 10]
    if not candidates:
        return []
    tu, tv = sparse.triu(tied, k=1).nonzero()
    aa = network.adamic_adar(
        nt,
        tu.astype(np.int64),
        tv.astype(np.int64),
        np.array([c[1] for c in candidates]),
        np.array([c[2] for c in candidates]),
    )
    # complementarity first; common neighbours (Adamic-Adar, scaled to 0…1) at most double it
    scale = float(aa.max()) if len(aa) and aa.max() > 0 else 1.0
    scored = sorted(
        ((c[0] * (1 + a / scale), c, a) for c, a in zip(candidates, aa, strict=True)),
        key=lambda t: (-t[0], t[1][1], t[1][2]),
    )[:limit]
    out = []
    for total, (comp, a, b, _give, _take), aa_score in scored:
        ga = holds_bin[a].multiply(wants[b]).toarray().ravel()
        gb = holds_bin[b].multiply(wants[a]).toarray().ravel()
        out.append(
            {
                "team_a": a,
                "team_b": b,
                "score": round(total, 3),
                "complementarity": round(comp, 3),
                "adamic_adar": round(float(aa_score), 3),
                "a_to_b": [int(s) for s in np.argsort(-ga)[:3] if ga[s] > 0],
                "b_to_a": [int(s) for s in np.argsort(-gb)[:3] if gb[s] > 0],
            }
        )
    return out


def person_introductions(
    d: Data, u: np.ndarray, v: np.ndarray, *, seed: int, limit: int = TOP
) -> list[dict[str, Any]]:
    """People who hold (level ≥ 3) a skill someone else wants to learn, with no tie between
    them, ranked by Adamic-Adar (colleagues in common make an introduction natural), the
    other direction of help first when it exists."""
    rng = np.random.default_rng(seed)
    high = d.held_level >= 3
    ns = max(len(d.skill_ids), 1)
    order = np.argsort(d.held_skill[high], kind="stable")
    hp, hs = d.held_person[high][order], d.held_skill[high][order]
    bounds = np.searchsorted(hs, np.arange(ns + 1))
    wishes = np.flatnonzero((d.wish_person >= 0) & (d.wish_skill >= 0))
    if len(wishes) > 20_000:
        wishes = np.sort(rng.choice(wishes, 20_000, replace=False))
    s = d.wish_skill[wishes]
    counts = bounds[s + 1] - bounds[s]
    wishes, s, counts = wishes[counts > 0], s[counts > 0], counts[counts > 0]
    if not len(wishes):
        return []
    # up to five holders per wish, drawn at random (repeats removed below)
    offsets = (rng.random((len(wishes), 5)) * counts[:, None]).astype(np.int64)
    a = hp[bounds[s][:, None] + offsets].ravel()
    b = np.repeat(d.wish_person[wishes], 5)
    s = np.repeat(s, 5)
    rows = unique_rows(a, b, s)
    a, b, s = rows[:, 0], rows[:, 1], rows[:, 2]
    keep = a != b
    a, b, s = a[keep], b[keep], s[keep]
    if not len(a):
        return []
    tie_keys = np.unique(np.concatenate([u * d.n + v, v * d.n + u]))
    untied = ~np.isin(a * d.n + b, tie_keys)
    a, b, s = a[untied], b[untied], s[untied]
    if not len(a):
        return []
    aa = network.adamic_adar(d.n, u, v, a, b)
    wants = _matrix(d.wish_person, d.wish_skill, (d.n, ns))
    holds = _matrix(d.held_person[high], d.held_skill[high], (d.n, ns))
    # does b hold something a wants? (the exchange could go both ways)
    mutual = np.asarray(wants[a].multiply(holds[b]).sum(axis=1)).ravel() > 0
    score = aa + mutual.astype(float)
    best = np.argsort(-score, kind="stable")[:limit]
    return [
        {
            "person_a": int(a[i]),
            "person_b": int(b[i]),
            "skill": int(s[i]),
            "adamic_adar": round(float(aa[i]), 3),
            "mutual": bool(mutual[i]),
        }
        for i in best
        if score[i] > 0
    ]


def brokers(
    d: Data, u: np.ndarray, v: np.ndarray, w: np.ndarray, limit: int = TOP
) -> list[dict[str, Any]]:
    """People with the lowest Burt constraint among those with ties into at least two
    departments other than their own: they already bridge silos."""
    if not len(u):
        return []
    g = network.graph(d.n, u, v, w)
    degree = np.asarray(g.degree())
    dept = d.person_dept
    # departments reached, own excluded (u→v and v→u together)
    both = np.concatenate([np.column_stack([u, dept[v]]), np.column_stack([v, dept[u]])])
    both = both[(both[:, 1] >= 0) & (both[:, 1] != dept[both[:, 0]])]
    reached = (
        np.bincount(unique_rows(both[:, 0], both[:, 1])[:, 0], minlength=d.n)
        if len(both)
        else np.zeros(d.n, dtype=np.int64)
    )
    candidates = np.flatnonzero((degree >= 4) & (reached >= 2))
    if not len(candidates):
        return []
    constraint = network.burt_constraint(g)
    order = candidates[np.argsort(constraint[candidates], kind="stable")][:limit]
    return [
        {
            "person": int(p),
            "constraint": round(float(constraint[p]), 4),
            "ties": int(degree[p]),
            "departments": int(reached[p]),
        }
        for p in order
    ]


def structures(d: Data, h: Help, *, min_people: int, limit: int = 10) -> list[dict[str, Any]]:
    """Light structures that activity calls for: a learning circle where open requests of
    the exchange board, not answered yet, cluster on one skill; a microlearning module where
    the same question recurs; a community where cross-team help gathers on one domain."""
    out: list[dict[str, Any]] = []
    adapt = adaptability(d, h)
    # open requests on the exchange board that no exchange answered yet, per skill
    waiting = d.req_open & np.isnan(adapt["first"])
    rows = waiting[d.rs_request] if len(d.rs_request) else np.zeros(0, dtype=bool)
    r_person = d.req_person[d.rs_request[rows]]
    r_skill = d.rs_skill[rows]
    ns = len(d.skill_ids)
    team = d.person_team[r_person]
    for s in np.argsort(-np.bincount(r_skill, minlength=ns), kind="stable")[: limit * 3]:
        m = r_skill == s
        people = len(np.unique(r_person[m]))
        teams = len(np.unique(team[m][team[m] >= 0]))
        if people >= min_people and teams >= 2:
            out.append({"kind": "circle", "skill": int(s), "people": people, "teams": teams})
        if sum(1 for x in out if x["kind"] == "circle") >= limit:
            break
    asked = verb_codes().index("asked") if "asked" in verb_codes() else -1
    m = (d.ev_verb == asked) & (d.ev_skill >= 0) & (d.ev_actor >= 0)
    pairs = unique_rows(d.ev_skill[m], d.ev_actor[m])
    if len(pairs):
        askers = np.bincount(pairs[:, 0], minlength=ns)
        teams_of = event_groups(d)["team"]
        for s in np.argsort(-askers, kind="stable")[:limit]:
            if askers[s] < min_people:
                break
            t = teams_of[m & (d.ev_skill == s)]
            out.append(
                {
                    "kind": "module",
                    "skill": int(s),
                    "people": int(askers[s]),
                    "teams": len(np.unique(t[t >= 0])),
                }
            )
    ht, gt = d.person_team[h.helper], d.person_team[h.helped]
    m = (ht != gt) & (ht >= 0) & (gt >= 0) & (h.skill >= 0)
    if m.any():
        domain = d.skill_domain[h.skill[m]]
        nd = len(d.domain_ids)
        moments = np.bincount(domain, minlength=nd)
        for dom in np.argsort(-moments, kind="stable")[: max(3, limit // 2)]:
            sel = domain == dom
            teams = len(np.unique(np.concatenate([ht[m][sel], gt[m][sel]])))
            people = len(np.unique(np.concatenate([h.helper[m][sel], h.helped[m][sel]])))
            if teams >= 3 and people >= min_people:
                out.append(
                    {
                        "kind": "community",
                        "domain": int(dom),
                        "people": people,
                        "teams": teams,
                        "moments": int(moments[dom]),
                    }
                )
    return out


def redundancy(d: Data) -> dict[str, Any]:
    high = d.held_level >= 3
    holders = skills.holders_per_skill(
        zip(d.held_person[high].tolist(), d.held_skill[high].tolist(), strict=True)
    )
    single = skills.single_holder_skills(holders)
    domains = []
    for dom in range(len(d.domain_ids)):
        units = np.flatnonzero(d.skill_domain == dom).tolist()
        domains.append(
            {
                "domain": dom,
                "skills": len(units),
                "truck_factor": skills.truck_factor(units, holders),
                "single_holder": sum(1 for s in units if len(holders.get(s, ())) == 1),
                "no_holder": sum(1 for s in units if not holders.get(s)),
            }
        )
    counts = np.array([len(holders.get(s, ())) for s in range(len(d.skill_ids))])
    return {
        "holders": counts.tolist(),
        "single_holder": [{"skill": s, "person": next(iter(holders[s]))} for s in single],
        "domains": domains,
    }
