"""The ecosystem's health, per organisation, department, site and team, from :class:`Data`.

Every figure of a scope is an aggregate over people: a scope of fewer than
``SYLVA_MIN_AGGREGATE`` people gets no figures at all, and a figure that rests on fewer
than that many people (learners, askers…) is left out and named in ``few``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sylva.insights.load import COURSE, FORMS, IN_THE_WORK, Data, verb_codes, verb_forms
from sylva.insights.metrics import network, skills, unique_rows

DAY = 86_400
ANSWERED_WITHIN_DAYS = 14
MONTH_DAYS = 30
KINDS = ("department", "site", "team")


@dataclass
class Help:
    """The help graph: one row per moment where ``helper`` helped ``helped``."""

    helper: np.ndarray
    helped: np.ndarray
    skill: np.ndarray
    time: np.ndarray
    kind: np.ndarray  # 0 exchange, 1 answer to a question, 2 manager's feedback


def help_edges(d: Data) -> Help:
    """Exchanges are recorded by both people (``taught`` and ``learned-from``): the pair is
    counted once; an answer goes from the person who responded to the asker; a manager's
    feedback from the manager to the person."""
    index = {code: i for i, code in enumerate(verb_codes())}
    both = (d.ev_other >= 0) & (d.ev_actor >= 0)

    def pick(code: str) -> np.ndarray:
        return both & (d.ev_verb == index.get(code, -99))

    taught, learned = pick("taught"), pick("learned-from")
    exchange = np.column_stack(
        [
            np.concatenate([d.ev_actor[taught], d.ev_other[learned]]),
            np.concatenate([d.ev_other[taught], d.ev_actor[learned]]),
            np.concatenate([d.ev_skill[taught], d.ev_skill[learned]]),
            np.concatenate([d.ev_time[taught], d.ev_time[learned]]),
        ]
    )
    exchange = unique_rows(*exchange.T) if len(exchange) else exchange.reshape(0, 4)
    parts = [np.column_stack([exchange, np.zeros(len(exchange), dtype=np.int64)])]
    for kind, code in ((1, "responded"), (2, "gave-feedback")):
        m = pick(code)
        parts.append(
            np.column_stack(
                [d.ev_actor[m], d.ev_other[m], d.ev_skill[m], d.ev_time[m], np.full(m.sum(), kind)]
            )
        )
    rows = np.concatenate(parts).astype(np.int64)
    rows = rows[rows[:, 0] != rows[:, 1]]
    return Help(rows[:, 0], rows[:, 1], rows[:, 2], rows[:, 3], rows[:, 4])


def person_groups(d: Data) -> dict[str, tuple[np.ndarray, int]]:
    return {
        "department": (d.person_dept, len(d.dept_ids)),
        "site": (d.person_site, len(d.site_ids)),
        "team": (d.person_team, len(d.team_ids)),
    }


def event_groups(d: Data) -> dict[str, np.ndarray]:
    """Group of each event from its context at the time (the actor's team then)."""
    dept = np.where(d.ev_team >= 0, d.team_dept[np.maximum(d.ev_team, 0)], -1)
    return {"department": dept, "site": d.ev_site, "team": d.ev_team}


def _add(out: np.ndarray, index: tuple[Any, ...], weights: np.ndarray | float = 1.0) -> None:
    """``np.add.at(out, index, weights)`` with bincount, many times faster."""
    flat = np.ravel_multi_index(index, out.shape)
    w = None if np.isscalar(weights) and weights == 1.0 else np.broadcast_to(weights, flat.shape)
    out += np.bincount(flat, weights=w, minlength=out.size).reshape(out.shape)


def _count(groups: np.ndarray, size: int, weights: np.ndarray | None = None) -> np.ndarray:
    keep = groups >= 0
    w = None if weights is None else weights[keep]
    return np.bincount(groups[keep], weights=w, minlength=size)[:size]


def _share(num: np.ndarray, den: np.ndarray) -> list[float | None]:
    return [None if b == 0 else float(a / b) for a, b in zip(num, den, strict=True)]


def _distinct(groups: np.ndarray, people: np.ndarray, size: int) -> np.ndarray:
    keep = (groups >= 0) & (people >= 0)
    pairs = unique_rows(groups[keep], people[keep])
    return np.bincount(pairs[:, 0], minlength=size)[:size] if len(pairs) else np.zeros(size)


def _quantiles(values: np.ndarray, groups: np.ndarray, size: int) -> np.ndarray:
    """(size x 3) 25th, 50th and 75th percentiles of ``values`` per group (NaN if none),
    the "lower" convention (an observed value), vectorised over groups."""
    out = np.full((size, 3), np.nan)
    keep = groups >= 0
    values, groups = np.asarray(values, dtype=float)[keep], groups[keep]
    if not len(values):
        return out
    order = np.lexsort((values, groups))
    values, groups = values[order], groups[order]
    bounds = np.searchsorted(groups, np.arange(size + 1))
    counts = np.diff(bounds)
    has = counts > 0
    for column, q in enumerate((0.25, 0.5, 0.75)):
        index = bounds[:-1] + np.floor(q * (counts - 1)).astype(np.int64)
        out[has, column] = values[index[has]]
    return out


def _involved(hg: np.ndarray, dg: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
    """Help moments touching each group (counted once when both people are in it)."""
    same = hg == dg
    return _count(hg[mask], size) + _count(dg[mask], size) - _count(hg[mask & same], size)


def adaptability(d: Data, h: Help) -> dict[str, np.ndarray]:
    """Per request on the exchange board: days to its first exchange (NaN if none yet),
    whether 14 days have passed since it was posted, and days for its author to reach level
    3 on one of its skills (the first reached; NaN if none)."""
    n_r = len(d.req_person)
    first = (d.req_first - d.req_time) / DAY
    observed = (d.end.timestamp() - d.req_time) >= ANSWERED_WITHIN_DAYS * DAY
    level3 = np.full(n_r, np.nan)
    if len(d.rs_request) and len(d.held_person):
        nsk = max(len(d.skill_ids), 1)
        high = d.held_level >= 3
        hk = d.held_person[high] * nsk + d.held_skill[high]
        order = np.argsort(hk)
        hk, since = hk[order], d.held_since[high][order]
        rk = d.req_person[d.rs_request] * nsk + d.rs_skill
        asked = d.req_time[d.rs_request]
        pos = np.minimum(np.searchsorted(hk, rk), max(len(hk) - 1, 0))
        ok = (len(hk) > 0) & (hk[pos] == rk) & (since[pos] >= asked)
        days = np.where(ok, (since[pos] - asked) / DAY, np.inf)
        best = np.full(n_r, np.inf)
        np.minimum.at(best, d.rs_request, days)
        level3 = np.where(np.isfinite(best), best, np.nan)
    in_window = d.req_time >= d.start.timestamp()
    return {"first": first, "observed": observed, "level3": level3, "in_window": in_window}


def scope_figures(d: Data, h: Help, *, min_people: int, seed: int = 0) -> dict[str, Any]:
    """Figures of every department, site and team, and of the organisation (kind "org")."""
    forms = verb_forms()
    ev_form = forms[d.ev_verb]
    u, v, _w = network.unique_ties(h.helper, h.helped)
    dept = d.person_dept
    cross = dept[h.helper] != dept[h.helped]
    exchange_or_answer = h.kind < 2
    levels_differ = d.person_level[h.helper] != d.person_level[h.helped]
    upward = d.person_level[h.helper] > d.person_level[h.helped]
    peer = h.kind != 2
    gave = np.bincount(h.helper, minlength=d.n) > 0
    got = np.bincount(h.helped, minlength=d.n) > 0
    active = np.bincount(d.ev_actor[(d.ev_actor >= 0) & (ev_form >= 0)], minlength=d.n) > 0
    mix = np.zeros((d.n, len(FORMS)))
    keep = (d.ev_actor >= 0) & (ev_form >= 0)
    _add(mix, (d.ev_actor[keep], ev_form[keep]), 1)
    hill = skills.hill_rows(mix, 1.0)
    high = d.held_level >= 3
    adapt = adaptability(d, h)
    months = max(1, int(np.ceil((d.end - d.start).days / MONTH_DAYS)))
    ev_month = np.clip(
        ((d.ev_time - d.start.timestamp()) // (MONTH_DAYS * DAY)).astype(np.int64), 0, months - 1
    )
    h_month = np.clip(
        ((h.time - d.start.timestamp()) // (MONTH_DAYS * DAY)).astype(np.int64), 0, months - 1
    )

    out: dict[str, Any] = {}
    groups = person_groups(d)
    ev_groups = event_groups(d)
    all_people = np.zeros(d.n, dtype=np.int64)
    for kind in ("org", *KINDS):
        if kind == "org":
            pg, size, eg = all_people, 1, np.where(d.ev_actor >= 0, 0, -1)
        else:
            (pg, size), eg = groups[kind], ev_groups[kind]
        headcount = _count(pg, size)
        hg, dg = pg[h.helper], pg[h.helped]
        if kind == "org":
            ext, inn = network.ei_index(u, v, dept).external, network.ei_index(u, v, dept).internal
            external, internal = np.array([ext]), np.array([inn])
            base_mean, base_low, base_high = _org_baseline(u, v, dept, seed)
        else:
            external, internal = network.ei_by_group(u, v, pg, size)
            base_mean, base_low, base_high = network.shuffle_baseline(
                u, v, pg, size, rounds=20, seed=seed
            )
        ei = network.ei_values(external, internal)
        touching = _involved(hg, dg, exchange_or_answer, size)
        crossing = _involved(hg, dg, exchange_or_answer & cross, size)
        touching_peer = _involved(hg, dg, peer, size)
        across = _involved(hg, dg, peer & levels_differ, size)
        up = _involved(hg, dg, peer & upward, size)
        # reciprocity inside each group
        inside = (hg == dg) & (hg >= 0)
        pairs = unique_rows(h.helper[inside], h.helped[inside])
        if len(pairs):
            nn = d.n
            keys = pairs[:, 0] * nn + pairs[:, 1]
            rev = np.isin(pairs[:, 1] * nn + pairs[:, 0], keys)
            rec_num = _count(pg[pairs[:, 0]], size, rev.astype(float))
            rec_den = _count(pg[pairs[:, 0]], size)
        else:
            rec_num = rec_den = np.zeros(size)
        both = _count(pg, size, (gave & got).astype(float))
        either = _count(pg, size, (gave | got).astype(float))
        learners = _count(pg, size, active.astype(float))
        hill_q = _quantiles(hill[active], pg[active], size)
        team_mix = np.zeros((size, len(FORMS)))
        ek = (eg >= 0) & (ev_form >= 0)
        _add(team_mix, (eg[ek], ev_form[ek]), 1)
        pooled = skills.hill_rows(team_mix, 1.0)
        total_events = team_mix.sum(axis=1)
        in_work = team_mix[:, IN_THE_WORK].sum(axis=1)
        hours = _count(pg, size, d.course_hours)
        hp, hs = d.held_person[high], d.held_skill[high]
        gs = pg[hp]
        ok = gs >= 0
        pairs_gs, holders = unique_rows(gs[ok], hs[ok], return_counts=True)
        skills_held = np.bincount(pairs_gs[:, 0], minlength=size)[:size]
        single = np.bincount(pairs_gs[:, 0][holders == 1], minlength=size)[:size]
        holder_median = _quantiles(holders.astype(float), pairs_gs[:, 0], size)[:, 1]
        wg = pg[d.req_person]
        considered = adapt["in_window"] & adapt["observed"]
        wishers = _distinct(wg[adapt["in_window"]], d.req_person[adapt["in_window"]], size)
        answered = _count(
            wg[considered], size, (adapt["first"][considered] <= ANSWERED_WITHIN_DAYS).astype(float)
        )
        considered_n = _count(wg[considered], size)
        wait = _quantiles(
            np.nan_to_num(adapt["first"], nan=np.inf)[adapt["in_window"]],
            wg[adapt["in_window"]],
            size,
        )[:, 1]
        wishes_n = _count(wg[adapt["in_window"]], size)
        reached = ~np.isnan(adapt["level3"])
        to3 = _quantiles(adapt["level3"][reached], wg[reached], size)[:, 1]
        # monthly trends from the events' and help moments' context
        trend_events = np.zeros((size, months, 2))
        _add(trend_events, (eg[ek], ev_month[ek], 0), 1)
        _add(
            trend_events,
            (eg[ek], ev_month[ek], 1),
            np.isin(ev_form[ek], IN_THE_WORK).astype(float),
        )
        trend_cross = np.zeros((size, months, 2))
        for side, extra in ((hg, True), (dg, hg != dg)):
            m = (side >= 0) & exchange_or_answer & extra
            _add(trend_cross, (side[m], h_month[m], 0), 1)
            _add(trend_cross, (side[m], h_month[m], 1), cross[m].astype(float))

        rows: list[dict[str, Any]] = []
        for g in range(size):
            count = int(headcount[g])
            row: dict[str, Any] = {"headcount": count}
            if count < min_people:
                row["hidden"] = True
                rows.append(row)
                continue
            few: list[str] = []

            def at_least(people: float, *keys: str, few: list[str] = few) -> bool:
                if people >= min_people:
                    return True
                few.extend(keys)
                return False

            row.update(
                events=int(total_events[g]),
                learners=int(learners[g]),
                ties_internal=int(internal[g]),
                ties_external=int(external[g]),
                ei=_f(ei[g]),
                ei_baseline=_f(base_mean[g]),
                ei_baseline_low=_f(base_low[g]),
                ei_baseline_high=_f(base_high[g]),
                cross_department_share=_ratio(crossing[g], touching[g]),
                skills_held=int(skills_held[g]),
                single_holder_skills=int(single[g]),
                holders_median=_f(holder_median[g]),
                in_work_share=_ratio(in_work[g], total_events[g]),
                course_share=_ratio(team_mix[g, COURSE], total_events[g]),
                microlearning_share=_ratio(
                    team_mix[g, FORMS.index("microlearning")], total_events[g]
                ),
                course_hours=round(float(hours[g]), 1),
                form_mix={f: int(team_mix[g, i]) for i, f in enumerate(FORMS)},
                trend=[
                    {
                        "events": int(trend_events[g, m, 0]),
                        "in_work_share": _ratio(trend_events[g, m, 1], trend_events[g, m, 0]),
                        "cross_department_share": _ratio(
                            trend_cross[g, m, 1], trend_cross[g, m, 0]
                        ),
                    }
                    for m in range(months)
                ],
            )
            if at_least(either[g], "reciprocity", "gave_and_received", "across_levels_share"):
                row.update(
                    reciprocity=_ratio(rec_num[g], rec_den[g]),
                    gave_and_received=_ratio(both[g], either[g]),
                    across_levels_share=_ratio(across[g], touching_peer[g]),
                    upward_share=_ratio(up[g], touching_peer[g]),
                )
            if at_least(learners[g], "hill_learner", "hill_team"):
                row.update(
                    hill_learner_p25=_f(hill_q[g, 0]),
                    hill_learner=_f(hill_q[g, 1]),
                    hill_learner_p75=_f(hill_q[g, 2]),
                    hill_team=_f(pooled[g]),
                )
            if at_least(wishers[g], "wait_days", "answered_14d_share", "level3_days"):
                row.update(
                    wait_days=_f(wait[g]),
                    answered_14d_share=_ratio(answered[g], considered_n[g]),
                    level3_days=_f(to3[g]),
                    requests=int(wishes_n[g]),
                )
            row["few"] = few
            rows.append(row)
        out[kind] = rows
    return out


def _org_baseline(
    u: np.ndarray, v: np.ndarray, dept: np.ndarray, seed: int
) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    known = np.flatnonzero(dept >= 0)
    draws = []
    for _ in range(20):
        shuffled = dept.copy()
        shuffled[known] = rng.permutation(dept[known])
        index = network.ei_index(u, v, shuffled).index
        draws.append(np.nan if index is None else index)  # an index of 0 is a value
    arr = np.asarray(draws, dtype=float)
    if np.isnan(arr).all():  # no learning tie at all: no baseline
        return (np.array([np.nan]),) * 3
    return (
        np.array([np.nanmean(arr)]),
        np.array([np.nanpercentile(arr, 5)]),
        np.array([np.nanpercentile(arr, 95)]),
    )


def _f(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 4)


def _ratio(a: float, b: float) -> float | None:
    return None if not b else round(float(a) / float(b), 4)
