"""Work situations: the catalogue, a situation, assigning it, an assignment's page and its
actions (done, debrief, propose a level, agree or decline, cancel)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sylva.communities.forms.situations import (
    AssignForm,
    DebriefForm,
    ProposeLevelForm,
    SituationForm,
)
from sylva.communities.models import DESIGN, Assignment, WorkSituation
from sylva.communities.queries import situations as queries
from sylva.communities.services import situations as services
from sylva.core.web import on_form, page_of, perm_page, redirect_next, refusals_go_to
from sylva.people.web import current_person


def _paged(request: HttpRequest, items: Any, param: str) -> Any:
    """A second list on the same page, paged by its own parameter."""
    return Paginator(items, settings.SYLVA_PAGE_SIZE).get_page(request.GET.get(param))


@login_required
def situations(request: HttpRequest) -> HttpResponse:
    me = current_person(request)
    manager = queries.manages_anyone(me)
    context = {
        "me": me,
        "catalogue": page_of(request, queries.catalogue()),
        "mine": _paged(request, queries.mine(me), "mine_page"),
        "team": _paged(request, queries.of_team(me), "team_page") if manager else None,
        "is_manager": manager,
        "is_designer": request.user.has_perm(DESIGN),
    }
    return render(request, "communities/situations/list.html", context)


def _situation(pk: int) -> WorkSituation:
    found = queries.situation(pk)
    if found is None:
        raise Http404(_("No such work situation."))
    return found


@login_required
def situation(request: HttpRequest, pk: int) -> HttpResponse:
    me = current_person(request)
    found = _situation(pk)
    return render(
        request,
        "communities/situations/situation.html",
        {
            "situation": found,
            "questions": [q for q in found.debrief_questions.splitlines() if q.strip()],
            "is_manager": queries.manages_anyone(me),
            "is_designer": request.user.has_perm(DESIGN),
        },
    )


def _situation_form(request: HttpRequest, found: WorkSituation | None) -> HttpResponse:
    me = current_person(request)
    initial = None
    if found is not None:
        initial = {
            "title": found.title,
            "task": found.task,
            "skills": list(found.skills.all()),
            "debrief_questions": found.debrief_questions,
            "tutor_role": found.tutor_role,
            "language": found.language,
        }
    form = SituationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = on_form(
            form,
            lambda: services.save_situation(
                designer=me,
                situation=found,
                title=data["title"],
                task=data["task"],
                skills=list(data["skills"]),
                debrief_questions=data["debrief_questions"],
                tutor_role=data["tutor_role"],
                language=data["language"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Work situation saved."))
            return redirect("communities:situation", pk=saved.pk)
    return render(request, "communities/situations/form.html", {"form": form, "situation": found})


@perm_page(DESIGN)
def new_situation(request: HttpRequest) -> HttpResponse:
    return _situation_form(request, None)


@perm_page(DESIGN)
def edit_situation(request: HttpRequest, pk: int) -> HttpResponse:
    return _situation_form(request, _situation(pk))


@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    me = current_person(request)
    found = _situation(pk)
    team = queries.team_of(me)
    if not team.exists():
        raise PermissionDenied(_("You assign situations to the people of your team only."))
    tutors = queries.tutor_suggestions(found, None)
    form = AssignForm(request.POST or None, team=team, tutors=tutors)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = on_form(
            form,
            lambda: services.assign(
                manager=me,
                situation=found,
                learner=data["learner"],
                tutor=data["tutor"],
                due_on=data["due_on"],
            ),
        )
        if made is not None:
            messages.success(
                request,
                _("Assigned: %(name)s and the tutor are told.") % {"name": made.learner.full_name},
            )
            return redirect("communities:assignment", pk=made.pk)
    return render(
        request,
        "communities/situations/assign.html",
        {"situation": found, "form": form, "tutors": tutors},
    )


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    found = queries.readable_assignment(current_person(request), pk)
    if found is None:
        raise Http404(_("No such work situation."))
    return found


@login_required
def assignment(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    me = current_person(request)
    found = _assignment(request, pk)
    reads = queries.reads_debrief(me, found)
    level = None
    if found.proposed_skill is not None:
        level = queries.learner_level(found.learner, found.proposed_skill)
    context = {
        "a": found,
        "me": me,
        "is_learner": me.pk == found.learner_id,
        "is_tutor": me.pk == found.tutor_id,
        "reads_debrief": reads,
        "may_cancel": me.pk == found.assigned_by_id or queries.in_team(me, found.learner),
        "questions": [q for q in found.situation.debrief_questions.splitlines() if q.strip()],
        "current_level": level,
        "debrief_form": forms.get("debrief_form")
        or DebriefForm(initial={"text": found.debrief} if reads else None),
        "propose_form": forms.get("propose_form") or ProposeLevelForm(situation=found.situation),
    }
    return render(request, "communities/situations/assignment.html", context)


def _back(request: HttpRequest, pk: int) -> str:
    return reverse("communities:assignment", args=[pk])


def _action(call: Any, success: Any) -> Any:
    @require_POST
    @login_required
    @refusals_go_to(_back)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        call(current_person(request), _assignment(request, pk))
        messages.success(request, str(success))
        return redirect_next(request, _back(request, pk))

    return view


done = _action(
    lambda me, a: services.mark_done(person=me, assignment=a),
    gettext_lazy("Noted: done at work. Now debrief with your tutor."),
)
agree = _action(
    lambda me, a: services.agree_level(learner=me, assignment=a),
    gettext_lazy("Your profile has the new level."),
)
decline = _action(
    lambda me, a: services.decline_level(learner=me, assignment=a),
    gettext_lazy("The proposal is withdrawn."),
)
cancel = _action(
    lambda me, a: services.cancel(manager=me, assignment=a),
    gettext_lazy("The work situation is cancelled."),
)


@require_POST
@login_required
def debrief(request: HttpRequest, pk: int) -> HttpResponse:
    me = current_person(request)
    found = _assignment(request, pk)
    if not queries.reads_debrief(me, found):
        raise PermissionDenied(_("Only the learner and the tutor debrief."))
    form = DebriefForm(request.POST)
    if (
        form.is_valid()
        and on_form(
            form,
            lambda: services.debrief(person=me, assignment=found, text=form.cleaned_data["text"]),
        )
        is not None
    ):
        messages.success(request, _("Debrief saved."))
        return redirect("communities:assignment", pk=pk)
    return assignment(request, pk, debrief_form=form)


@require_POST
@login_required
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    me = current_person(request)
    found = _assignment(request, pk)
    if me.pk != found.tutor_id:
        raise PermissionDenied(_("Only the tutor proposes a level."))
    form = ProposeLevelForm(request.POST, situation=found.situation)
    if (
        form.is_valid()
        and on_form(
            form,
            lambda: services.propose_level(
                tutor=me,
                assignment=found,
                skill=form.cleaned_data["skill"],
                level=form.cleaned_data["level"],
            ),
        )
        is not None
    ):
        messages.success(request, _("Proposed: the learner decides."))
        return redirect("communities:assignment", pk=pk)
    return assignment(request, pk, propose_form=form)
