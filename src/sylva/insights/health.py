"""The ecosystem's health, per organisation, department, site and team, from :class:`Data`.

Every figure of a scope is an aggregate over people: a scope of fewer than
``SYLVA_MIN_AGGREGATE`` people gets no figures at all, and a figure that rests on fewer
than that many people (learners, askers…) is left out and named in ``few``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sylva.insights.load import COURSE, FORMS, IN_THE_WORK, Data, at, verb_codes, verb_forms
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
    dept = at(d.team_dept, d.ev_team)
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
    shared = _shared(d, h)
    out: dict[str, Any] = {}
    for kind in ("org", *KINDS):
        f = _group_arrays(d, h, shared, kind, seed=seed)
        out[kind] = [_scope_row(f, g, min_people) for g in range(f["size"])]
    return out


def _shared(d: Data, h: Help) -> dict[str, Any]:
    """What the figures of every kind of scope are computed from: per event, per help moment
    and per person, whatever the grouping."""
    forms = verb_forms()
    ev_form = forms[d.ev_verb]
    u, v, _w = network.unique_ties(h.helper, h.helped)
    dept = d.person_dept
    keep = (d.ev_actor >= 0) & (ev_form >= 0)
    mix = np.zeros((d.n, len(FORMS)))
    _add(mix, (d.ev_actor[keep], ev_form[keep]), 1)
    months = max(1, int(np.ceil((d.end - d.start).days / MONTH_DAYS)))

    def month_of(times: np.ndarray) -> np.ndarray:
        since = (times - d.start.timestamp()) // (MONTH_DAYS * DAY)
        return np.clip(since.astype(np.int64), 0, months - 1)

    return {
        "ev_form": ev_form,
        "u": u,
        "v": v,
        "cross": dept[h.helper] != dept[h.helped],
        "exchange_or_answer": h.kind < 2,
        "levels_differ": d.person_level[h.helper] != d.person_level[h.helped],
        "upward": d.person_level[h.helper] > d.person_level[h.helped],
        "peer": h.kind != 2,
        "gave": np.bincount(h.helper, minlength=d.n) > 0,
        "got": np.bincount(h.helped, minlength=d.n) > 0,
        "active": np.bincount(d.ev_actor[keep], minlength=d.n) > 0,
        "hill": skills.hill_rows(mix, 1.0),
        "adapt": adaptability(d, h),
        "months": months,
        "ev_month": month_of(d.ev_time),
        "h_month": month_of(h.time),
    }


def _grouping(d: Data, kind: str) -> tuple[np.ndarray, int, np.ndarray]:
    """The group of each person, the number of groups, the group of each event."""
    if kind == "org":
        return np.zeros(d.n, dtype=np.int64), 1, np.where(d.ev_actor >= 0, 0, -1)
    pg, size = person_groups(d)[kind]
    return pg, size, event_groups(d)[kind]


def _circulation(
    d: Data, s: dict[str, Any], kind: str, pg: np.ndarray, size: int, seed: int
) -> dict[str, np.ndarray]:
    """Ties inside and outside each group, the E-I index and its baseline of shuffles."""
    u, v, dept = s["u"], s["v"], d.person_dept
    if kind == "org":
        index = network.ei_index(u, v, dept)
        external, internal = np.array([index.external]), np.array([index.internal])
        base = _org_baseline(u, v, dept, seed)
    else:
        external, internal = network.ei_by_group(u, v, pg, size)
        base = network.shuffle_baseline(u, v, pg, size, rounds=20, seed=seed)
    return {
        "external": external,
        "internal": internal,
        "ei": network.ei_values(external, internal),
        "base_mean": base[0],
        "base_low": base[1],
        "base_high": base[2],
    }


def _reciprocity(
    d: Data, h: Help, pg: np.ndarray, size: int, hg: np.ndarray, dg: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per group, pairs of people inside it where help went both ways, out of all pairs."""
    inside = (hg == dg) & (hg >= 0)
    pairs = unique_rows(h.helper[inside], h.helped[inside])
    if not len(pairs):
        return np.zeros(size), np.zeros(size)
    keys = pairs[:, 0] * d.n + pairs[:, 1]
    rev = np.isin(pairs[:, 1] * d.n + pairs[:, 0], keys)
    return _count(pg[pairs[:, 0]], size, rev.astype(float)), _count(pg[pairs[:, 0]], size)


