"""The project spaces' pages: the list (mine, others), a project's page (its learning goals,
members, milestones with their reviews), the forms. Thin: forms in, services out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sylva.communities.forms.projects import MemberForm, MilestoneForm, ProjectForm, ReviewForm
from sylva.communities.models import Project
from sylva.communities.queries import projects as queries
from sylva.communities.services import projects as services
from sylva.core.web import on_form, page_of, redirect_next, refusals_go_to
from sylva.people.models import Person
from sylva.people.web import current_person


def _saved(form: Any, call: Callable[[], object]) -> bool:
    """The form is valid and the service accepted it (a refusal is shown on the form)."""
    return bool(form.is_valid() and on_form(form, call) is not None)


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    return render(
        request,
        "communities/projects/list.html",
        {
            "mine": page_of(request, queries.my_projects(person)),
            "others": queries.other_projects(person)[:20],
        },
    )


@login_required
def new_project(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = on_form(form, lambda: services.create_project(person=person, **form.cleaned_data))
        if created is not None:
            messages.success(request, _("Your project space is ready: add its members."))
            return redirect("communities:project", created.pk)
    return render(request, "communities/projects/form.html", {"form": form})


def _page(request: HttpRequest, project: Project, **forms: Any) -> HttpResponse:
    person = current_person(request)
    milestone_forms = forms.pop("review_forms", {})
    milestones = list(queries.milestones_of(project))
    for m in milestones:
        m.review_form = milestone_forms.get(m.pk) or ReviewForm(prefix=f"m{m.pk}")  # type: ignore[attr-defined]
    return render(
        request,
        "communities/projects/project.html",
        {
            "project": project,
            "me": person,
            "member": queries.is_member(person, project),
            "owner": project.owner_id == person.pk,
            "members": list(queries.members_of(project)),
            "milestones": milestones,
            "skills": list(project.skills.select_related("domain")),
            "member_form": forms.get("member_form") or MemberForm(),
            "milestone_form": forms.get("milestone_form") or MilestoneForm(),
        },
    )


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, queries.project_for(pk))


def _back(request: HttpRequest, pk: int) -> str:
    return reverse("communities:project", args=[pk])


@require_POST
@login_required
def add_member(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.project_for(pk)
    person = current_person(request)
    services.check_owner(person, found)  # a third person: the refusal's page, not the form
    form = MemberForm(request.POST)
    if _saved(
        form,
        lambda: services.add_member(
            person=person, project=found, member=form.cleaned_data["member"]
        ),
    ):
        messages.success(request, _("Added to the project."))
        return redirect_next(request, _back(request, pk) + "#members")
    return _page(request, found, member_form=form)


@require_POST
@login_required
@refusals_go_to(_back)
def remove_member(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    found = queries.project_for(pk)
    member = Person.objects.filter(pk=person_id).first()
    if member is None:
        return redirect_next(request, _back(request, pk))
    services.remove_member(person=current_person(request), project=found, member=member)
    messages.success(request, _("Removed from the project."))
    return redirect_next(request, _back(request, pk) + "#members")


@require_POST
@login_required
def add_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.project_for(pk)
    person = current_person(request)
    services.check_member(person, found)
    form = MilestoneForm(request.POST)
    if _saved(
        form, lambda: services.add_milestone(person=person, project=found, **form.cleaned_data)
    ):
        messages.success(request, _("Milestone added."))
        return redirect_next(request, _back(request, pk) + "#milestones")
    return _page(request, found, milestone_form=form)


@require_POST
@login_required
def close_milestone(request: HttpRequest, mid: int) -> HttpResponse:
    milestone = queries.milestone_for(mid)
    person = current_person(request)
    services.check_member(person, milestone.project)
    form = ReviewForm(request.POST, prefix=f"m{mid}")
    if _saved(
        form,
        lambda: services.close_milestone(person=person, milestone=milestone, **form.cleaned_data),
    ):
        messages.success(request, _("Milestone closed with its review. Thank you."))
        return redirect_next(request, _back(request, milestone.project_id) + f"#milestone-{mid}")
    return _page(request, queries.project_for(milestone.project_id), review_forms={mid: form})


@require_POST
@login_required
@refusals_go_to(_back)
def close_project(request: HttpRequest, pk: int) -> HttpResponse:
    services.close_project(person=current_person(request), project=queries.project_for(pk))
    messages.success(request, _("The project space is closed."))
    return redirect_next(request, _back(request, pk))
