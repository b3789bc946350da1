"""A posting's page (an offer or a request, with its suggestions) and proposing from it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.core.errors import ServiceError
from sylva.core.web import refusals_go_to
from sylva.exchange import matching_data, queries
from sylva.exchange.models import Offer, Request
from sylva.exchange.services import board as board_services
from sylva.exchange.services import exchanges as exchange_services
from sylva.exchange.services import next_steps
from sylva.people.models import Person
from sylva.people.web import current_person


def _visible(model: Any, pk: int, request: HttpRequest) -> Any:
    """A posting: its author always sees it; others while it is open or paused."""
    return board_services.posting_for(current_person(request), model, pk)


@login_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _visible(Offer, pk, request)
    person = current_person(request)
    is_mine = offer.person_id == person.pk
    context: dict[str, Any] = {
        "offer": offer,
        "is_mine": is_mine,
        "my_requests": queries.my_requests(person).filter(state=Request.State.OPEN),
    }
    if is_mine and offer.state == Offer.State.OPEN:
        context["matches"] = matching_data.for_offer(offer)
        context["next_place"] = queries.next_place_at(offer)
    elif not is_mine:
        context.update(queries.asking(offer, person))
        if context.get("full"):  # no ask that would wait: colleagues with a place instead
            context["other_offers"] = next_steps.others_with_place(offer, person)
    return render(request, "exchange/offer.html", context)


def _why_not(request: HttpRequest, wanted: Request) -> dict[str, Any]:
    """The "why not …?" form of a request's page and, when asked, its answers."""
    offer_id = request.GET.get("why", "").strip()
    who = request.GET.get("who", "").strip()[:80]
    asked = bool(offer_id or who)
    return {
        "why_offers": matching_data.offers_to_ask_about(wanted),
        "why_asked": asked,
        "why_who": who,
        "why_offer": offer_id,
        "why_answers": matching_data.why_not_answers(wanted, offer_id=offer_id, who=who)
        if asked
        else [],
    }


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wanted = _visible(Request, pk, request)
    person = current_person(request)
    is_mine = wanted.person_id == person.pk
    context: dict[str, Any] = {
        "wanted": wanted,
        "is_mine": is_mine,
        "my_offers": queries.my_offers(person).filter(state=Offer.State.OPEN),
    }
    if is_mine:
        found = matching_data.for_request(wanted)
        context["under_way"] = found.under_way
        context["suggestions"] = found.suggested if wanted.state == Request.State.OPEN else []
        context.update(_why_not(request, wanted))
    return render(request, "exchange/request.html", context)


def _propose(request: HttpRequest, person: Person, kind: str, pk: int) -> Any:
    """Ask for an offer (as learner), answer a request (as teacher, with one of my offers or
    none), or, on my own request, propose one of the suggested offers."""
    if kind == "offer":
        chosen_request = request.POST.get("request")
        return exchange_services.propose(
            by=person,
            offer=board_services.posting_for(person, Offer, pk),
            request=queries.my_requests(person).filter(pk=chosen_request).first()
            if chosen_request
            else None,
            learner=person,
        )
    wanted = board_services.posting_for(person, Request, pk)
    chosen_offer = request.POST.get("offer")
    if wanted.person_id != person.pk:
        mine = queries.my_offers(person).filter(pk=chosen_offer).first() if chosen_offer else None
        return exchange_services.propose(
            by=person,
            offer=mine,
            request=wanted,
            teacher=person,
        )
    if not chosen_offer:
        raise ServiceError(_("Choose an offer."), field="offer")
    return exchange_services.propose(
        by=person,
        offer=board_services.posting_for(person, Offer, chosen_offer),
        request=wanted,
        learner=person,
    )


@require_POST
@login_required
@refusals_go_to(lambda request, kind, pk: reverse(f"exchange:{kind}", args=[pk]))
def propose(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    try:
        exchange = _propose(request, current_person(request), kind, pk)
    except exchange_services.AlreadyUnderWay as exc:
        messages.info(request, exc.message)
        return redirect("exchange:exchange", exc.exchange.pk)  # the one under way
    messages.success(request, _("Proposed: the other person will accept or decline."))
    return redirect("exchange:exchange", exchange.pk)
