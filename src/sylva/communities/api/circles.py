"""Learning circles under /api/v1/communities/circles: the pages' rules exactly (a private
or draft circle is a 404 to anyone it does not concern; reflections and goals are the
members' only)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from sylva.communities.models import Circle, CircleSession, Community
from sylva.communities.queries import circles as queries
from sylva.communities.schemas.circles import (
    AttendanceIn,
    AttendanceOut,
    CircleIn,
    CircleOut,
    FromRequestsIn,
    GoalIn,
    PeopleIn,
    RatingIn,
    ReflectionIn,
    ReflectionOut,
    ReviewIn,
    SeatOut,
    SessionIn,
    SessionOut,
)
from sylva.communities.services import circles as services
from sylva.core.errors import Forbidden, ServiceError
from sylva.core.web import Pages
from sylva.people.models import Person, Skill
from sylva.people.web import current_person

router = Router(tags=["communities"])


def _colleague(pk: int | None, field: str) -> Person | None:
    if pk is None:
        return None
    found = Person.objects.filter(pk=pk, user__is_active=True).select_related("user").first()
    if found is None:
        raise ServiceError(_("Unknown person: %(pk)s.") % {"pk": pk}, field=field)
    return found


def _circle(request: HttpRequest, pk: int) -> Circle:
    return queries.circle_for(current_person(request), pk)


def _session(request: HttpRequest, pk: int) -> CircleSession:
    return queries.session_for(current_person(request), pk)


@router.get("", response=list[CircleOut], summary="Circles I see (?mine=true: mine only)")
@paginate(Pages)
def list_circles(request: HttpRequest, mine: bool = False) -> Any:
    person = current_person(request)
    if mine:
        return queries.my_circles(person).prefetch_related("skills")
    return (
        queries.with_counts(queries.visible_circles(person))
        .prefetch_related("skills")
        .order_by("-created_at", "-pk")
    )


@router.post("", response={201: CircleOut}, summary="Start a circle (a draft)")
def create_circle(request: HttpRequest, payload: CircleIn) -> Any:
    skills = list(Skill.objects.filter(code__in=payload.skills))
    if len(skills) != len(set(payload.skills)):
        raise ServiceError(_("Unknown skill code."), field="skills")
    community = None
    if payload.community:
        community = Community.objects.filter(slug=payload.community).first()
        if community is None:
            raise ServiceError(_("Unknown community."), field="community")
    created = services.create_circle(
        person=current_person(request),
        title=payload.title,
        purpose=payload.purpose,
        facilitator=_colleague(payload.facilitator, "facilitator"),
        sponsor=_colleague(payload.sponsor, "sponsor"),
        community=community,
        skills=skills,
        private=payload.private,
        format=payload.format,
        place=payload.place,
        max_members=payload.max_members,
    )
    return Status(201, created)


@router.post(
    "/from-requests",
    response={201: CircleOut},
    summary="The structure lever: a draft circle inviting the open requests' authors on a skill",
)
def from_requests(request: HttpRequest, payload: FromRequestsIn) -> Any:
    created = services.create_from_requests(
        person=current_person(request), skill_code=payload.skill
    )
    return Status(201, created)


@router.get("/{circle_id}", response=CircleOut, summary="A circle")
def get_circle(request: HttpRequest, circle_id: int) -> Any:
    return _circle(request, circle_id)


def _act(name: str, call: Any, summary: str) -> None:
    def view(request: HttpRequest, circle_id: int) -> Any:
        call(person=current_person(request), circle=_circle(request, circle_id))
        return queries.circle_for(current_person(request), circle_id)

    view.__name__ = f"circle_{name.replace('-', '_')}"
    router.post(f"/{{circle_id}}/{name}", response=CircleOut, summary=summary)(view)


_act("open", services.open_circle, "Open a draft (its facilitator)")
_act("decline-facilitation", services.decline_facilitation, "Decline to facilitate it")
_act("join", services.join, "Join an open circle")
_act("leave", services.leave, "Leave a circle")
_act("accept", services.accept_invitation, "Accept my invitation")
_act("decline", services.decline_invitation, "Decline my invitation")


@router.get("/{circle_id}/members", response=list[SeatOut], summary="Members and their goals")
def members(request: HttpRequest, circle_id: int) -> Any:
    person = current_person(request)
    found = _circle(request, circle_id)
    if not queries.is_member(person, found):
        raise Forbidden(_("Only the circle's members see its members' goals."))
    return list(queries.active_seats(found))


@router.post("/{circle_id}/invitations", response={201: list[SeatOut]}, summary="Invite people")
def invite(request: HttpRequest, circle_id: int, payload: PeopleIn) -> Any:
    people = [p for p in (_colleague(pk, "people") for pk in payload.people) if p is not None]
    seats = services.invite(
        by=current_person(request), circle=_circle(request, circle_id), people=people
    )
    return Status(201, seats)


@router.put("/{circle_id}/goal", response=SeatOut, summary="My goal")
def goal(request: HttpRequest, circle_id: int, payload: GoalIn) -> Any:
    return services.set_goal(
        person=current_person(request), circle=_circle(request, circle_id), goal=payload.goal
    )


@router.put("/{circle_id}/goal-rating", response=SeatOut, summary="Was my goal met (1 to 5)")
def goal_rating(request: HttpRequest, circle_id: int, payload: RatingIn) -> Any:
    return services.rate_goal(
        person=current_person(request), circle=_circle(request, circle_id), rating=payload.rating
    )


@router.post("/{circle_id}/close", response=CircleOut, summary="Close it with the review")
def close(request: HttpRequest, circle_id: int, payload: ReviewIn) -> Any:
    return services.close_circle(
        person=current_person(request), circle=_circle(request, circle_id), review=payload.review
    )


# --- sessions --------------------------------------------------------------------------------


@router.get("/{circle_id}/sessions", response=list[SessionOut], summary="A circle's sessions")
@paginate(Pages)
def sessions(request: HttpRequest, circle_id: int) -> Any:
    return queries.sessions_of(_circle(request, circle_id))


@router.post("/{circle_id}/sessions", response={201: SessionOut}, summary="Schedule a session")
def schedule(request: HttpRequest, circle_id: int, payload: SessionIn) -> Any:
    created = services.schedule_session(
        person=current_person(request), circle=_circle(request, circle_id), **payload.dict()
    )
    return Status(201, created)


@router.put("/sessions/{session_id}", response=SessionOut, summary="Move a session")
def move(request: HttpRequest, session_id: int, payload: SessionIn) -> Any:
    return services.move_session(
        person=current_person(request), session=_session(request, session_id), **payload.dict()
    )


@router.post("/sessions/{session_id}/cancel", response=SessionOut, summary="Cancel a session")
def cancel(request: HttpRequest, session_id: int) -> Any:
    return services.cancel_session(
        person=current_person(request), session=_session(request, session_id)
    )


@router.put(
    "/sessions/{session_id}/attendance",
    response=list[AttendanceOut],
    summary="Mark who was there (the facilitator)",
)
def attendance(request: HttpRequest, session_id: int, payload: AttendanceIn) -> Any:
    return services.mark_attendance(
        person=current_person(request),
        session=_session(request, session_id),
        present=payload.present,
    )


@router.get(
    "/sessions/{session_id}/reflections",
    response=list[ReflectionOut],
    summary="A session's reflections (the members')",
)
@paginate(Pages)
def reflections(request: HttpRequest, session_id: int) -> Any:
    person = current_person(request)
    found = _session(request, session_id)
    if not queries.is_member(person, found.circle):
        raise Forbidden(_("Only the circle's members read its reflections."))
    return queries.reflections_of(person, found)


@router.post(
    "/sessions/{session_id}/reflections",
    response={201: ReflectionOut},
    summary="Write my reflection",
)
def reflect(request: HttpRequest, session_id: int, payload: ReflectionIn) -> Any:
    created = services.reflect(
        person=current_person(request),
        session=_session(request, session_id),
        text=payload.text,
        rating=payload.rating,
    )
    return Status(201, created)


@router.get(
    "/sessions/{session_id}/invite.ics",
    summary="A session's iCalendar invitation",
    response={200: None},
)
def session_ics(request: HttpRequest, session_id: int) -> Any:
    _found, calendar = services.invite_for(current_person(request), session_id)
    return HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
