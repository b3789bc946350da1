"""Insights under /api/v1/insights/: the same figures and levers as the pages, with the
same rights and privacy rules (a scope of fewer than SYLVA_MIN_AGGREGATE people has no
figures; people are named only if they agreed to). A GET reads and never writes: before a
window's first snapshot, it answers 404 and hands the computation to the background task,
as the pages do."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from sylva.core.errors import NotFound, ServiceError
from sylva.core.web import Pages
from sylva.exchange import queries as exchange_queries
from sylva.insights import present, queries, services, tables
from sylva.insights.models import ScopeFigure, Snapshot, StructureDecision
from sylva.insights.queries import Scope, Viewer
from sylva.insights.schemas import (
    AnswerIn,
    AnswerOut,
    FiguresOut,
    IntroductionIn,
    IntroductionOut,
    MyFiguresOut,
    QueuedOut,
    RecomputeIn,
    StoryOut,
    StructureIn,
    StructureOut,
    TableOut,
    TrendPointOut,
)
from sylva.people.web import current_person

router = Router(tags=["insights"])


def _viewer(request: HttpRequest) -> Viewer:
    return queries.viewer(request.user, current_person(request))


def _aggregate_viewer(request: HttpRequest) -> Viewer:
    v = _viewer(request)
    if not v.any_aggregate:
        raise PermissionDenied(_("Only managers and learning animators read these insights."))
    return v


def _snapshot(window: int) -> Snapshot:
    """The window's latest snapshot (the caller may read aggregates); before the first, its
    computation is queued (once per window) and the answer is a 404 saying so."""
    services.check_window(window)
    snapshot = queries.latest(window)
    if snapshot is None:
        services.queue_first_snapshot(window_days=window)
        raise NotFound(_("No snapshot for this window yet: it is computed in the background."))
    return snapshot


def _scope(v: Viewer, text: str | None) -> Scope:
    scope = queries.parse_scope(text) if text else queries.default_scope(v)
    queries.check_scope(v, scope)
    return scope


def _figures_out(snapshot: Snapshot, scope: Scope, row: ScopeFigure | None) -> dict[str, Any]:
    hidden = row is None or row.figures.hidden
    return {
        "scope": scope.code,
        "name": queries.scope_name(scope),
        "window_days": snapshot.window_days,
        "computed_at": snapshot.computed_at,
        "headcount": row.headcount if row else 0,
        "hidden": hidden,
        "reason": (
            f"fewer than {settings.SYLVA_MIN_AGGREGATE} people: not shown" if hidden else ""
        ),
        "figures": {} if hidden or row is None else row.data,
    }


@router.get("/health", response=FiguresOut, summary="The health figures of a scope")
def health(request: HttpRequest, window: int = 90, scope: str | None = None) -> Any:
    """``scope``: ``org``, ``department:<id>``, ``site:<id>`` or ``team:<id>`` (default: the
    organisation for an animator, the first team they manage for a manager)."""
    v = _aggregate_viewer(request)
    target = _scope(v, scope)
    snapshot = _snapshot(window)
    return _figures_out(snapshot, target, queries.figures(snapshot, target))


@router.get("/scopes", response=list[FiguresOut], summary="The scopes one level down")
@paginate(Pages)
def scopes(request: HttpRequest, window: int = 90, scope: str | None = None) -> Any:
    v = _aggregate_viewer(request)
    target = _scope(v, scope)
    snapshot = _snapshot(window)
    return [
        _figures_out(snapshot, Scope(row.kind, row.key), row)
        for row in queries.children(snapshot, target, v)
    ]


@router.get(
    "/trend", response=list[TrendPointOut], summary="A scope's figures, snapshot by snapshot"
)
def trend(request: HttpRequest, window: int = 90, scope: str | None = None) -> Any:
    v = _aggregate_viewer(request)
    target = _scope(v, scope)
    services.check_window(window)
    return [
        {"computed_at": r.snapshot.computed_at, "figures": {} if r.figures.hidden else r.data}
        for r in queries.history(target, window)
    ]


@router.get("/me", response=MyFiguresOut, summary="My own figures")
def me(request: HttpRequest, window: int = 90) -> Any:
    services.check_window(window)
    return queries.my_figures(current_person(request), window_days=window)


@router.get(
    "/showcase",
    response=list[StoryOut],
    summary="Stories shared by their authors (every employee reads them)",
)
def showcase(request: HttpRequest, limit: int = Query(30, ge=1, le=200)) -> Any:
    if not 1 <= limit <= 200:
        raise ServiceError(_("limit is a whole number from 1 to 200."), field="limit")
    return [
        {
            "story": s.story,
            "author": {"id": s.author.pk, "full_name": s.author.full_name},
            "skill": s.skill.code if s.skill else None,
            "skill_name": s.skill.name if s.skill else None,
            "role": s.role,
            "date": s.date,
        }
        for s in exchange_queries.shared_stories(limit=limit)
    ]


@router.get("/tables/{name}", response=TableOut, summary="One table of the pages (as the CSV)")
def table(request: HttpRequest, name: str, window: int = 90, scope: str | None = None) -> Any:
    v = _aggregate_viewer(request)
    target = _scope(v, scope)
    if name not in tables.TABLES:
        raise NotFound(_("Unknown table %(name)r.") % {"name": name}, field="name")
    header, rows = tables.table(name, _snapshot(window), target, v)
    return {"name": name, "header": header, "rows": [[_plain(c) for c in r] for r in rows]}


def _plain(value: Any) -> Any:
    return value if isinstance(value, int | float | str | bool) or value is None else str(value)


@router.post("/introductions", response={201: IntroductionOut}, summary="Propose an introduction")
def introduce(request: HttpRequest, payload: IntroductionIn) -> Any:
    v = _aggregate_viewer(request)
    queries.check_introduction(
        v, {k: val for k, val in payload.dict().items() if isinstance(val, int)}
    )
    intro = services.propose_introduction(
        proposer=v.person,
        person_a_id=payload.person_a,
        person_b_id=payload.person_b,
        team_a_id=payload.team_a,
        team_b_id=payload.team_b,
        skill_id=payload.skill,
        reason=payload.reason,
    )
    return Status(
        201,
        {
            "id": intro.pk,
            "person_a": intro.person_a_id,
            "person_b": intro.person_b_id,
            "team_a": intro.team_a_id,
            "team_b": intro.team_b_id,
            "skill": intro.skill_id,
            "reason": intro.reason,
            "created_at": intro.created_at,
        },
    )


@router.post("/structures", response={201: StructureOut}, summary="Accept a suggested structure")
def accept(request: HttpRequest, payload: StructureIn) -> Any:
    v = _viewer(request)
    if not v.org:
        raise PermissionDenied(_("Only learning animators accept structures."))
    decision = services.accept_structure(
        person=v.person,
        kind=payload.kind,
        skill_id=payload.skill,
        domain_id=payload.domain,
        assignee_id=payload.assignee,
        window_days=queries.window_or_default(str(payload.window)),
    )
    return Status(201, _decision(decision))


def _decision(decision: StructureDecision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "key": decision.key,
        "kind": decision.kind,
        "accepted_at": decision.accepted_at,
        "assignee": decision.assignee_id,
        "done_at": decision.done_at,
    }


@router.post(
    "/tasks/{task_id}/done", response=StructureOut, summary="Mark a structure given to you done"
)
def task_done(request: HttpRequest, task_id: int) -> Any:
    return _decision(services.mark_task_done(person=current_person(request), decision_id=task_id))


@router.post(
    "/introductions/{introduction_id}/answer",
    response=AnswerOut,
    summary="Answer an introduction you were told of",
)
def answer(request: HttpRequest, introduction_id: int, payload: AnswerIn) -> Any:
    person = current_person(request)
    intro = services.answer_introduction(
        person=person, introduction_id=introduction_id, answer=payload.answer
    )
    other = intro.other_side(person)
    exchange = intro.answer_of(person) == "exchange" and other is not None
    return {
        "id": intro.pk,
        "answer": intro.answer_of(person) or "",
        "proposal_url": queries.proposal_url(intro, person, other) if exchange and other else None,
    }


@router.post("/recompute", response={202: QueuedOut}, summary="Queue a recomputation")
def recompute(request: HttpRequest, payload: RecomputeIn) -> Any:
    v = _viewer(request)
    if not v.org:
        raise PermissionDenied(_("Only learning animators recompute the insights."))
    queued = services.queue_recompute(window_days=payload.window)
    return Status(202, {"queued": queued, "window_days": payload.window})


@router.get("/levers/spot", response=dict[str, Any], summary="Spot: hidden experts, hotspots")
def lever_spot(request: HttpRequest, window: int = 90) -> Any:
    v = _aggregate_viewer(request)
    snapshot = _snapshot(window)
    spot = present.spot(snapshot, v, present.names(snapshot))
    return {
        "experts": [
            {
                "person": e["person"].pk,
                "name": e["person"].full_name,
                "skill": e["skill"].code if e["skill"] else None,
                "helped": e["helped"],
            }
            for e in spot["experts"]
        ],
        "experts_not_named": spot["experts_hidden"],
        "hotspots": [
            {"team": h["team"].pk, "name": h["team"].name, "hidden": True}
            if h.get("hidden")
            else {"team": h["team"].pk, "name": h["team"].name, "forms": h["mix"]}
            for h in spot["hotspots"]
        ],
    }


@router.get(
    "/levers/links", response=dict[str, Any], summary="Create links: introductions, brokers"
)
def lever_links(request: HttpRequest, window: int = 90) -> Any:
    v = _aggregate_viewer(request)
    snapshot = _snapshot(window)
    found = present.links(snapshot, v, present.names(snapshot))
    return {
        "teams": [
            {
                "team_a": t["a"].pk,
                "team_b": t["b"].pk,
                "score": t["score"],
                "a_can_teach_b": [s.code for s in t["a_to_b"]],
                "b_can_teach_a": [s.code for s in t["b_to_a"]],
            }
            for t in found["teams"]
        ],
        "people": [
            {
                "person_a": p["a"].pk,
                "person_b": p["b"].pk,
                "skill": p["skill"].code if p["skill"] else None,
                "both_ways": p["mutual"],
            }
            for p in found["people"]
        ],
        "people_not_named": found["people_hidden"],
        "brokers": [
            {
                "person": b["person"].pk,
                "name": b["person"].full_name,
                "constraint": b["constraint"],
                "departments": b["departments"],
            }
            for b in found["brokers"]
        ],
        "brokers_not_named": found["brokers_hidden"],
        "sent": [
            {
                "id": s["intro"].pk,
                "person_a": s["intro"].person_a_id,
                "person_b": s["intro"].person_b_id,
                "team_a": s["intro"].team_a_id,
                "team_b": s["intro"].team_b_id,
                "created_at": s["intro"].created_at.isoformat(),
                "told": s["told"],
                "answers": [side["answer"] or "waiting" for side in s["sides"]],
            }
            for s in found["sent"]
        ],
    }


@router.get("/levers/structure", response=list[dict[str, Any]], summary="Structure suggestions")
def lever_structure(request: HttpRequest, window: int = 90) -> Any:
    _aggregate_viewer(request)
    snapshot = _snapshot(window)
    return [
        {
            "kind": s["kind"],
            "key": s["key"],
            "people": s["people"],
            "teams": s["teams"],
            "skill": s["skill"].pk if s["skill"] else None,
            "domain": s["domain"].pk if s["domain"] else None,
            "accepted": s["accepted"],
        }
        for s in present.structures(snapshot, present.names(snapshot, people=set()))
    ]


__all__ = ["ServiceError", "router"]
