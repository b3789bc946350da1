"""Insights pages: the ecosystem's health and the four levers. Thin: the viewer's rights
(queries.viewer), the snapshot (queries.latest), then present.* and svg.* for the page.

A page reads and never writes (a GET changes nothing): when a window has no snapshot yet,
the page says the figures are being prepared and hands their computation to the background
task (``services.queue_first_snapshot``, once per window). Refusals go through
sylva.core.web.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.core.web import redirect_next, refusals_go_to
from sylva.exchange import queries as exchange_queries
from sylva.insights import present, queries, services, svg, tables
from sylva.insights.findings import Figures
from sylva.insights.models import Introduction, Snapshot
from sylva.insights.queries import Scope, Viewer
from sylva.people.models import Department, Site, Team
from sylva.people.web import current_person


def _viewer(request: HttpRequest) -> Viewer:
    return queries.viewer(request.user, current_person(request))


def _window(request: HttpRequest) -> int:
    """The ``?window=`` asked for, when it is one of the windows; else the default."""
    return queries.window_or_default(request.GET.get("window"))


def _snapshot(v: Viewer, window: int) -> Snapshot | None:
    """The latest snapshot of the window. When there is none yet, its computation is handed
    to the background task (once per window) and the page says it is being prepared."""
    snapshot = queries.latest(window)
    if snapshot is None and v.any_aggregate:
        services.queue_first_snapshot(window_days=window)
    return snapshot


def _scope(request: HttpRequest, v: Viewer) -> Scope:
    """The ``?scope=`` asked for (the viewer's default without one), if the viewer may see it."""
    text = request.GET.get("scope")
    scope = queries.parse_scope(text) if text else queries.default_scope(v)
    queries.check_scope(v, scope)
    return scope


def _base(request: HttpRequest, v: Viewer, window: int, tab: str) -> dict[str, Any]:
    return {
        "viewer": v,
        "window": window,
        "windows": queries.WINDOWS,
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
@refusals_go_to("insights:health")
def health(request: HttpRequest) -> HttpResponse:
    v = _viewer(request)
    if not v.any_aggregate:
        return redirect("insights:me")
    window = _window(request)
    scope = _scope(request, v)
    name = queries.scope_name(scope)
    context = _base(request, v, window, "health")
    snapshot = _snapshot(v, window)
    context.update(scope=scope, scope_name=name, snapshot=snapshot, choices=_choices(v))
    if snapshot is not None:
        figure = queries.figures(snapshot, scope)
        figures = figure.figures if figure else None
        context["figure"] = figures
        context["children"] = _children(snapshot, scope, v)
        context.update(_pictures(snapshot, scope, v, figures, window))
        if scope.kind == "org":
            n = present.names(snapshot, people=set())
            context["silos"] = tables.silo_rows(snapshot, n)
            context["silo_summary"] = snapshot.findings.silos
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
            "data": r.figures,
            "headcount": r.headcount,
        }
        for r in rows
    ]


