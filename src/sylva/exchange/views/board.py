"""The exchange board, publishing and my offers and requests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.core.errors import ServiceError
from sylva.core.redirects import redirect_next
from sylva.exchange import queries
from sylva.exchange.forms import BoardFilterForm, OfferForm, RequestForm
from sylva.exchange.matching_data import suggestions_for
from sylva.exchange.models import Offer, Posting, Request
from sylva.exchange.services import board as board_services
from sylva.exchange.services import exchanges as exchange_services
from sylva.exchange.views.common import apply_error, me, page_of, query_without_page


@login_required
def board(request: HttpRequest) -> HttpResponse:
    person = me(request)
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
        "me": person,
    }
    if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "results":
        return render(request, "exchange/_board_results.html", context)
    return render(request, "exchange/board.html", context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    person = me(request)
    return render(
        request,
        "exchange/mine.html",
        {
            "offers": queries.my_offers(person),
            "requests": queries.my_requests(person),
            "exchanges": page_of(request, queries.my_exchanges(person)),
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


def _publish(request: HttpRequest, kind: str, posting: Posting | None = None) -> HttpResponse:
    person = me(request)
    form_class = OfferForm if kind == "offer" else RequestForm
    initial: dict[str, Any] = _initial(posting) if posting else {"site": person.site}
    if posting is None and kind == "offer":
        from sylva.exchange.models import ExchangeSettings

        initial["capacity"] = ExchangeSettings.load().default_capacity
    form = form_class(request.POST or None, initial=initial)
    existing = None
    if request.method == "POST" and form.is_valid():
        kwargs = _posting_kwargs(form.cleaned_data)
        try:
            if posting is not None:
                if kind == "offer":
                    kwargs["capacity"] = form.cleaned_data["capacity"]
                board_services.edit_posting(person=person, posting=posting, **kwargs)
                messages.success(request, _("Saved."))
            elif kind == "offer":
                posting = board_services.publish_offer(
                    person=person, capacity=form.cleaned_data["capacity"], **kwargs
                )
                messages.success(request, _("Your offer is published."))
            else:
                posting = board_services.publish_request(person=person, **kwargs)
                messages.success(request, _("Your request is published."))
        except ServiceError as exc:
            apply_error(form, exc)
            if isinstance(exc, board_services.DuplicatePosting):
                existing = exc.posting
        else:
            return redirect(f"exchange:{kind}", posting.pk)
    return render(
        request,
        "exchange/posting_form.html",
        {
            "form": form,
            "kind": kind,
            "posting": posting,
            "existing": existing,
            "joined": queries.has_joined(person),
        },
    )


@login_required
def new_offer(request: HttpRequest) -> HttpResponse:
    return _publish(request, "offer")


@login_required
def new_request(request: HttpRequest) -> HttpResponse:
    return _publish(request, "request")


def _mine_or_404(model: Any, pk: int, request: HttpRequest) -> Any:
    posting = get_object_or_404(model, pk=pk)
    if posting.person_id != me(request).pk:
        raise Http404
    return posting


@login_required
def edit_offer(request: HttpRequest, pk: int) -> HttpResponse:
    return _publish(request, "offer", _mine_or_404(Offer, pk, request))


@login_required
def edit_request(request: HttpRequest, pk: int) -> HttpResponse:
    return _publish(request, "request", _mine_or_404(Request, pk, request))


def _visible(model: Any, pk: int, request: HttpRequest) -> Any:
    """A posting: its author always sees it; others while it is open or paused."""
    posting = get_object_or_404(
        model.objects.select_related("person__team__department", "site").prefetch_related(
            "skills__domain"
        ),
        pk=pk,
    )
    if posting.person_id != me(request).pk and posting.state not in queries.LIVE:
        raise Http404
    return posting


@login_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _visible(Offer, pk, request)
    person = me(request)
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
    person = me(request)
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
def set_state(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    posting = _mine_or_404(Offer if kind == "offer" else Request, pk, request)
    try:
        if request.POST.get("state") == "renew" and isinstance(posting, Request):
            board_services.renew_request(person=me(request), request=posting)
            messages.success(request, _("Renewed: your request stays on the board."))
        else:
            board_services.set_state(
                person=me(request), posting=posting, state=request.POST.get("state", "")
            )
            messages.success(request, _("Saved."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect_next(request, "exchange:mine")


@require_POST
@login_required
def propose(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Ask for an offer (as learner), answer a request (as teacher, with one of my offers or
    none), or, on my own request, propose one of the suggested offers."""
    person = me(request)
    try:
        if kind == "offer":
            chosen_request = request.POST.get("request")
            exchange = exchange_services.propose(
                by=person,
                offer=get_object_or_404(Offer, pk=pk),
                request=queries.my_requests(person).filter(pk=chosen_request).first()
                if chosen_request
                else None,
                learner=person,
            )
        else:
            wanted = get_object_or_404(Request, pk=pk)
            chosen_offer = request.POST.get("offer")
            if wanted.person_id == person.pk:
                if not chosen_offer:
                    raise ServiceError(_("Choose an offer."), field="offer")
                exchange = exchange_services.propose(
                    by=person,
                    offer=get_object_or_404(Offer, pk=chosen_offer),
                    request=wanted,
                    learner=person,
                )
            else:
                exchange = exchange_services.propose(
                    by=person,
                    offer=queries.my_offers(person).filter(pk=chosen_offer).first()
                    if chosen_offer
                    else None,
                    request=wanted,
                    teacher=person,
                )
    except exchange_services.AlreadyUnderWay as exc:
        messages.info(request, exc.message)
        return redirect("exchange:exchange", exc.exchange.pk)  # the one under way
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(f"exchange:{kind}", pk)
    messages.success(request, _("Proposed: the other person will accept or decline."))
    return redirect("exchange:exchange", exchange.pk)
