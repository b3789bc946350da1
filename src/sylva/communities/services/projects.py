"""Project spaces: a project as a learning space with its learning goals, its members and
its milestones, each closed with a short collective review in the After Action Review's
shape (what was intended, what happened, why, what we will do next time).

Anyone creates a project space and owns it; the owner adds and removes members; members add
milestones and close them with the review (REVIEWED_MILESTONE, the member who wrote it as
the actor); the owner closes the project.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.communities import verbs as community_verbs
from sylva.communities.models import Community, Milestone, Project, ProjectMember
from sylva.communities.queries import projects as queries
from sylva.core.errors import Forbidden, ServiceError
from sylva.core.validation import check_field
from sylva.core.xapi import activity
from sylva.people.models import Person, Skill
from sylva.people.services import record_event

REVIEW_PARTS = ("intended", "happened", "why", "next_time")


def check_owner(person: Person, project: Project) -> None:
    if project.owner_id != person.pk:
        raise Forbidden(_("Only the project's owner can do this."))


def check_member(person: Person, project: Project) -> None:
    if not queries.is_member(person, project):
        raise Forbidden(_("Only the project's members can do this."))


def check_open(project: Project) -> None:
    if project.closed_at is not None:
        raise ServiceError(_("This project space is closed."), status=409)


def _text(model: type, field: str, value: str, *, required: str = "") -> str:
    value = check_field(model, field, (value or "").strip())
    if required and not value:
        raise ServiceError(required, field=field)
    return value


@transaction.atomic
def create_project(
    *,
    person: Person,
    title: str,
    purpose: str = "",
    learning_goals: str = "",
    skills: Iterable[Skill] = (),
    community: Community | None = None,
) -> Project:
    project = Project.objects.create(
        title=_text(Project, "title", title, required=_("Give the project a title.")),
        purpose=_text(Project, "purpose", purpose),
        learning_goals=_text(
            Project,
            "learning_goals",
            learning_goals,
            required=_("Say what the project means to learn."),
        ),
        community=community,
        owner=person,
    )
    project.skills.set(list(skills))
    ProjectMember.objects.create(project=project, person=person)
    return project


@transaction.atomic
def add_member(*, person: Person, project: Project, member: Person) -> ProjectMember:
    check_owner(person, project)
    check_open(project)
    if not member.user.is_active:
        raise ServiceError(_("This person is no longer active."), field="member")
    try:
        with transaction.atomic():
            return ProjectMember.objects.create(project=project, person=member)
    except IntegrityError:
        raise ServiceError(
            _("%(name)s is already a member.") % {"name": member.full_name},
            field="member",
            status=409,
        ) from None


@transaction.atomic
def remove_member(*, person: Person, project: Project, member: Person) -> None:
    check_owner(person, project)
    if member.pk == project.owner_id:
        raise ServiceError(_("The owner stays a member of the project."), status=409)
    deleted, _rows = ProjectMember.objects.filter(project=project, person=member).delete()
    if not deleted:
        raise ServiceError(_("This person is not a member."), field="member", status=404)


@transaction.atomic
def add_milestone(
    *, person: Person, project: Project, title: str, due_on: date | None = None
) -> Milestone:
    check_member(person, project)
    check_open(project)
    return Milestone.objects.create(
        project=project,
        title=_text(Milestone, "title", title, required=_("Name the milestone.")),
        due_on=due_on,
    )


@transaction.atomic
def close_milestone(
    *,
    person: Person,
    milestone: Milestone,
    intended: str,
    happened: str,
    why: str,
    next_time: str,
) -> Milestone:
    """A member closes the milestone with the group's short review (all four parts)."""
    milestone = Milestone.objects.select_for_update().select_related("project").get(pk=milestone.pk)
    project = milestone.project
    check_member(person, project)
    check_open(project)
    if milestone.closed_at is not None:
        raise ServiceError(_("This milestone is already closed and reviewed."), status=409)
    texts = {"intended": intended, "happened": happened, "why": why, "next_time": next_time}
    for field, value in texts.items():
        setattr(
            milestone,
            field,
            _text(Milestone, field, value, required=_("Write each part of the review.")),
        )
    milestone.closed_by = person
    milestone.closed_at = timezone.now()
    milestone.save()
    record_event(
        actor=person,
        verb=community_verbs.REVIEWED_MILESTONE,
        object_id=activity("milestone", milestone.pk),
        object_name=milestone.title,
        skill=project.skills.order_by("pk").first(),
    )
    return milestone


@transaction.atomic
def close_project(*, person: Person, project: Project) -> Project:
    check_owner(person, project)
    check_open(project)
    project.closed_at = timezone.now()
    project.save(update_fields=["closed_at"])
    return project
