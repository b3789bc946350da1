"""The exchange board, publishing and my offers and requests."""

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
from sylva.core.web import on_form, page_of, query_without_page, redirect_next, refusals_go_to
from sylva.exchange import queries
from sylva.exchange.forms import BoardFilterForm, OfferForm, RequestForm
from sylva.exchange.matching_data import suggestions_for
from sylva.exchange.models import ExchangeSettings, Offer, Posting, Request
from sylva.exchange.services import board as board_services
from sylva.exchange.services import exchanges as exchange_services
from sylva.people.models import Person
from sylva.people.web import current_person


@login_required
def board(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    form = BoardFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    f = queries.BoardFilter(
        q=data.get("q") or "",
        skill=data.get("skill"),
        domain=data.get("domain"),
        site=data.get("site"),
        format=data.get("format") or "",
        department=data.get("department"),
    )
    kind = data.get("kind") or "requests"
    items = queries.filter_board(
        queries.board_requests() if kind == "requests" else queries.board_offers(), f
    )
    context: dict[str, Any] = {
        "form": form,
        "kind": kind,
        "page": page_of(request, items),
        "query_string": query_without_page(request),
        "joined": queries.has_joined(person),
        "answerable": queries.answerable_requests(person),
        "open_fairs": queries.open_fairs(person),
        "me": person,
    }
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "results":
        return render(request, "exchange/_board_results.html", context)
    return render(request, "exchange/board.html", context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    exchanges = page_of(request, queries.my_exchanges(person))
    exchanges.object_list = queries.with_turns(exchanges.object_list, person)
    return render(
        request,
        "exchange/mine.html",
        {
            "offers": queries.my_offers(person),
            "requests": queries.my_requests(person),
            "exchanges": exchanges,
            "joined": queries.has_joined(person),
            "balance": queries.balance(person),
            "me": person,
        },
    )


def _posting_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "skill_codes": [s.code for s in data["skills"]],
        "text": data["text"],
        "formats": data["formats"],
        "duration_minutes": data["duration_minutes"],
        "site": data["site"],
        "slots": data["slots"],
    }


def _initial(posting: Posting) -> dict[str, Any]:
    initial = {
        "skills": list(posting.skills.all()),
        "text": posting.text,
        "formats": sorted(posting.formats),
        "duration_minutes": posting.duration_minutes,
        "site": posting.site,
        "slots": posting.slots,
    }
    if isinstance(posting, Offer):
        initial["capacity"] = posting.capacity
    return initial


def _save_posting(
    person: Person, kind: str, posting: Posting | None, data: dict[str, Any]
) -> tuple[Posting, str]:
    """Publish or edit, as the form asks: the posting and what to say."""
    kwargs = _posting_kwargs(data)
    if kind == "offer":
        kwargs["capacity"] = data["capacity"]
    if posting is not None:
        return board_services.edit_posting(person=person, posting=posting, **kwargs), _("Saved.")
    if kind == "offer":
        return board_services.publish_offer(person=person, **kwargs), _("Your offer is published.")
    return board_services.publish_request(person=person, **kwargs), _("Your request is published.")


def _publish(request: HttpRequest, kind: str, posting: Posting | None = None) -> HttpResponse:
    person = current_person(request)
    form_class = OfferForm if kind == "offer" else RequestForm
    initial: dict[str, Any] = _initial(posting) if posting else {"site": person.site}
    if posting is None and kind == "offer":
        initial["capacity"] = ExchangeSettings.load().default_capacity
    form = form_class(request.POST or None, initial=initial)
    existing: list[Posting] = []  # the twin a duplicate points at, shown with the refusal

    def save() -> tuple[Posting, str]:
        try:
            return _save_posting(person, kind, posting, form.cleaned_data)
        except board_services.DuplicatePosting as exc:
            existing.append(exc.posting)
            raise

    saved = on_form(form, save) if request.method == "POST" and form.is_valid() else None
    if saved is not None:
        messages.success(request, saved[1])
        return redirect(f"exchange:{kind}", saved[0].pk)
    return render(
        request,
        "exchange/posting_form.html",
        {
            "form": form,
            "kind": kind,
            "posting": posting,
            "existing": existing[0] if existing else None,
            "joined": queries.has_joined(person),
        },
    )


@login_required
def new_offer(request: HttpRequest) -> HttpResponse:
    return _publish(request, "offer")


@login_required
def new_request(request: HttpRequest) -> HttpResponse:
    return _publish(request, "request")


def _mine(model: Any, pk: int, request: HttpRequest) -> Any:
    """A posting its author changes (the API's rule: not seen 404, seen not mine 403)."""
    return board_services.posting_for(current_person(request), model, pk, change=True)


@login_required
def edit_offer(request: HttpRequest, pk: int) -> HttpResponse:
    return _publish(request, "offer", _mine(Offer, pk, request))


@login_required
def edit_request(request: HttpRequest, pk: int) -> HttpResponse:
    return _publish(request, "request", _mine(Request, pk, request))


def _visible(model: Any, pk: int, request: HttpRequest) -> Any:
    """A posting: its author always sees it; others while it is open or paused."""
    return board_services.posting_for(current_person(request), model, pk)


@login_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _visible(Offer, pk, request)
    person = current_person(request)
    is_mine = offer.person_id == person.pk
    return render(
        request,
        "exchange/offer.html",
        {
            "offer": offer,
            "is_mine": is_mine,
            "my_requests": queries.my_requests(person).filter(state=Request.State.OPEN),
            **({} if is_mine else queries.asking(offer, person)),
        },
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    wanted = _visible(Request, pk, request)
    person = current_person(request)
    is_mine = wanted.person_id == person.pk
    return render(
        request,
        "exchange/request.html",
        {
            "wanted": wanted,
            "is_mine": is_mine,
            "suggestions": suggestions_for(wanted) if is_mine and wanted.state == "open" else [],
            "my_offers": queries.my_offers(person).filter(state=Offer.State.OPEN),
        },
    )


@require_POST
@login_required
@refusals_go_to("exchange:mine")
def set_state(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    posting = _mine(Offer if kind == "offer" else Request, pk, request)
    if request.POST.get("state") == "renew" and isinstance(posting, Request):
        board_services.renew_request(person=current_person(request), request=posting)
        messages.success(request, _("Renewed: your request stays on the board."))
    else:
        board_services.set_state(
            person=current_person(request), posting=posting, state=request.POST.get("state", "")
        )
        messages.success(request, _("Saved."))
    return redirect_next(request, "exchange:mine")


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
