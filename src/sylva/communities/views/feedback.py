"""A manager's field feedback: what I received and gave, my team's rhythm (an aggregate),
a feedback's page (its two people, and the person's team once shared), the form."""

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
from django.views.decorators.http import require_POST

from sylva.communities.forms.feedback import AnswerForm, FeedbackForm
from sylva.communities.models import Assignment, FieldFeedback
from sylva.communities.queries import feedback as queries
from sylva.communities.queries import situations as situation_queries
from sylva.communities.services import feedback as services
from sylva.core.web import on_form, page_of, redirect_next, refusals_go_to
from sylva.people.web import current_person


def _paged(request: HttpRequest, items: Any, param: str) -> Any:
    return Paginator(items, settings.SYLVA_PAGE_SIZE).get_page(request.GET.get(param))


def _chart(rhythm: queries.Rhythm | None) -> list[dict[str, Any]]:
    """The bars of the rhythm's small chart (heights in a box 100 high)."""
    if rhythm is None:
        return []
    top = max(rhythm.highest, 1)
    return [
        {
            "month": m.start,
            "count": m.count,
            "height": (h := round(75 * m.count / top)),
            "y": 90 - h,
            "count_y": 86 - h,
            "x": 10 + i * 40,
            "label_x": 24 + i * 40,
        }
        for i, m in enumerate(rhythm.months)
    ]


@login_required
def feedback(request: HttpRequest) -> HttpResponse:
    me = current_person(request)
    manager = situation_queries.manages_anyone(me)
    rhythm = queries.rhythm(me) if manager else None
    context = {
        "me": me,
        "received": page_of(request, queries.received(me)),
        "given": _paged(request, queries.given(me), "given_page"),
        "shared": _paged(request, queries.shared_with(me), "shared_page"),
        "is_manager": manager,
        "rhythm": rhythm,
        "bars": _chart(rhythm),
        "min_people": settings.SYLVA_MIN_AGGREGATE,
    }
    return render(request, "communities/feedback/list.html", context)


@login_required
def new_feedback(request: HttpRequest) -> HttpResponse:
    me = current_person(request)
    team = situation_queries.team_of(me)
    if not team.exists():
        raise PermissionDenied(_("You give feedback to the people of your team only."))
    assignments = Assignment.objects.filter(learner__in=team.values("pk")).select_related(
        "situation", "learner"
    )
    initial = {}
    chosen = request.GET.get("person", "")
    if chosen.isdigit() and team.filter(pk=int(chosen)).exists():
        initial["person"] = int(chosen)
    form = FeedbackForm(request.POST or None, initial=initial, team=team, assignments=assignments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = on_form(
            form,
            lambda: services.give(
                manager=me,
                person=data["person"],
                situation=data["situation"],
                went_well=data["went_well"],
                to_improve=data["to_improve"],
                next_step=data["next_step"],
                skill=data["skill"],
                assignment=data["assignment"],
            ),
        )
        if made is not None:
            messages.success(
                request, _("Feedback sent to %(name)s.") % {"name": made.person.full_name}
            )
            return redirect("communities:feedback_detail", pk=made.pk)
    return render(request, "communities/feedback/form.html", {"form": form})


def _readable(request: HttpRequest, pk: int) -> FieldFeedback:
    found = queries.readable(current_person(request), pk)
    if found is None:
        raise Http404(_("No such feedback."))
    return found


@login_required
def feedback_detail(request: HttpRequest, pk: int, form: AnswerForm | None = None) -> HttpResponse:
    me = current_person(request)
    found = _readable(request, pk)
    is_person = me.pk == found.person_id
    readers = queries.readers_when_shared(found) if is_person or found.shared else None
    context = {
        "f": found,
        "me": me,
        "is_person": is_person,
        "is_giver": me.pk == found.giver_id,
        "readers": list(readers[:50]) if readers is not None else [],
        "readers_count": readers.count() if readers is not None else 0,
        "answer_form": form or AnswerForm(initial={"answer": found.answer} if is_person else None),
    }
    return render(request, "communities/feedback/detail.html", context)


def _mine(request: HttpRequest, pk: int) -> FieldFeedback:
    found = _readable(request, pk)
    if current_person(request).pk != found.person_id:
        raise PermissionDenied(_("Only the person who received this feedback may do this."))
    return found


@require_POST
@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    me = current_person(request)
    found = _mine(request, pk)
    form = AnswerForm(request.POST)
    first = found.answered_at is None
    if (
        form.is_valid()
        and on_form(
            form,
            lambda: services.answer(person=me, feedback=found, text=form.cleaned_data["answer"]),
        )
        is not None
    ):
        told = _("Your answer is saved: %(name)s is told.") % {"name": found.giver.full_name}
        messages.success(request, told if first else _("Your answer is updated."))
        return redirect("communities:feedback_detail", pk=pk)
    return feedback_detail(request, pk, form=form)


def _back(request: HttpRequest, pk: int) -> str:
    return reverse("communities:feedback_detail", args=[pk])


@require_POST
@login_required
@refusals_go_to(_back)
def share(request: HttpRequest, pk: int) -> HttpResponse:
    me = current_person(request)
    found = _mine(request, pk)
    shared = request.POST.get("shared") == "1"
    services.share(person=me, feedback=found, shared=shared)
    messages.success(
        request,
        _("Shared with your team.") if shared else _("Private again: only the two of you read it."),
    )
    return redirect_next(request, _back(request, pk))
