"""Work situations under /api/v1/communities/situations: the catalogue, my assignments
(as learner or tutor) and my team's (states only), assigning, done, the debrief (its text
for the learner and the tutor only), proposing a level and agreeing to it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from sylva.communities.models import DESIGN, Assignment
from sylva.communities.queries import situations as queries
from sylva.communities.schemas.situations import (
    AssignIn,
    AssignmentOut,
    DebriefIn,
    DebriefOut,
    ProposeIn,
    SituationIn,
    SituationOut,
)
from sylva.communities.services import situations as services
from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.core.web import Pages, require_perm
from sylva.people.models import Person, Skill
from sylva.people.web import current_person

router = Router(tags=["communities"])


def _skills(codes: list[str]) -> list[Skill]:
    found = {s.code: s for s in Skill.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ServiceError(
            _("Unknown skill: %(unknown)r.") % {"unknown": unknown[0]}, field="skills"
        )
    return [found[c] for c in codes]


def _situation(pk: int) -> Any:
    found = queries.situation(pk)
    if found is None:
        raise NotFound(_("No such work situation."))
    return found


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    found = queries.readable_assignment(current_person(request), pk)
    if found is None:
        raise NotFound(_("No such assignment."))
    return found


def _colleague(pk: int, field: str) -> Person:
    found = Person.objects.filter(pk=pk, user__is_active=True).select_related("user").first()
    if found is None:
        raise NotFound(_("No such person: %(pk)s.") % {"pk": pk}, field=field)
    return found


@router.get("", response=list[SituationOut], summary="The catalogue of work situations")
@paginate(Pages)
def catalogue(request: HttpRequest) -> Any:
    return queries.catalogue()


@router.post("", response={201: SituationOut}, summary="Describe a work situation (designers)")
def create(request: HttpRequest, payload: SituationIn) -> Any:
    require_perm(request, DESIGN)
    return Status(
        201,
        services.save_situation(
            designer=current_person(request),
            title=payload.title,
            task=payload.task,
            skills=_skills(payload.skills),
            debrief_questions=payload.debrief_questions,
            tutor_role=payload.tutor_role,
            language=payload.language,
        ),
    )


@router.get("/assignments", response=list[AssignmentOut], summary="My situations (learner, tutor)")
@paginate(Pages)
def my_assignments(request: HttpRequest) -> Any:
    return queries.mine(current_person(request))


@router.get(
    "/assignments/team", response=list[AssignmentOut], summary="My team's situations (states)"
)
@paginate(Pages)
def team_assignments(request: HttpRequest) -> Any:
    return queries.of_team(current_person(request))


@router.get("/assignments/{assignment_id}", response=AssignmentOut)
def get_assignment(request: HttpRequest, assignment_id: int) -> Any:
    return _assignment(request, assignment_id)


@router.get(
    "/assignments/{assignment_id}/debrief",
    response=DebriefOut,
    summary="The debrief text (the learner and the tutor only)",
)
def get_debrief(request: HttpRequest, assignment_id: int) -> Any:
    found = _assignment(request, assignment_id)
    if not queries.reads_debrief(current_person(request), found):
        raise Forbidden(_("Only the learner and the tutor read the debrief."))
    return found


@router.post(
    "/assignments/{assignment_id}/debrief", response=DebriefOut, summary="Write the debrief"
)
def write_debrief(request: HttpRequest, assignment_id: int, payload: DebriefIn) -> Any:
    return services.debrief(
        person=current_person(request),
        assignment=_assignment(request, assignment_id),
        text=payload.text,
    )


@router.post("/assignments/{assignment_id}/done", response=AssignmentOut, summary="Done at work")
def done(request: HttpRequest, assignment_id: int) -> Any:
    return services.mark_done(
        person=current_person(request), assignment=_assignment(request, assignment_id)
    )


@router.post(
    "/assignments/{assignment_id}/propose-level",
    response=AssignmentOut,
    summary="The tutor proposes a level on one skill",
)
def propose_level(request: HttpRequest, assignment_id: int, payload: ProposeIn) -> Any:
    found = _assignment(request, assignment_id)
    skill = Skill.objects.filter(code=payload.skill).first()
    if skill is None:
        raise ServiceError(_("Unknown skill: %(skill)r.") % {"skill": payload.skill}, field="skill")
    return services.propose_level(
        tutor=current_person(request), assignment=found, skill=skill, level=payload.level
    )


@router.post(
    "/assignments/{assignment_id}/agree",
    response=AssignmentOut,
    summary="The learner agrees to the proposed level (their profile takes it)",
)
def agree(request: HttpRequest, assignment_id: int) -> Any:
    return services.agree_level(
        learner=current_person(request), assignment=_assignment(request, assignment_id)
    )


@router.post(
    "/assignments/{assignment_id}/decline", response=AssignmentOut, summary="Not this level"
)
def decline(request: HttpRequest, assignment_id: int) -> Any:
    return services.decline_level(
        learner=current_person(request), assignment=_assignment(request, assignment_id)
    )


@router.post("/assignments/{assignment_id}/cancel", response=AssignmentOut, summary="Cancel")
def cancel(request: HttpRequest, assignment_id: int) -> Any:
    return services.cancel(
        manager=current_person(request), assignment=_assignment(request, assignment_id)
    )


@router.get("/{situation_id}", response=SituationOut)
def get_situation(request: HttpRequest, situation_id: int) -> Any:
    return _situation(situation_id)


@router.post(
    "/{situation_id}/assign",
    response={201: AssignmentOut},
    summary="Assign it to a person of my team, with a tutor",
)
def assign(request: HttpRequest, situation_id: int, payload: AssignIn) -> Any:
    me = current_person(request)
    found = _situation(situation_id)
    learner = _colleague(payload.learner, "learner")
    if not queries.in_team(me, learner):
        raise Forbidden(
            _("You assign situations to the people of your team only."), field="learner"
        )
    return Status(
        201,
        services.assign(
            manager=me,
            situation=found,
            learner=learner,
            tutor=_colleague(payload.tutor, "tutor"),
            due_on=payload.due_on,
        ),
    )
