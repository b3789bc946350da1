"""One exchange, for its two participants only (anyone else gets a 404)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from sylva.core.web import on_form, redirect_next, refusals_go_to
from sylva.exchange import queries
from sylva.exchange.forms import MessageForm, ReasonForm, ReviewForm, ScheduleForm
from sylva.exchange.models import Exchange
from sylva.exchange.services import exchanges as services
from sylva.exchange.services import next_steps
from sylva.people.models import PersonSkill
from sylva.people.web import current_person


def _exchange(request: HttpRequest, pk: int) -> Exchange:
    """Its two participants' only: anyone else gets a 404 (the API's answer too)."""
    return services.get_for(current_person(request), pk)


def _page(request: HttpRequest, exchange: Exchange, **forms: Any) -> HttpResponse:
    person = current_person(request)
    reviews = list(exchange.reviews.select_related("author"))
    level = None
    if exchange.skill_id and person.pk == exchange.learner_id:
        level = (
            PersonSkill.objects.filter(person=person, skill_id=exchange.skill_id)
            .values_list("level", flat=True)
            .first()
        )
    initial_schedule = {
        "duration_minutes": exchange.duration_minutes,
        "mode": exchange.mode or "in_person",
        "place": exchange.place,
    }
    if exchange.starts_at:
        initial_schedule["starts_at"] = timezone.localtime(exchange.starts_at)
    is_teacher = person.pk == exchange.teacher_id
    now = timezone.now()
    steps = next_steps.no_place(exchange, person)  # the offer is full: what to do instead
    turn = queries.whose_turn(exchange, person, now=now)
    context: dict[str, Any] = {
        "x": exchange,
        "me": person,
        "other": exchange.other(person),
        "is_teacher": is_teacher,
        "my_acceptance": exchange.teacher_accepted if is_teacher else exchange.learner_accepted,
        "my_confirmation": (
            exchange.teacher_confirmed if is_teacher else exchange.learner_confirmed
        ),
        "started": bool(exchange.starts_at and exchange.starts_at <= now),
        "ended": bool(exchange.ends_at and exchange.ends_at <= now),
        "my_held": exchange.held_by(person),
        "other_held": exchange.held_by(exchange.other(person)),
        "messages_list": exchange.messages.select_related("author"),
        "reviews": reviews,
        "reviewed_by_me": any(r.author_id == person.pk for r in reviews),
        "turn": turn,  # (on a full offer, whose_turn says so and points at the next steps)
        "current_level": level or 0,
        "reason_form": forms.get("reason_form")
        or ReasonForm(initial={"reason": steps.decline_reason} if steps else None),
        "schedule_form": forms.get("schedule_form") or ScheduleForm(initial=initial_schedule),
        "review_form": forms.get("review_form") or ReviewForm(),
        "message_form": forms.get("message_form") or MessageForm(),
        "no_place": steps,
    }
    return render(request, "exchange/exchange.html", context)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _exchange(request, pk))


def _back(request: HttpRequest, pk: int) -> str:
    return reverse("exchange:exchange", args=[pk])


def _simple(action: Any, success: Any) -> Any:
    @require_POST
    @login_required
    @refusals_go_to(_back)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        action(person=current_person(request), exchange=_exchange(request, pk))
        messages.success(request, success)
        return redirect_next(request, reverse("exchange:exchange", args=[pk]))

    return view


accept = _simple(services.accept, _("Accepted."))
confirm = _simple(services.confirm, _("Confirmed: see you then."))
held = _simple(services.mark_held, _("Noted: the exchange took place. Write your review."))
no_show = _simple(services.mark_no_show, _("Noted: the exchange did not take place."))


@require_POST
@login_required
@refusals_go_to(_back)
def wait(request: HttpRequest, pk: int) -> HttpResponse:
    """The offer is full: say to the other that one waits for the next place."""
    next_steps.wait_for_place(
        person=current_person(request),
        exchange=_exchange(request, pk),
        mode=request.POST.get("mode", ""),
    )
    messages.success(request, _("Said: the exchange stays proposed until a place frees."))
    return redirect_next(request, reverse("exchange:exchange", args=[pk]) + "#messages")


@require_POST
@login_required
@refusals_go_to(_back)
def propose_instead(request: HttpRequest, pk: int) -> HttpResponse:
    """The offer is full: propose the same skill to another colleague who can take me now."""
    try:
        created = next_steps.propose_instead(
            person=current_person(request),
            exchange=_exchange(request, pk),
            offer_id=request.POST.get("offer"),
        )
    except services.AlreadyUnderWay as exc:
        messages.info(request, exc.message)
        return redirect("exchange:exchange", exc.exchange.pk)
    messages.success(
        request,
        _("Proposed to %(name)s. The first exchange stays proposed: decline it if you wish.")
        % {"name": created.teacher.full_name},
    )
    return redirect("exchange:exchange", created.pk)


def _form_action(form_class: Any, action: Any, success: Any, slot: str, anchor: str = "") -> Any:
    """A POST view: the form's cleaned data go to the service ``action``; a refusal is shown
    on the form, in the exchange page's ``slot``."""

    @require_POST
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        exchange = _exchange(request, pk)
        form = form_class(request.POST)
        person = current_person(request)
        if form.is_valid() and on_form(
            form, lambda: action(person=person, exchange=exchange, **form.cleaned_data)
        ):
            if success:
                messages.success(request, success)
            return redirect_next(request, reverse("exchange:exchange", args=[pk]) + anchor)
        return _page(request, exchange, **{slot: form})

    return view


decline = _form_action(
    ReasonForm, services.decline, _("Declined. Thank you for saying why."), "reason_form"
)
cancel = _form_action(ReasonForm, services.cancel, _("Cancelled."), "reason_form")
schedule = _form_action(
    ScheduleForm,
    services.schedule,
    _("Scheduled: an invitation is on its way to both of you."),
    "schedule_form",
)
review = _form_action(ReviewForm, services.review, _("Thank you for your review."), "review_form")
message = _form_action(MessageForm, services.post_message, "", "message_form", "#messages")


@login_required
def ics(request: HttpRequest, pk: int) -> HttpResponse:
    exchange, ics = services.invite_for(current_person(request), pk)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="exchange-{exchange.pk}.ics"'
    return response
