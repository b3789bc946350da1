"""Every table of the insights pages as rows, for the CSV export (and the silo table of
the health page). The same privacy rules as the pages apply: they are built from
:mod:`sylva.insights.present`."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _

from sylva.core.errors import NotFound
from sylva.insights import present, queries
from sylva.insights.findings import Figures, HeatMap
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


def figure_row(name: str, figures: Figures) -> list[Any]:
    if figures.hidden:
        return [name, _few(), *[""] * (len(FIGURES) - 1)]
    return [name, *(_few() if figures.withheld(k) else figures.value(k) for k in FIGURES)]


def silo_rows(snapshot: Snapshot, n: present.Names) -> list[dict[str, Any]]:
    rows = []
    for row in snapshot.findings.silos.departments:
        dept = n.departments.get(row.department)
        if dept is not None:
            rows.append({**present.row_of(row), "department": dept})
    return rows


@dataclass(frozen=True)
class Ask:
    """What a table is drawn from: the snapshot, the scope asked for, who asks, the names."""

    snapshot: Snapshot
    scope: Scope
    v: Viewer
    n: present.Names


Table = tuple[list[str], Rows]
#: every table of the pages, by the name its CSV export and the API use
REGISTRY: dict[str, Callable[[Ask], Table]] = {}


def _table(name: str) -> Callable[[Callable[[Ask], Table]], Callable[[Ask], Table]]:
    def register(build: Callable[[Ask], Table]) -> Callable[[Ask], Table]:
        REGISTRY[name] = build
        return build

    return register


def table(name: str, snapshot: Snapshot, scope: Scope, v: Viewer) -> Table:
    """The header and rows of table ``name`` (one of :data:`TABLES`) for ``v``."""
    build = REGISTRY.get(name)
    if build is None:
        raise NotFound(_("Unknown table %(name)s.") % {"name": name}, field="table")
    return build(Ask(snapshot, scope, v, present.names(snapshot)))


@_table("figures")
def _figures(a: Ask) -> Table:
    own = queries.figures(a.snapshot, a.scope)
    rows = [figure_row(queries.scope_name(a.scope), own.figures)] if own else []
    for child in queries.children(a.snapshot, a.scope, a.v):
        rows.append(figure_row(queries.scope_name(Scope(child.kind, child.key)), child.figures))
    return ["scope", *FIGURES], rows


@_table("trend")
def _trend(a: Ask) -> Table:
    header = ["month", "events", "in_work_share", "cross_department_share"]
    own = queries.figures(a.snapshot, a.scope)
    if own is None or own.figures.hidden:
        return header, []
    return header, [
        [i + 1, m.events, m.in_work_share, m.cross_department_share]
        for i, m in enumerate(own.figures.trend)
    ]


@_table("hotspots")
def _hotspots(a: Ask) -> Table:
    forms = ["exchange", "microlearning", "community", "course", "field"]
    rows: Rows = []
    for r in present.hotspots(a.snapshot, a.v, a.n):
        if r.get("hidden"):
            rows.append([str(r["team"]), _few(), *[""] * 6])
        else:
            mix = [r["mix"].get(f, 0) for f in forms]
            rows.append([str(r["team"]), r["headcount"], *mix, r["share"]])
    return ["team", "headcount", *forms, "in_work_share"], rows


@_table("experts")
def _experts(a: Ask) -> Table:
    spot = present.spot(a.snapshot, a.v, a.n)
    rows: Rows = [
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
        more = _("%(n)d more, not shown by name") % {"n": spot["experts_hidden"]}
        rows.append([more, "", "", "", ""])
    return ["person", "team", "skill", "people_helped", "moments"], rows


@_table("team-introductions")
def _team_introductions(a: Ask) -> Table:
    header = ["team_a", "team_b", "score", "complementarity", "adamic_adar"]
    return [*header, "a_can_teach_b", "b_can_teach_a"], [
        [
            str(t["a"]),
            str(t["b"]),
            t["score"],
            t["complementarity"],
            t["adamic_adar"],
            "; ".join(s.name for s in t["a_to_b"]),
            "; ".join(s.name for s in t["b_to_a"]),
        ]
        for t in present.links(a.snapshot, a.v, a.n)["teams"]
    ]


@_table("person-introductions")
def _person_introductions(a: Ask) -> Table:
    return ["holder", "learner", "skill", "adamic_adar", "both_ways"], [
        [p["a"].full_name, p["b"].full_name, str(p["skill"] or ""), p["adamic_adar"], p["mutual"]]
        for p in present.links(a.snapshot, a.v, a.n)["people"]
    ]


@_table("brokers")
def _brokers(a: Ask) -> Table:
    return ["person", "team", "constraint", "ties", "other_departments"], [
        [
            b["person"].full_name,
            str(b["person"].team or ""),
            b["constraint"],
            b["ties"],
            b["departments"],
        ]
        for b in present.links(a.snapshot, a.v, a.n)["brokers"]
    ]


@_table("structures")
def _structures(a: Ask) -> Table:
    return ["kind", "skill_or_domain", "people", "teams", "accepted"], [
        [s["kind"], str(s["skill"] or s["domain"] or ""), s["people"], s["teams"], s["accepted"]]
        for s in present.structures(a.snapshot, a.n)
    ]


@_table("knowledge-map")
def _knowledge_map(a: Ask) -> Table:
    vis = present.visible(a.snapshot, a.v, a.n)
    return ["skill", *[str(s) for s in vis["sites"]], "total"], [
        [str(r["skill"]), *r["cells"], r["total"]] for r in vis["knowledge"]
    ]


@_table("single-holder")
def _single_holder(a: Ask) -> Table:
    return ["skill", "holder"], [
        [str(r["skill"]), r["holder"].full_name if r["holder"] else _("one person (not named)")]
        for r in present.visible(a.snapshot, a.v, a.n)["single"]
    ]


@_table("domains")
def _domains(a: Ask) -> Table:
    return ["domain", "skills", "truck_factor", "single_holder", "no_holder"], [
        [str(r["domain"]), r["skills"], r["truck_factor"], r["single_holder"], r["no_holder"]]
        for r in present.visible(a.snapshot, a.v, a.n)["domains"]
    ]


@_table("skill-reach")
def _skill_reach(a: Ask) -> Table:
    return ["skill", "teams", "people"], [
        [str(r["skill"]), r["teams"], r["people"]] for r in present.skill_reach(a.snapshot, a.n)
    ]


@_table("silos")
def _silos(a: Ask) -> Table:
    if not a.v.org:
        raise PermissionDenied(_("Only learning animators see the silo table."))
    return ["department", "outside_share", "median_others", "community_purity", "silo"], [
        [
            str(r["department"]),
            r["outside_share"],
            r["median_others"],
            r["community_purity"],
            r["silo"],
        ]
        for r in silo_rows(a.snapshot, a.n)
    ]


@_table("heat-map")
def _heat_map(a: Ask) -> Table:
    if not a.v.org:
        raise PermissionDenied(_("Only learning animators see the heat map of the organisation."))
    key = "org" if a.scope.kind != "department" else str(a.scope.key)
    heat = a.snapshot.findings.heat(key) or HeatMap()
    return ["skill", *[str(a.n.teams[t]) for t in heat.teams]], [
        [str(a.n.skills[s]), *cells] for s, cells in zip(heat.skills, heat.cells, strict=True)
    ]


#: the names of every table, in the order of the pages (derived from the registry)
TABLES = tuple(REGISTRY)


def csv_response(filename: str, header: list[str], rows: Rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
