"""Reads of the project spaces. Projects are learning spaces open to read for everyone
signed in (their milestones' reviews are lessons meant to circulate); only their members
write in them. Nothing here writes."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.communities.models import Milestone, Project, ProjectMember
from sylva.core.errors import NotFound
from sylva.people.models import Person


def projects() -> QuerySet[Project]:
    return Project.objects.select_related("owner", "community").annotate(
        member_count=Count("members", distinct=True),
        open_milestones=Count(
            "milestones", filter=Q(milestones__closed_at__isnull=True), distinct=True
        ),
    )


def my_projects(person: Person) -> QuerySet[Project]:
    mine = ProjectMember.objects.filter(person=person).values("project_id")
    return projects().filter(Q(owner=person) | Q(pk__in=mine)).order_by("-created_at", "-pk")


def other_projects(person: Person) -> QuerySet[Project]:
    mine = ProjectMember.objects.filter(person=person).values("project_id")
    return (
        projects()
        .filter(closed_at__isnull=True)
        .exclude(owner=person)
        .exclude(pk__in=mine)
        .order_by("-created_at", "-pk")
    )


def project_for(pk: int) -> Project:
    project = projects().filter(pk=pk).first()
    if project is None:
        raise NotFound(_("No such project space."))
    return project


def is_member(person: Person, project: Project) -> bool:
    return (
        project.owner_id == person.pk
        or ProjectMember.objects.filter(project=project, person=person).exists()
    )


def members_of(project: Project) -> QuerySet[Person]:
    return (
        Person.objects.filter(Q(pk=project.owner_id) | Q(projectmember__project=project))
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def milestones_of(project: Project) -> QuerySet[Milestone]:
    return Milestone.objects.filter(project=project).select_related("closed_by")


def milestone_for(pk: int) -> Milestone:
    milestone = Milestone.objects.select_related("project").filter(pk=pk).first()
    if milestone is None:
        raise NotFound(_("No such milestone."))
    return milestone


def overdue_milestones(person: Person) -> QuerySet[Milestone]:
    """Milestones past their due date without a review, in the projects I am a member of."""
    mine = ProjectMember.objects.filter(person=person).values("project_id")
    return (
        Milestone.objects.filter(
            closed_at__isnull=True,
            due_on__lt=timezone.localdate(),
            project__closed_at__isnull=True,
        )
        .filter(Q(project__owner=person) | Q(project_id__in=mine))
        .select_related("project")
        .order_by("due_on", "pk")
    )
