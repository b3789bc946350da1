"""Panels on people's pages: my exchanges to act on (home), reciprocity (profile)."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string

from sylva.exchange import queries
from sylva.exchange.models import Exchange
from sylva.people.models import Person


def home(request: HttpRequest, person: Person) -> str:
    waiting = (
        queries.my_exchanges(person)
        .filter(
            Q(state=Exchange.State.PROPOSED)
            & (
                Q(teacher=person, teacher_accepted=False)
                | Q(learner=person, learner_accepted=False)
            )
            | Q(state__in=(Exchange.State.ACCEPTED, Exchange.State.SCHEDULED))
        )
        .order_by("starts_at", "-pk")[:5]
    )
    answerable = queries.answerable_requests(person, limit=3)
    if not waiting and not answerable:
        return ""
    return render_to_string(
        "exchange/panel_home.html",
        {"waiting": waiting, "answerable": answerable, "me": person},
        request=request,
    )


def profile(request: HttpRequest, person: Person) -> str:
    viewer = getattr(getattr(request, "user", None), "person", None)
    if viewer is not None and viewer.pk == person.pk:
        balance = queries.balance(person)
        return render_to_string(
            "exchange/panel_balance.html",
            {
                "balance": balance,
                "answerable": queries.answerable_requests(person, limit=3)
                if balance.only_receives
                else [],
            },
            request=request,
        )
    offers = queries.board_offers().filter(person=person)[:5]
    if not offers:
        return ""
    return render_to_string(
        "exchange/panel_offers.html", {"offers": offers, "person": person}, request=request
    )
