"""Project spaces under /api/v1/communities/projects: read by everyone signed in, written
by their members (the owner adds and removes members), as on the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from sylva.communities.models import Community
from sylva.communities.queries import projects as queries
from sylva.communities.schemas.projects import (
    MemberIn,
    MilestoneIn,
    MilestoneOut,
    ProjectIn,
    ProjectOut,
    ReviewIn,
)
from sylva.communities.services import projects as services
from sylva.core.errors import ServiceError
from sylva.core.web import Pages
from sylva.people.models import Person, Skill
from sylva.people.schemas import PersonRef
from sylva.people.web import current_person

router = Router(tags=["communities"])


def _colleague(pk: int) -> Person:
    found = Person.objects.filter(pk=pk).select_related("user").first()
    if found is None:
        raise ServiceError(_("Unknown person: %(pk)s.") % {"pk": pk}, field="person")
    return found


@router.get("", response=list[ProjectOut], summary="Project spaces (?mine=true: mine only)")
@paginate(Pages)
def list_projects(request: HttpRequest, mine: bool = False) -> Any:
    person = current_person(request)
    found = queries.my_projects(person) if mine else queries.projects().order_by("-created_at")
    return found.prefetch_related("skills")


@router.post("", response={201: ProjectOut}, summary="Start a project space")
def create_project(request: HttpRequest, payload: ProjectIn) -> Any:
    skills = list(Skill.objects.filter(code__in=payload.skills))
    if len(skills) != len(set(payload.skills)):
        raise ServiceError(_("Unknown skill code."), field="skills")
    community = None
    if payload.community:
        community = Community.objects.filter(slug=payload.community).first()
        if community is None:
            raise ServiceError(_("Unknown community."), field="community")
    created = services.create_project(
        person=current_person(request),
        title=payload.title,
        purpose=payload.purpose,
        learning_goals=payload.learning_goals,
        skills=skills,
        community=community,
    )
    return Status(201, created)


@router.get("/{project_id}", response=ProjectOut, summary="A project space")
def get_project(request: HttpRequest, project_id: int) -> Any:
    return queries.project_for(project_id)


@router.get("/{project_id}/members", response=list[PersonRef], summary="Its members")
def members(request: HttpRequest, project_id: int) -> Any:
    return list(queries.members_of(queries.project_for(project_id)))


@router.post("/{project_id}/members", response={201: list[PersonRef]}, summary="Add a member")
def add_member(request: HttpRequest, project_id: int, payload: MemberIn) -> Any:
    found = queries.project_for(project_id)
    services.add_member(
        person=current_person(request), project=found, member=_colleague(payload.person)
    )
    return Status(201, list(queries.members_of(found)))


@router.delete("/{project_id}/members/{person_id}", response={204: None}, summary="Remove a member")
def remove_member(request: HttpRequest, project_id: int, person_id: int) -> Any:
    services.remove_member(
        person=current_person(request),
        project=queries.project_for(project_id),
        member=_colleague(person_id),
    )
    return Status(204, None)


@router.post("/{project_id}/close", response=ProjectOut, summary="Close it (the owner)")
def close_project(request: HttpRequest, project_id: int) -> Any:
    return services.close_project(
        person=current_person(request), project=queries.project_for(project_id)
    )


@router.get("/{project_id}/milestones", response=list[MilestoneOut], summary="Its milestones")
@paginate(Pages)
def milestones(request: HttpRequest, project_id: int) -> Any:
    return queries.milestones_of(queries.project_for(project_id))


@router.post("/{project_id}/milestones", response={201: MilestoneOut}, summary="Add a milestone")
def add_milestone(request: HttpRequest, project_id: int, payload: MilestoneIn) -> Any:
    created = services.add_milestone(
        person=current_person(request),
        project=queries.project_for(project_id),
        title=payload.title,
        due_on=payload.due_on,
    )
    return Status(201, created)


@router.post(
    "/milestones/{milestone_id}/review",
    response=MilestoneOut,
    summary="Close a milestone with the group's review (intended, happened, why, next time)",
)
def review(request: HttpRequest, milestone_id: int, payload: ReviewIn) -> Any:
    return services.close_milestone(
        person=current_person(request),
        milestone=queries.milestone_for(milestone_id),
        **payload.dict(),
    )