def _pictures(
    snapshot: Snapshot, scope: Scope, v: Viewer, figure: Figures | None, window: int
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if figure is not None and not figure.hidden:
        months = figure.trend
        labels = [_("month %(n)d") % {"n": i + 1} for i in range(len(months))]
        out["trend_svg"] = svg.trend(
            [
                (_("learning in the work"), [m.in_work_share for m in months]),
                (_("help across departments"), [m.cross_department_share for m in months]),
            ],
            labels,
            title=_("Trends within the window, month by month"),
        )
        past = queries.history(scope, window)
        if len(past) >= 2:
            out["history_svg"] = svg.trend(
                [
                    (_("learning in the work"), [r.figures.in_work_share for r in past]),
                    (_("reciprocity"), [r.figures.reciprocity for r in past]),
                ],
                [r.snapshot.computed_at.strftime("%d/%m") for r in past],
                title=_("Trends from one snapshot to the next"),
            )
    if v.org and scope.kind in ("org", "department"):
        nmap = snapshot.findings.network_map
        departments = {d.pk: (i, str(d)) for i, d in enumerate(Department.objects.order_by("pk"))}
        team_names = {
            t.pk: str(t) for t in Team.objects.filter(pk__in=[n.team for n in nmap.nodes])
        }
        colours: dict[int | None, str] = {pk: svg.colour(i) for pk, (i, _n) in departments.items()}
        if scope.kind == "department":
            colours = {pk: (c if pk == scope.key else "#cfd8d3") for pk, c in colours.items()}
        out["map_svg"] = svg.network_map(
            nmap.nodes,
            nmap.edges,
            colours=colours,
            labels=team_names,
            title=_("The learning network by team, coloured by department"),
        )
        out["legend"] = [(svg.colour(i), name) for _pk, (i, name) in departments.items()]
        key = "org" if scope.kind == "org" else str(scope.key)
        heat = snapshot.findings.heat(key)
        if heat is not None:
            n = present.names(snapshot, people=set())
            out["heat_svg"] = svg.heat_map(
                [n.skills[s].name for s in heat.skills if s in n.skills],
                [n.teams[t].name for t in heat.teams if t in n.teams],
                heat.cells,
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
        return {
            "structures": present.structures(snapshot, present.names(snapshot, people=set())),
            "assignees": list(queries.task_assignees()),
        }

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
    header, rows = tables.table(table, snapshot, _scope(request, v), v)
    return tables.csv_response(f"insights-{table}-{window}d.csv", header, rows)


def _back_to(name: str) -> Any:
    """Where an action goes back to: the lever's page, in the same window."""

    def target(request: HttpRequest, **kwargs: Any) -> str:
        return reverse(name) + f"?window={_window(request)}"

    return target


def _posted_ids(request: HttpRequest, *keys: str) -> dict[str, int]:
    return {k: int(request.POST[k]) for k in keys if request.POST.get(k, "").isdigit()}


@login_required
@require_POST
@refusals_go_to(_back_to("insights:links"))
def introduce(request: HttpRequest) -> HttpResponse:
    v = _viewer(request)
    ids = _posted_ids(request, "person_a", "person_b", "team_a", "team_b", "skill")
    queries.check_introduction(v, ids)
    intro = services.propose_introduction(
        proposer=v.person,
        person_a_id=ids.get("person_a"),
        person_b_id=ids.get("person_b"),
        team_a_id=ids.get("team_a"),
        team_b_id=ids.get("team_b"),
        skill_id=ids.get("skill"),
        reason=request.POST.get("reason", ""),
    )
    if intro.recipient_a_id and intro.recipient_b_id:
        messages.success(request, _("Introduction sent: both sides are told."))
    else:
        messages.warning(
            request,
            _(
                "Introduction recorded, but nobody was told: a team has no manager, "
                "or both teams have the same one."
            ),
        )
    return redirect_next(request, _back_to("insights:links")(request))


@login_required
@require_POST
@refusals_go_to(_back_to("insights:structure"))
def accept(request: HttpRequest) -> HttpResponse:
    v = _viewer(request)
    if not v.org:
        raise PermissionDenied(_("Only learning animators accept structures."))
    ids = _posted_ids(request, "skill", "domain", "assignee")
    decision = services.accept_structure(
        person=v.person,
        kind=request.POST.get("kind", ""),
        skill_id=ids.get("skill"),
        domain_id=ids.get("domain"),
        assignee_id=ids.get("assignee"),
        window_days=_window(request),
    )
    messages.success(
        request,
        _("Accepted: %(what)s, given to %(who)s.")
        % {
            "what": decision.get_kind_display(),
            "who": decision.assignee.full_name if decision.assignee else "—",
        },
    )
    return redirect_next(request, _back_to("insights:structure")(request))


def _inbox() -> str:
    try:
        return reverse("notifications:inbox")
    except NoReverseMatch:
        return reverse("insights:me")


@login_required
@require_POST
@refusals_go_to(lambda request, **kwargs: _inbox())
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A side's answer to an introduction: "Let's exchange" opens the prefilled proposal to
    the other; "Not now" puts it aside and goes back (to ``next``, the inbox)."""
    person = current_person(request)
    intro = services.answer_introduction(
        person=person, introduction_id=pk, answer=request.POST.get("answer", "")
    )
    if intro.answer_of(person) == Introduction.Answer.EXCHANGE:
        other = intro.other_side(person)
        if other is not None:
            return redirect(queries.proposal_url(intro, person, other))
    messages.success(request, _("Put aside: the introduction leaves your inbox."))
    return redirect_next(request, _inbox())


@login_required
@require_POST
@refusals_go_to(lambda request, **kwargs: _inbox())
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    decision = services.mark_task_done(person=current_person(request), decision_id=pk)
    messages.success(request, _("Done: %(what)s.") % {"what": decision.get_kind_display()})
    return redirect_next(request, _inbox())


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
