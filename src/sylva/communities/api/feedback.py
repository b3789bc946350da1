"""Field feedback under /api/v1/communities/feedback: received, given, shared by my team,
give, answer, share, and my team's rhythm (counts, for a team of 5 or more). A feedback's
texts are read by its two people only (and by the person's team once shared)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from sylva.communities.models import Assignment
from sylva.communities.queries import feedback as queries
from sylva.communities.queries import situations as situation_queries
from sylva.communities.schemas.feedback import (
    AnswerIn,
    FeedbackIn,
    FeedbackOut,
    RhythmOut,
    ShareIn,
)
from sylva.communities.services import feedback as services
from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.core.web import Pages
from sylva.people.models import Person, Skill
from sylva.people.web import current_person

router = Router(tags=["communities"])


def _readable(request: HttpRequest, pk: int) -> Any:
    found = queries.readable(current_person(request), pk)
    if found is None:
        raise NotFound(_("No such feedback."))
    return found


@router.get("", response=list[FeedbackOut], summary="Feedback I received")
@paginate(Pages)
def received(request: HttpRequest) -> Any:
    return queries.received(current_person(request))


@router.get("/given", response=list[FeedbackOut], summary="Feedback I gave")
@paginate(Pages)
def given(request: HttpRequest) -> Any:
    return queries.given(current_person(request))


@router.get("/shared", response=list[FeedbackOut], summary="Feedback my team shared with me")
@paginate(Pages)
def shared(request: HttpRequest) -> Any:
    return queries.shared_with(current_person(request))


@router.get("/rhythm", response=RhythmOut, summary="My team's feedback rhythm (counts only)")
def rhythm(request: HttpRequest) -> Any:
    found = queries.rhythm(current_person(request))
    if found is None:
        return {"shown": False}
    return {
        "shown": True,
        "team_size": found.team_size,
        "people_reached": found.people_reached,
        "months": [{"start": m.start, "count": m.count} for m in found.months],
    }


@router.post("", response={201: FeedbackOut}, summary="Give feedback to a person of my team")
def give(request: HttpRequest, payload: FeedbackIn) -> Any:
    me = current_person(request)
    person = Person.objects.filter(pk=payload.person, user__is_active=True).first()
    if person is None or not situation_queries.in_team(me, person):
        raise Forbidden(_("You give feedback to the people of your team only."), field="person")
    skill = None
    if payload.skill:
        skill = Skill.objects.filter(code=payload.skill).first()
        if skill is None:
            raise ServiceError(
                _("Unknown skill: %(skill)r.") % {"skill": payload.skill}, field="skill"
            )
    assignment = None
    if payload.assignment is not None:
        assignment = Assignment.objects.filter(pk=payload.assignment, learner=person).first()
        if assignment is None:
            raise ServiceError(_("This work situation is not this person's."), field="assignment")
    return Status(
        201,
        services.give(
            manager=me,
            person=person,
            situation=payload.situation,
            went_well=payload.went_well,
            to_improve=payload.to_improve,
            next_step=payload.next_step,
            skill=skill,
            assignment=assignment,
        ),
    )


@router.get("/{feedback_id}", response=FeedbackOut)
def get_feedback(request: HttpRequest, feedback_id: int) -> Any:
    return _readable(request, feedback_id)


@router.post("/{feedback_id}/answer", response=FeedbackOut, summary="Answer (then edit)")
def answer(request: HttpRequest, feedback_id: int, payload: AnswerIn) -> Any:
    return services.answer(
        person=current_person(request),
        feedback=_readable(request, feedback_id),
        text=payload.answer,
    )


@router.post("/{feedback_id}/share", response=FeedbackOut, summary="Share it with my team, or not")
def share(request: HttpRequest, feedback_id: int, payload: ShareIn) -> Any:
    return services.share(
        person=current_person(request),
        feedback=_readable(request, feedback_id),
        shared=payload.shared,
    )
