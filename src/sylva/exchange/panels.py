"""Panels on people's pages: my exchanges and whose turn it is, fairs open now (home);
reciprocity (profile)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from sylva.exchange import queries
from sylva.people.models import Person


def home(request: HttpRequest, person: Person) -> str:
    """My exchanges where somebody has a move (mine first), the requests I could answer, and
    the fairs open now (or announced) for me."""
    waiting = [
        x
        for x in queries.with_turns(queries.waiting_exchanges(person)[:20], person)
        if x.turn.side is not None  # type: ignore[attr-defined]
    ]
    waiting.sort(key=lambda x: x.turn.side != queries.MINE)  # type: ignore[attr-defined]
    answerable = queries.answerable_requests(person, limit=3)
    open_fairs = list(queries.open_fairs(person)[:3])
    upcoming = list(queries.upcoming_fairs(person)[:2])
    if not waiting and not answerable and not open_fairs and not upcoming:
        return ""
    return render_to_string(
        "exchange/panel_home.html",
        {
            "waiting": waiting[:5],
            "answerable": answerable,
            "open_fairs": open_fairs,
            "upcoming_fairs": upcoming,
            "me": person,
        },
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
