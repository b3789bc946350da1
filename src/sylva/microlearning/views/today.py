"""Today's rendez-vous, answering in place (htmx), pausing, my memory."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.core.errors import ServiceError
from sylva.core.web import attempt, redirect_next, refusals_go_to
from sylva.microlearning.models import Card, Learner, OrgMemorySettings
from sylva.microlearning.present import card_html, rendezvous
from sylva.microlearning.queries import memory as memory_queries
from sylva.microlearning.queries import today as today_queries
from sylva.microlearning.queries.summary import day_summary
from sylva.microlearning.services import answers
from sylva.microlearning.services.badges import label as badge_label
from sylva.microlearning.views.common import duration_from_form, response_from_form
from sylva.people.models import Team
from sylva.people.teamview import can_view_team
from sylva.people.web import current_person


@login_required
def today(request: HttpRequest) -> HttpResponse:
    context = rendezvous(request, current_person(request))
    queue: today_queries.Today = context["today"]  # type: ignore[assignment]
    context["badges"] = [(code, badge_label(code)) for code in queue.badges]
    return render(request, "microlearning/today.html", context)


def _answered_at(data: Any) -> datetime | None:
    """An offline answer's own time (ISO 8601 with its zone), sent by the offline queue."""
    text = str(data.get("answered_at") or "").strip()
    if not text:
        return None
    moment = parse_datetime(text.replace("Z", "+00:00"))
    if moment is None:
        raise ServiceError(_("The answer time is not a date and time."), field="answered_at")
    return moment


@login_required
@require_POST
def answer(request: HttpRequest, card_id: int) -> HttpResponse:
    """One answer, from the card's form: with htmx or learn.js (its offline queue sends
    ``answered_at``), the card's feedback in place; without JavaScript, back to the page.

    For learn.js (``X-Sylva-Answer``) the outcome is in a header and the status is the
    service's: ``recorded`` (201), ``duplicate`` (200) or ``refused`` (4xx). A response
    without that header (the CSRF check, the sign-in redirect) has not reached the service:
    the queue keeps the answer and sends it again."""
    person = current_person(request)
    card = get_object_or_404(Card.objects.select_related("module"), pk=card_id)
    queue = request.headers.get("X-Sylva-Answer") == "1"
    try:
        answer_id = uuid.UUID(request.POST.get("answer_id", ""))
    except ValueError:
        answer_id = uuid.uuid4()
    done = attempt(
        lambda: answers.answer_card(
            person=person,
            card_id=card.pk,
            answer_id=answer_id,
            response=response_from_form(card, request.POST),
            duration_ms=duration_from_form(request.POST),
            answered_at=_answered_at(request.POST),
            served=request.POST.get("served"),
        )
    )
    if done.refusal is not None:
        return _refused(request, card, done.refusal, queue=queue)
    result = done.value
    assert result is not None
    if not request.htmx and not queue:  # type: ignore[attr-defined]
        return redirect("microlearning:today")
    learner = result.learner or Learner.objects.get(person=person)
    state = today_queries.today(person)  # the header and the summary follow the server's state
    response = render(
        request,
        "microlearning/_feedback.html",
        {
            "card": card,
            "result": result,
            "review": result.review,
            "learner": learner,
            "today": state,
            "summary": day_summary(person) if state.done and not state.paused else None,
        },
        status=200 if result.duplicate or not queue else 201,
    )
    response["X-Sylva-Outcome"] = "duplicate" if result.duplicate else "recorded"
    return response


def _refused(request: HttpRequest, card: Card, exc: ServiceError, *, queue: bool) -> HttpResponse:
    """The card's refusal in place; the same card again when the answer is to be corrected."""
    form = None
    if exc.field == "response":
        form = mark_safe(card_html(request, card, is_new=False, hidden=False))
    response = render(
        request,
        "microlearning/_card_error.html",
        {"card": card, "message": exc.message, "form": form},
        status=exc.status if queue or not request.htmx else 200,  # type: ignore[attr-defined]
    )
    response["X-Sylva-Outcome"] = "refused"
    return response


@login_required
@require_POST
@refusals_go_to("microlearning:today")
def pause(request: HttpRequest) -> HttpResponse:
    answers.pause(person=current_person(request))
    messages.success(request, _("Your rendez-vous is paused: enjoy your time off."))
    return redirect("microlearning:today")


@login_required
@require_POST
@refusals_go_to("microlearning:today")
def resume(request: HttpRequest) -> HttpResponse:
    answers.resume(person=current_person(request))
    messages.success(request, _("Welcome back! Your cards pick up where you left them."))
    return redirect("microlearning:today")


@login_required
@require_POST
def leaderboard_consent(request: HttpRequest) -> HttpResponse:
    answers.set_leaderboard_consent(
        person=current_person(request), visible=request.POST.get("visible") == "1"
    )
    messages.success(request, _("Your choice is saved."))
    return redirect_next(request, "microlearning:challenges")


@login_required
def memory(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    teams = [t for t in Team.objects.filter(manager=person)] if person else []
    return render(
        request,
        "microlearning/memory.html",
        {
            "rows": memory_queries.knowledge_map(person),
            "teams": teams,
            "retention": OrgMemorySettings.current().desired_retention,
        },
    )


@login_required
def team_memory(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=team_id)
    if not can_view_team(request.user, current_person(request), team):
        raise PermissionDenied(_("Only this team's manager and learning animators see this."))
    return render(
        request,
        "microlearning/team_memory.html",
        {"team": team, "rows": memory_queries.team_map(team)},
    )
