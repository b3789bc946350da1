"""The exchange board, publishing and my offers and requests."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.core.web import on_form, page_of, query_without_page, redirect_next, refusals_go_to
from sylva.exchange import queries
from sylva.exchange.forms import BoardFilterForm, OfferForm, RequestForm
from sylva.exchange.models import ExchangeSettings, Offer, Posting, Request
from sylva.exchange.services import board as board_services
from sylva.people.models import Person
from sylva.people.web import current_person


def _board_filter(data: dict[str, Any]) -> queries.BoardFilter:
    return queries.BoardFilter(
        q=data.get("q") or "",
        skill=data.get("skill"),
        domain=data.get("domain"),
        site=data.get("site"),
        format=data.get("format") or "",
        department=data.get("department"),
        language=data.get("language") or "",
    )


def _tab_urls(request: HttpRequest) -> dict[str, str]:
    """Requests and offers, each keeping the search and the filters (not the page)."""
    kept = [(k, v) for k, v in request.GET.items() if k not in ("page", "kind") and v]
    return {kind: "?" + urlencode([("kind", kind), *kept]) for kind in ("requests", "offers")}


@login_required
def board(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    reader = (get_language() or settings.LANGUAGE_CODE)[:2]
    form = BoardFilterForm(request.GET or None, reader_language=reader)
    data = form.cleaned_data if form.is_valid() else {}
    kind = data.get("kind") or "requests"
    items = queries.filter_board(
        queries.board_requests() if kind == "requests" else queries.board_offers(),
        _board_filter(data),
    )
    context: dict[str, Any] = {
        "form": form,
        "kind": kind,
        "page": page_of(request, items),
        "query_string": query_without_page(request),
        "tabs": _tab_urls(request),
        "active_filters": form.active_filters(),
        "joined": queries.has_joined(person),
        "answerable": queries.answerable_requests(person),
        "open_fairs": queries.open_fairs(person),
        "me": person,
    }
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "results":
        return render(request, "exchange/_board_results.html", {**context, "oob": True})
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
        "language": data.get("language") or None,
    }


def _initial(posting: Posting) -> dict[str, Any]:
    initial = {
        "skills": list(posting.skills.all()),
        "text": posting.text,
        "formats": sorted(posting.formats),
        "duration_minutes": posting.duration_minutes,
        "site": posting.site,
        "slots": posting.slots,
        "language": posting.language,
    }
    if isinstance(posting, Offer):
        initial["capacity"] = posting.capacity
    return initial


def _save_posting(
    person: Person, kind: str, posting: Posting | None, form: Any, confirmed: bool
) -> tuple[Posting, str]:
    """Publish or edit, as the form asks: the posting and what to say."""
    data = form.cleaned_data
    kwargs = _posting_kwargs(data)
    if kind == "offer":
        kwargs.update(capacity=data["capacity"], levels=form.levels())
    if posting is not None:
        return board_services.edit_posting(person=person, posting=posting, **kwargs), _("Saved.")
    if kind == "offer":
        return board_services.publish_offer(person=person, **kwargs), _("Your offer is published.")
    return board_services.publish_request(person=person, confirm_under_way=confirmed, **kwargs), _(
        "Your request is published."
    )


def _form(request: HttpRequest, person: Person, kind: str, posting: Posting | None) -> Any:
    initial: dict[str, Any] = (
        _initial(posting)
        if posting
        else {"site": person.site, "language": person.language or settings.LANGUAGE_CODE}
    )
    if kind == "request":
        return RequestForm(request.POST or None, initial=initial)
    if posting is None:
        initial["capacity"] = ExchangeSettings.load().default_capacity
    return OfferForm(request.POST or None, initial=initial, person=person)


def _publish(request: HttpRequest, kind: str, posting: Posting | None = None) -> HttpResponse:
    person = current_person(request)
    form = _form(request, person, kind, posting)
    existing: list[Posting] = []  # the twin a duplicate points at, shown with the refusal
    under_way: list[Any] = []  # the exchange a request's skill is already learnt in

    def save() -> tuple[Posting, str]:
        try:
            return _save_posting(
                person, kind, posting, form, request.POST.get("confirm_under_way") == "1"
            )
        except board_services.DuplicatePosting as exc:
            existing.append(exc.posting)
            raise
        except board_services.ExchangeUnderWay as exc:
            under_way.append(exc.exchange)
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
            "under_way": under_way[0] if under_way else None,
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
