"""Insights pages: the ecosystem's health and the four levers. Thin: the viewer's rights
(queries.viewer), the snapshot (queries.latest), then present.* and svg.* for the page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.core.errors import ServiceError
from sylva.exchange import queries as exchange_queries
from sylva.insights import present, queries, services, svg, tables
from sylva.insights.models import Snapshot
from sylva.insights.queries import Scope, Viewer
from sylva.people.models import Department, Person, Site, Team
from sylva.people.services import ensure_person

INLINE_PEOPLE = 5_000  # up to this many people, a missing snapshot is computed at once


def _viewer(request: HttpRequest) -> Viewer:
    return queries.viewer(request.user, ensure_person(request.user))


def _window(request: HttpRequest) -> int:
    try:
        return services.check_window(int(request.GET.get("window", services.DEFAULT_WINDOW)))
    except (ValueError, ServiceError):
        return services.DEFAULT_WINDOW


def _snapshot(v: Viewer, window: int) -> Snapshot | None:
    """The latest snapshot; when there is none yet, compute it now for a small organisation,
    or queue the background task for a large one."""
    snapshot = queries.latest(window)
    if snapshot is None and v.any_aggregate:
        if Person.objects.count() <= INLINE_PEOPLE:
            snapshot = services.compute_snapshot(window_days=window)
        else:
            services.queue_recompute(window_days=window)
    return snapshot


def _base(request: HttpRequest, v: Viewer, window: int, tab: str) -> dict[str, Any]:
    return {
        "viewer": v,
        "window": window,
        "windows": services.WINDOWS,
        "tab": tab,
        "min_aggregate": settings.SYLVA_MIN_AGGREGATE,
    }


@login_required
def me(request: HttpRequest) -> HttpResponse:
    v = _viewer(request)
    window = _window(request)
    context = _base(request, v, window, "me")
    context["mine"] = queries.my_figures(v.person, window_days=window)
    return render(request, "insights/me.html", context)


@login_required
def health(request: HttpRequest) -> HttpResponse:
    v = _viewer(request)
    if not v.any_aggregate:
        return redirect("insights:me")
    window = _window(request)
    try:
        scope = (
            queries.parse_scope(request.GET.get("scope"))
            if request.GET.get("scope")
            else (queries.default_scope(v))
        )
        queries.check_scope(v, scope)
        name = queries.scope_name(scope)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("insights:health")
    context = _base(request, v, window, "health")
    snapshot = _snapshot(v, window)
    context.update(scope=scope, scope_name=name, snapshot=snapshot, choices=_choices(v))
    if snapshot is not None:
        figure = queries.figures(snapshot, scope)
        context["figure"] = figure.data if figure else None
        context["children"] = _children(snapshot, scope, v)
        context.update(_pictures(snapshot, scope, v, figure.data if figure else None, window))
        if scope.kind == "org":
            n = present.names(snapshot, people=set())
            context["silos"] = tables.silo_rows(snapshot, n)
            context["silo_summary"] = snapshot.data.get("silos", {})
            context["reach"] = present.skill_reach(snapshot, n)[:15]
            context["domains"] = present.visible(snapshot, v, n)["domains"]
    return render(request, "insights/health.html", context)


def _choices(v: Viewer) -> list[tuple[str, str]]:
    if v.org:
        return [
            ("org", _("The whole organisation")),
            *((f"department:{d.pk}", str(d)) for d in Department.objects.all()),
            *((f"site:{s.pk}", str(s)) for s in Site.objects.all()),
        ]
    return [(f"team:{t.pk}", str(t)) for t in Team.objects.filter(pk__in=v.teams)]


def _children(snapshot: Snapshot, scope: Scope, v: Viewer) -> list[dict[str, Any]]:
    rows = queries.children(snapshot, scope, v)
    kind = "department" if scope.kind == "org" else "team"
    names = {
        "department": {d.pk: str(d) for d in Department.objects.all()},
        "team": {t.pk: str(t) for t in Team.objects.filter(pk__in=[r.key for r in rows])},
    }[kind]
    return [
        {
            "scope": f"{kind}:{r.key}",
            "name": names.get(r.key, "?"),
            "data": r.data,
            "headcount": r.headcount,
        }
        for r in rows
    ]


def _pictures(
    snapshot: Snapshot, scope: Scope, v: Viewer, figure: dict[str, Any] | None, window: int
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if figure and not figure.get("hidden"):
        months = figure.get("trend", [])
        labels = [_("month %(n)d") % {"n": i + 1} for i in range(len(months))]
        out["trend_svg"] = svg.trend(
            [
                (_("learning in the work"), [m["in_work_share"] for m in months]),
                (_("help across departments"), [m["cross_department_share"] for m in months]),
            ],
            labels,
            title=_("Trends within the window, month by month"),
        )
        past = queries.history(scope, window)
        if len(past) >= 2:
            out["history_svg"] = svg.trend(
                [
                    (_("learning in the work"), [d.get("in_work_share") for _t, d in past]),
                    (_("reciprocity"), [d.get("reciprocity") for _t, d in past]),
                ],
                [t.strftime("%d/%m") for t, _d in past],
                title=_("Trends from one snapshot to the next"),
            )
    if v.org and scope.kind in ("org", "department"):
        nmap = snapshot.data.get("network_map", {})
        departments = {d.pk: (i, str(d)) for i, d in enumerate(Department.objects.order_by("pk"))}
        team_names = {
            t.pk: str(t)
            for t in Team.objects.filter(pk__in=[n["team"] for n in nmap.get("nodes", [])])
        }
        nodes = nmap.get("nodes", [])
        colours: dict[int | None, str] = {pk: svg.colour(i) for pk, (i, _n) in departments.items()}
        if scope.kind == "department":
            colours = {pk: (c if pk == scope.key else "#cfd8d3") for pk, c in colours.items()}
        out["map_svg"] = svg.network_map(
            nodes,
            nmap.get("edges", []),
            colours=colours,
            labels=team_names,
            title=_("The learning network by team, coloured by department"),
        )
        out["legend"] = [(svg.colour(i), name) for _pk, (i, name) in departments.items()]
        key = "org" if scope.kind == "org" else str(scope.key)
        heat = snapshot.data.get("heat_map", {}).get(key)
        if heat:
            n = present.names(snapshot, people=set())
            out["heat_svg"] = svg.heat_map(
                [n.skills[s].name for s in heat["skills"] if s in n.skills],
                [n.teams[t].name for t in heat["teams"] if t in n.teams],
                heat["cells"],
                title=_("Learning moments per skill and team"),
            )
    return out


def _lever(
    request: HttpRequest, tab: str, template: str, build: Any, extra: Any = None
) -> HttpResponse:
    v = _viewer(request)
    if not v.any_aggregate:
        raise PermissionDenied(_("Only managers and learning animators see the levers."))
    window = _window(request)
    context = _base(request, v, window, tab)
    if extra is not None:
        context.update(extra())
    snapshot = _snapshot(v, window)
    context["snapshot"] = snapshot
    if snapshot is not None:
        context.update(build(snapshot, v))
    return render(request, template, context)


@login_required
def spot(request: HttpRequest) -> HttpResponse:
    def build(snapshot: Snapshot, v: Viewer) -> dict[str, Any]:
        return present.spot(snapshot, v, present.names(snapshot))

    return _lever(request, "spot", "insights/spot.html", build)


@login_required
def visible(request: HttpRequest) -> HttpResponse:
    def build(snapshot: Snapshot, v: Viewer) -> dict[str, Any]:
        return present.visible(snapshot, v, present.names(snapshot))

    def stories() -> dict[str, Any]:
        return {"stories": exchange_queries.shared_stories(limit=SHOWCASE_ON_LEVER)}

    return _lever(request, "visible", "insights/visible.html", build, extra=stories)


SHOWCASE_PAGE = 30
SHOWCASE_ON_LEVER = 6


@login_required
def showcase(request: HttpRequest) -> HttpResponse:
    """Stories that colleagues wrote after an exchange and chose to share: every employee
    reads them. The reviews' own texts never come here (exchange.queries reads the story
    column only)."""
    v = _viewer(request)
    context = _base(request, v, _window(request), "showcase")
    context["stories"] = exchange_queries.shared_stories(limit=SHOWCASE_PAGE)
    return render(request, "insights/showcase.html", context)


@login_required
def links(request: HttpRequest) -> HttpResponse:
    def build(snapshot: Snapshot, v: Viewer) -> dict[str, Any]:
        return present.links(snapshot, v, present.names(snapshot))

    return _lever(request, "links", "insights/links.html", build)


@login_required
def structure(request: HttpRequest) -> HttpResponse:
    def build(snapshot: Snapshot, v: Viewer) -> dict[str, Any]:
        return {"structures": present.structures(snapshot, present.names(snapshot, people=set()))}

    return _lever(request, "structure", "insights/structure.html", build)


@login_required
def export(request: HttpRequest, table: str) -> HttpResponse:
    v = _viewer(request)
    if not v.any_aggregate:
        raise PermissionDenied(_("Only managers and learning animators export insights."))
    window = _window(request)
    snapshot = queries.latest(window)
    if snapshot is None:
        messages.error(request, _("No snapshot yet for this window."))
        return redirect("insights:health")
    try:
        scope = (
            queries.parse_scope(request.GET.get("scope"))
            if request.GET.get("scope")
            else (queries.default_scope(v))
        )
        queries.check_scope(v, scope)
        header, rows = tables.table(table, snapshot, scope, v)
    except ServiceError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")
    return tables.csv_response(f"insights-{table}-{window}d.csv", header, rows)


@login_required
@require_POST
def introduce(request: HttpRequest) -> HttpResponse:
    v = _viewer(request)
    back = reverse("insights:links") + f"?window={_window(request)}"
    try:
        ids = {
            k: int(request.POST[k])
            for k in ("person_a", "person_b", "team_a", "team_b", "skill")
            if request.POST.get(k, "").isdigit()
        }
        queries.check_introduction(v, ids)
        services.propose_introduction(
            proposer=v.person,
            person_a_id=ids.get("person_a"),
            person_b_id=ids.get("person_b"),
            team_a_id=ids.get("team_a"),
            team_b_id=ids.get("team_b"),
            skill_id=ids.get("skill"),
            reason=request.POST.get("reason", "")[:300],
        )
        messages.success(request, _("Introduction sent: both sides are told."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(back)


@login_required
@require_POST
def accept(request: HttpRequest) -> HttpResponse:
    v = _viewer(request)
    if not v.org:
        raise PermissionDenied(_("Only learning animators accept structures."))
    try:

        def num(key: str) -> int | None:
            value = request.POST.get(key, "")
            return int(value) if value.isdigit() else None

        decision = services.accept_structure(
            person=v.person,
            kind=request.POST.get("kind", ""),
            skill_id=num("skill"),
            domain_id=num("domain"),
        )
        messages.success(request, _("Accepted: %(what)s.") % {"what": decision.get_kind_display()})
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("insights:structure") + f"?window={_window(request)}")


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    v = _viewer(request)
    if not v.org:
        raise PermissionDenied(_("Only learning animators recompute the insights."))
    window = _window(request)
    if services.queue_recompute(window_days=window):
        messages.success(request, _("The recomputation is queued; the figures will follow."))
    else:
        messages.info(
            request, _("A recomputation of this window is already queued; the figures will follow.")
        )
    return redirect(reverse("insights:health") + f"?window={window}")
