"""The learning circles' pages: the list (mine, open to join), a circle's page (phone-first:
the next session, members and goals, past sessions), a session's page (attendance,
reflections), the forms and the one-click actions. Thin: forms in, services out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sylva.communities.forms.circles import (
    CircleForm,
    ClosingForm,
    FromRequestsForm,
    GoalForm,
    GoalRatingForm,
    InviteForm,
    ReflectionForm,
    SessionForm,
)
from sylva.communities.models import CIRCLE_MIN, Circle, CircleSession
from sylva.communities.queries import circles as queries
from sylva.communities.services import circles as services
from sylva.core.errors import ServiceError
from sylva.core.web import on_form, page_of, redirect_next, refusals_go_to
from sylva.people.web import current_person


def _saved(form: Any, call: Callable[[], object]) -> bool:
    """The form is valid and the service accepted it (a refusal is shown on the form)."""
    return bool(form.is_valid() and on_form(form, call) is not None)


@login_required
def circles(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    return render(
        request,
        "communities/circles/list.html",
        {
            "mine": page_of(request, queries.my_circles(person)),
            "to_join": queries.open_to_join(person)[:20],
            "invitations": queries.circle_invitations(person),
        },
    )


@login_required
def new_circle(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    form = CircleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        circle = on_form(form, lambda: services.create_circle(person=person, **form.cleaned_data))
        if circle is not None:
            messages.success(request, _("Your circle is a draft: its facilitator opens it."))
            return redirect("communities:circle", circle.pk)
    return render(request, "communities/circles/form.html", {"form": form})


def _circle_page(request: HttpRequest, circle: Circle, **forms: Any) -> HttpResponse:
    person = current_person(request)
    seat = queries.seat_of(person, circle)
    member = seat is not None and seat.state == queries.ACTIVE
    facilitator = circle.facilitator_id == person.pk
    seats = list(queries.active_seats(circle)) if member else []
    past = list(queries.past_sessions(circle)[:10]) if member else []
    context = {
        "circle": circle,
        "me": person,
        "seat": seat,
        "member": member,
        "facilitator": facilitator,
        "seats": seats,
        "active_count": queries.active_count(circle),
        "enough": queries.active_count(circle) >= CIRCLE_MIN,
        "circle_min": CIRCLE_MIN,
        "invited": list(queries.invited_seats(circle)) if facilitator else [],
        "next_session": queries.next_session(circle),
        "past": past,
        "skills": list(circle.skills.select_related("domain")),
        "session_form": forms.get("session_form")
        or SessionForm(initial={"format": circle.format, "place": circle.place, "minutes": 60}),
        "invite_form": forms.get("invite_form") or InviteForm(),
        "goal_form": forms.get("goal_form")
        or GoalForm(initial={"goal": seat.goal if seat else ""}),
        "rating_form": forms.get("rating_form") or GoalRatingForm(),
        "closing_form": forms.get("closing_form") or ClosingForm(),
    }
    return render(request, "communities/circles/circle.html", context)


@login_required
def circle(request: HttpRequest, pk: int) -> HttpResponse:
    return _circle_page(request, queries.circle_for(current_person(request), pk))


def _back(request: HttpRequest, pk: int) -> str:
    return reverse("communities:circle", args=[pk])


def _action(action: Any, success: Any) -> Any:
    @require_POST
    @login_required
    @refusals_go_to(_back)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        person = current_person(request)
        action(person=person, circle=queries.circle_for(person, pk))
        messages.success(request, success)
        return redirect_next(request, reverse("communities:circle", args=[pk]))

    return view


open_circle = _action(services.open_circle, _("The circle is open: colleagues can join it."))
decline_facilitation = _action(
    services.decline_facilitation, _("Declined: its creator facilitates it again.")
)
join = _action(services.join, _("Welcome to the circle. Say what your goal is."))
leave = _action(services.leave, _("You left the circle."))
accept = _action(services.accept_invitation, _("Welcome to the circle. Say what your goal is."))
decline = _action(services.decline_invitation, _("Invitation declined."))


def _form_action(
    form_class: Any, call: Any, success: Any, slot: str, anchor: str, check: Any
) -> Any:
    """A form posted on the circle's page; ``check`` (who may) refuses first: a third
    person gets the page of the refusal (403), never the form back."""

    @require_POST
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        person = current_person(request)
        found = queries.circle_for(person, pk)
        check(person, found)
        form = form_class(request.POST)
        if _saved(form, lambda: call(person, found, form.cleaned_data)):
            messages.success(request, success)
            return redirect_next(request, reverse("communities:circle", args=[pk]) + anchor)
        return _circle_page(request, found, **{slot: form})

    return view


invite = _form_action(
    InviteForm,
    lambda p, c, d: services.invite(by=p, circle=c, people=[d["person"]]),
    _("Invited: the invitation waits in their inbox."),
    "invite_form",
    "#members",
    services.check_inviter,
)
goal = _form_action(
    GoalForm,
    lambda p, c, d: services.set_goal(person=p, circle=c, goal=d["goal"]),
    _("Your goal is noted."),
    "goal_form",
    "#goals",
    services.check_member,
)
rate_goal = _form_action(
    GoalRatingForm,
    lambda p, c, d: services.rate_goal(person=p, circle=c, rating=d["rating"]),
    _("Thank you: your rating is noted."),
    "rating_form",
    "#goals",
    services.check_member,
)
schedule = _form_action(
    SessionForm,
    lambda p, c, d: services.schedule_session(person=p, circle=c, **d),
    _("Scheduled: every member receives a calendar invitation."),
    "session_form",
    "#next-session",
    services.check_facilitator,
)
close = _form_action(
    ClosingForm,
    lambda p, c, d: services.close_circle(person=p, circle=c, review=d["review"]),
    _("The circle is closed. Thank you for facilitating it."),
    "closing_form",
    "#closing",
    services.check_facilitator,
)


# --- a session ---------------------------------------------------------------------------


def _session_page(request: HttpRequest, session: CircleSession, **forms: Any) -> HttpResponse:
    person = current_person(request)
    found = session.circle
    member = queries.is_member(person, found)
    facilitator = found.facilitator_id == person.pk
    reflections = list(queries.reflections_of(person, session))
    marks = {a.person_id: a.present for a in session.attendance.all()} if member else {}
    seats = list(queries.active_seats(found)) if member else []
    started = session.starts_at <= timezone.now()
    context = {
        "circle": found,
        "session": session,
        "member": member,
        "facilitator": facilitator,
        "seats": [(s, marks.get(s.person_id)) for s in seats],
        "marked": bool(marks),
        "started": started,
        "reflections": reflections,
        "mine": next((r for r in reflections if r.person_id == person.pk), None),
        "reflection_form": forms.get("reflection_form") or ReflectionForm(),
        "move_form": forms.get("move_form")
        or SessionForm(
            initial={
                "starts_at": timezone.localtime(session.starts_at),
                "minutes": session.minutes,
                "format": session.format,
                "place": session.place,
            }
        ),
    }
    return render(request, "communities/circles/session.html", context)


def _session(request: HttpRequest, sid: int) -> CircleSession:
    return queries.session_for(current_person(request), sid)


@login_required
def session(request: HttpRequest, sid: int) -> HttpResponse:
    found = _session(request, sid)
    if not queries.is_member(current_person(request), found.circle):
        return redirect("communities:circle", found.circle_id)
    return _session_page(request, found)


def _back_to_session(request: HttpRequest, sid: int) -> str:
    return reverse("communities:circle_session", args=[sid])


@require_POST
@login_required
@refusals_go_to(_back_to_session, pages=(403, 404))
def attendance(request: HttpRequest, sid: int) -> HttpResponse:
    found = _session(request, sid)
    try:
        present = [int(v) for v in request.POST.getlist("present")]
    except ValueError:
        raise ServiceError(str(_("Choose members of the circle.")), field="present") from None
    services.mark_attendance(person=current_person(request), session=found, present=present)
    messages.success(request, _("Attendance saved."))
    return redirect_next(request, reverse("communities:circle_session", args=[sid]) + "#attendance")


@require_POST
@login_required
def reflect(request: HttpRequest, sid: int) -> HttpResponse:
    found = _session(request, sid)
    person = current_person(request)
    services.check_member(person, found.circle)
    form = ReflectionForm(request.POST)
    if _saved(form, lambda: services.reflect(person=person, session=found, **form.cleaned_data)):
        messages.success(request, _("Thank you: the circle's members can read it."))
        return redirect_next(
            request, reverse("communities:circle_session", args=[sid]) + "#reflections"
        )
    return _session_page(request, found, reflection_form=form)


@require_POST
@login_required
def move(request: HttpRequest, sid: int) -> HttpResponse:
    found = _session(request, sid)
    person = current_person(request)
    services.check_facilitator(person, found.circle)
    form = SessionForm(request.POST)
    if _saved(
        form, lambda: services.move_session(person=person, session=found, **form.cleaned_data)
    ):
        messages.success(request, _("Moved: every member receives the updated invitation."))
        return redirect_next(request, reverse("communities:circle_session", args=[sid]))
    return _session_page(request, found, move_form=form)


@require_POST
@login_required
@refusals_go_to(_back_to_session)
def cancel(request: HttpRequest, sid: int) -> HttpResponse:
    found = _session(request, sid)
    services.cancel_session(person=current_person(request), session=found)
    messages.success(request, _("Cancelled: every member's calendar is told."))
    return redirect_next(request, reverse("communities:circle", args=[found.circle_id]))


@login_required
def ics(request: HttpRequest, sid: int) -> HttpResponse:
    found, calendar = services.invite_for(current_person(request), sid)
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="circle-session-{found.pk}.ics"'
    return response


# --- the structure lever -----------------------------------------------------------------


@require_POST
@login_required
@refusals_go_to("insights:structure", pages=(403,))
def from_requests(request: HttpRequest) -> HttpResponse:
    """The insights' structure lever: a draft circle on a skill where open requests
    cluster, inviting their authors."""
    form = FromRequestsForm(request.POST)
    if not form.is_valid():
        raise ServiceError(str(_("Choose a skill.")), field="skill")
    created = services.create_from_requests(
        person=current_person(request), skill_code=form.cleaned_data["skill"]
    )
    messages.success(
        request,
        _("A draft circle, with invitations to the requests' authors. Open it when ready."),
    )
    return redirect("communities:circle", created.pk)
