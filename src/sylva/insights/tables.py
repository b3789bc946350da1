"""Every table of the insights pages as rows, for the CSV export (and the silo table of
the health page). The same privacy rules as the pages apply: they are built from
:mod:`sylva.insights.present`."""

from __future__ import annotations

import csv
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _

from sylva.core.errors import NotFound
from sylva.insights import present, queries
from sylva.insights.models import Snapshot
from sylva.insights.queries import Scope, Viewer

FIGURES = (
    "headcount",
    "learners",
    "events",
    "ei",
    "ei_baseline",
    "ei_baseline_low",
    "ei_baseline_high",
    "ties_internal",
    "ties_external",
    "cross_department_share",
    "reciprocity",
    "gave_and_received",
    "across_levels_share",
    "upward_share",
    "skills_held",
    "single_holder_skills",
    "holders_median",
    "hill_learner_p25",
    "hill_learner",
    "hill_learner_p75",
    "hill_team",
    "requests",
    "wait_days",
    "answered_14d_share",
    "level3_days",
    "in_work_share",
    "microlearning_share",
    "course_share",
    "course_hours",
)
Rows = list[list[Any]]


def _few() -> str:
    return _("fewer than %(n)d people: not shown") % {"n": settings.SYLVA_MIN_AGGREGATE}


def figure_row(name: str, data: dict[str, Any]) -> list[Any]:
    if data.get("hidden"):
        return [name, _few(), *[""] * (len(FIGURES) - 1)]
    few = set(data.get("few", []))
    row: list[Any] = [name]
    for key in FIGURES:
        base = key.removesuffix("_p25").removesuffix("_p75")
        row.append(_few() if base in few or key in few else data.get(key, ""))
    return row


def silo_rows(snapshot: Snapshot, n: present.Names) -> list[dict[str, Any]]:
    rows = []
    for row in snapshot.data.get("silos", {}).get("departments", []):
        dept = n.departments.get(row["department"])
        if dept is not None:
            rows.append({**row, "department": dept})
    return rows