def _trends(
    s: dict[str, Any], size: int, eg: np.ndarray, ek: np.ndarray, hg: np.ndarray, dg: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Month by month, from the events' and help moments' context: (events, in the work) and
    (help moments, across departments) per group."""
    months, ev_form, ev_month, h_month = s["months"], s["ev_form"], s["ev_month"], s["h_month"]
    trend_events = np.zeros((size, months, 2))
    _add(trend_events, (eg[ek], ev_month[ek], 0), 1)
    _add(trend_events, (eg[ek], ev_month[ek], 1), np.isin(ev_form[ek], IN_THE_WORK).astype(float))
    trend_cross = np.zeros((size, months, 2))
    for side, extra in ((hg, True), (dg, hg != dg)):
        m = (side >= 0) & s["exchange_or_answer"] & extra
        _add(trend_cross, (side[m], h_month[m], 0), 1)
        _add(trend_cross, (side[m], h_month[m], 1), s["cross"][m].astype(float))
    return trend_events, trend_cross


def _holding(d: Data, pg: np.ndarray, size: int) -> dict[str, np.ndarray]:
    """Skills held at level ≥ 3 in each group, by one person only, and holders' median."""
    high = d.held_level >= 3
    gs = pg[d.held_person[high]]
    ok = gs >= 0
    pairs_gs, holders = unique_rows(gs[ok], d.held_skill[high][ok], return_counts=True)
    return {
        "skills_held": np.bincount(pairs_gs[:, 0], minlength=size)[:size],
        "single": np.bincount(pairs_gs[:, 0][holders == 1], minlength=size)[:size],
        "holder_median": _quantiles(holders.astype(float), pairs_gs[:, 0], size)[:, 1],
    }


def _wishes(d: Data, s: dict[str, Any], pg: np.ndarray, size: int) -> dict[str, np.ndarray]:
    """The board's requests of each group's people: askers, answered within 14 days, the
    median wait and days to level 3."""
    adapt = s["adapt"]
    wg = pg[d.req_person]
    window = adapt["in_window"]
    considered = window & adapt["observed"]
    reached = ~np.isnan(adapt["level3"])
    first = np.nan_to_num(adapt["first"], nan=np.inf)
    return {
        "wishers": _distinct(wg[window], d.req_person[window], size),
        "answered": _count(
            wg[considered], size, (adapt["first"][considered] <= ANSWERED_WITHIN_DAYS).astype(float)
        ),
        "considered_n": _count(wg[considered], size),
        "wait": _quantiles(first[window], wg[window], size)[:, 1],
        "wishes_n": _count(wg[window], size),
        "to3": _quantiles(adapt["level3"][reached], wg[reached], size)[:, 1],
    }


def _group_arrays(d: Data, h: Help, s: dict[str, Any], kind: str, *, seed: int) -> dict[str, Any]:
    """Every figure of every group of ``kind``, as arrays indexed by group."""
    pg, size, eg = _grouping(d, kind)
    hg, dg = pg[h.helper], pg[h.helped]
    ev_form, active = s["ev_form"], s["active"]
    exchange_or_answer, peer = s["exchange_or_answer"], s["peer"]
    gave, got = s["gave"], s["got"]
    team_mix = np.zeros((size, len(FORMS)))
    ek = (eg >= 0) & (ev_form >= 0)
    _add(team_mix, (eg[ek], ev_form[ek]), 1)
    rec_num, rec_den = _reciprocity(d, h, pg, size, hg, dg)
    trend_events, trend_cross = _trends(s, size, eg, ek, hg, dg)
    return {
        "size": size,
        "headcount": _count(pg, size),
        **_circulation(d, s, kind, pg, size, seed),
        "touching": _involved(hg, dg, exchange_or_answer, size),
        "crossing": _involved(hg, dg, exchange_or_answer & s["cross"], size),
        "touching_peer": _involved(hg, dg, peer, size),
        "across": _involved(hg, dg, peer & s["levels_differ"], size),
        "up": _involved(hg, dg, peer & s["upward"], size),
        "rec_num": rec_num,
        "rec_den": rec_den,
        "both": _count(pg, size, (gave & got).astype(float)),
        "either": _count(pg, size, (gave | got).astype(float)),
        "learners": _count(pg, size, active.astype(float)),
        "hill_q": _quantiles(s["hill"][active], pg[active], size),
        "team_mix": team_mix,
        "pooled": skills.hill_rows(team_mix, 1.0),
        "total_events": team_mix.sum(axis=1),
        "in_work": team_mix[:, IN_THE_WORK].sum(axis=1),
        "hours": _count(pg, size, d.course_hours),
        **_holding(d, pg, size),
        **_wishes(d, s, pg, size),
        "months": s["months"],
        "trend_events": trend_events,
        "trend_cross": trend_cross,
    }


def _scope_row(f: dict[str, Any], g: int, min_people: int) -> dict[str, Any]:
    """The figures of group ``g``: none under ``min_people`` people; a figure resting on
    fewer than that many people (learners, askers…) left out and named in ``few``."""
    count = int(f["headcount"][g])
    if count < min_people:
        return {"headcount": count, "hidden": True}
    row: dict[str, Any] = {"headcount": count, **_activity(f, g)}
    few: list[str] = []

    def at_least(people: float, *keys: str) -> bool:
        if people >= min_people:
            return True
        few.extend(keys)
        return False

    if at_least(f["either"][g], "reciprocity", "gave_and_received", "across_levels_share"):
        row.update(
            reciprocity=_ratio(f["rec_num"][g], f["rec_den"][g]),
            gave_and_received=_ratio(f["both"][g], f["either"][g]),
            across_levels_share=_ratio(f["across"][g], f["touching_peer"][g]),
            upward_share=_ratio(f["up"][g], f["touching_peer"][g]),
        )
    if at_least(f["learners"][g], "hill_learner", "hill_team"):
        row.update(
            hill_learner_p25=_f(f["hill_q"][g, 0]),
            hill_learner=_f(f["hill_q"][g, 1]),
            hill_learner_p75=_f(f["hill_q"][g, 2]),
            hill_team=_f(f["pooled"][g]),
        )
    if at_least(f["wishers"][g], "wait_days", "answered_14d_share", "level3_days"):
        row.update(
            wait_days=_f(f["wait"][g]),
            answered_14d_share=_ratio(f["answered"][g], f["considered_n"][g]),
            level3_days=_f(f["to3"][g]),
            requests=int(f["wishes_n"][g]),
        )
    row["few"] = few
    return row


def _activity(f: dict[str, Any], g: int) -> dict[str, Any]:
    """The figures every scope shown has: activity, circulation, holding, forms, trend."""
    total, mix = f["total_events"][g], f["team_mix"][g]
    return {
        "events": int(total),
        "learners": int(f["learners"][g]),
        "ties_internal": int(f["internal"][g]),
        "ties_external": int(f["external"][g]),
        "ei": _f(f["ei"][g]),
        "ei_baseline": _f(f["base_mean"][g]),
        "ei_baseline_low": _f(f["base_low"][g]),
        "ei_baseline_high": _f(f["base_high"][g]),
        "cross_department_share": _ratio(f["crossing"][g], f["touching"][g]),
        "skills_held": int(f["skills_held"][g]),
        "single_holder_skills": int(f["single"][g]),
        "holders_median": _f(f["holder_median"][g]),
        "in_work_share": _ratio(f["in_work"][g], total),
        "course_share": _ratio(mix[COURSE], total),
        "microlearning_share": _ratio(mix[FORMS.index("microlearning")], total),
        "course_hours": round(float(f["hours"][g]), 1),
        "form_mix": {form: int(mix[i]) for i, form in enumerate(FORMS)},
        "trend": [_month(f, g, m) for m in range(f["months"])],
    }


def _month(f: dict[str, Any], g: int, m: int) -> dict[str, Any]:
    events, cross = f["trend_events"][g, m], f["trend_cross"][g, m]
    return {
        "events": int(events[0]),
        "in_work_share": _ratio(events[1], events[0]),
        "cross_department_share": _ratio(cross[1], cross[0]),
    }


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