def table(name: str, snapshot: Snapshot, scope: Scope, v: Viewer) -> tuple[list[str], Rows]:
    n = present.names(snapshot)
    if name == "figures":
        own = queries.figures(snapshot, scope)
        rows = [figure_row(queries.scope_name(scope), own.data)] if own else []
        for child in queries.children(snapshot, scope, v):
            label = queries.scope_name(Scope(child.kind, child.key))
            rows.append(figure_row(label, child.data))
        return ["scope", *FIGURES], rows
    if name == "trend":
        own = queries.figures(snapshot, scope)
        if own is None or own.data.get("hidden"):
            return ["month", "events", "in_work_share", "cross_department_share"], []
        return ["month", "events", "in_work_share", "cross_department_share"], [
            [i + 1, m["events"], m["in_work_share"], m["cross_department_share"]]
            for i, m in enumerate(own.data.get("trend", []))
        ]
    if name == "hotspots":
        forms = ["exchange", "microlearning", "community", "course", "field"]
        rows = []
        for r in present.hotspots(snapshot, v, n):
            if r.get("hidden"):
                rows.append([str(r["team"]), _few(), *[""] * 6])
            else:
                rows.append(
                    [
                        str(r["team"]),
                        r["headcount"],
                        *[r["mix"].get(f, 0) for f in forms],
                        r["share"],
                    ]
                )
        return ["team", "headcount", *forms, "in_work_share"], rows
    if name == "experts":
        spot = present.spot(snapshot, v, n)
        rows = [
            [
                e["person"].full_name,
                str(e["person"].team or ""),
                str(e["skill"] or ""),
                e["helped"],
                e["moments"],
            ]
            for e in spot["experts"]
        ]
        if spot["experts_hidden"]:
            rows.append(
                [_("%(n)d more, not shown by name") % {"n": spot["experts_hidden"]}, "", "", "", ""]
            )
        return ["person", "team", "skill", "people_helped", "moments"], rows
    if name == "team-introductions":
        return [
            "team_a",
            "team_b",
            "score",
            "complementarity",
            "adamic_adar",
            "a_can_teach_b",
            "b_can_teach_a",
        ], [
            [
                str(t["a"]),
                str(t["b"]),
                t["score"],
                t["complementarity"],
                t["adamic_adar"],
                "; ".join(s.name for s in t["a_to_b"]),
                "; ".join(s.name for s in t["b_to_a"]),
            ]
            for t in present.links(snapshot, v, n)["teams"]
        ]
    if name == "person-introductions":
        return ["holder", "learner", "skill", "adamic_adar", "both_ways"], [
            [
                p["a"].full_name,
                p["b"].full_name,
                str(p["skill"] or ""),
                p["adamic_adar"],
                p["mutual"],
            ]
            for p in present.links(snapshot, v, n)["people"]
        ]
    if name == "brokers":
        return ["person", "team", "constraint", "ties", "other_departments"], [
            [
                b["person"].full_name,
                str(b["person"].team or ""),
                b["constraint"],
                b["ties"],
                b["departments"],
            ]
            for b in present.links(snapshot, v, n)["brokers"]
        ]
    if name == "structures":
        return ["kind", "skill_or_domain", "people", "teams", "accepted"], [
            [
                s["kind"],
                str(s["skill"] or s["domain"] or ""),
                s["people"],
                s["teams"],
                s["accepted"],
            ]
            for s in present.structures(snapshot, n)
        ]
    if name == "knowledge-map":
        vis = present.visible(snapshot, v, n)
        return ["skill", *[str(s) for s in vis["sites"]], "total"], [
            [str(r["skill"]), *r["cells"], r["total"]] for r in vis["knowledge"]
        ]
    if name == "single-holder":
        return ["skill", "holder"], [
            [str(r["skill"]), r["holder"].full_name if r["holder"] else _("one person (not named)")]
            for r in present.visible(snapshot, v, n)["single"]
        ]
    if name == "domains":
        return ["domain", "skills", "truck_factor", "single_holder", "no_holder"], [
            [str(r["domain"]), r["skills"], r["truck_factor"], r["single_holder"], r["no_holder"]]
            for r in present.visible(snapshot, v, n)["domains"]
        ]
    if name == "skill-reach":
        return ["skill", "teams", "people"], [
            [str(r["skill"]), r["teams"], r["people"]] for r in present.skill_reach(snapshot, n)
        ]
    if name == "silos":
        if not v.org:
            raise PermissionDenied(_("Only learning animators see the silo table."))
        return ["department", "outside_share", "median_others", "community_purity", "silo"], [
            [
                str(r["department"]),
                r["outside_share"],
                r["median_others"],
                r["community_purity"],
                r["silo"],
            ]
            for r in silo_rows(snapshot, n)
        ]
    if name == "heat-map":
        if not v.org:
            raise PermissionDenied(
                _("Only learning animators see the heat map of the organisation.")
            )
        key = "org" if scope.kind != "department" else str(scope.key)
        heat = snapshot.data.get("heat_map", {}).get(key, {"skills": [], "teams": [], "cells": []})
        return ["skill", *[str(n.teams[t]) for t in heat["teams"]]], [
            [str(n.skills[s]), *cells]
            for s, cells in zip(heat["skills"], heat["cells"], strict=True)
        ]
    raise NotFound(_("Unknown table %(name)s.") % {"name": name}, field="table")


TABLES = (
    "figures",
    "trend",
    "hotspots",
    "experts",
    "team-introductions",
    "person-introductions",
    "brokers",
    "structures",
    "knowledge-map",
    "single-holder",
    "domains",
    "skill-reach",
    "silos",
    "heat-map",
)


def csv_response(filename: str, header: list[str], rows: Rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
