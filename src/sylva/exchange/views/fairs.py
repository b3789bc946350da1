"""Live exchange fairs: open one (animator), post and match from a phone, see it fill in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sylva.core.errors import ServiceError
from sylva.core.web import on_form, page_of, perm_page, refusals_go_to
from sylva.exchange.forms import FairForm, OfferForm, RequestForm
from sylva.exchange.matching_data import suggestions_for
from sylva.exchange.models import ANIMATE, Fair, Offer, Request
from sylva.exchange.services import board as board_services
from sylva.exchange.services import exchanges as exchange_services
from sylva.exchange.services import fairs as fair_services
from sylva.exchange.views.board import _posting_kwargs
from sylva.people.forms import SkillChoiceField
from sylva.people.models import Person, Skill
from sylva.people.web import current_person


def _back(request: HttpRequest, pk: int, **kwargs: Any) -> str:
    return reverse("exchange:fair", args=[pk])


class PairForm(forms.Form):
    teacher = forms.ModelChoiceField(label=gettext_lazy("Teacher"), queryset=Person.objects.none())
    learner = forms.ModelChoiceField(label=gettext_lazy("Learner"), queryset=Person.objects.none())
    skill = SkillChoiceField(label=gettext_lazy("Skill"), queryset=Skill.objects.none())

    def __init__(self, *args: Any, fair: Fair, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offers = Offer.objects.filter(fair=fair)
        requests = Request.objects.filter(fair=fair)
        ids = set(offers.values_list("person_id", flat=True)) | set(
            requests.values_list("person_id", flat=True)
        )
        people = Person.objects.filter(pk__in=ids).order_by("last_name", "first_name")
        self.fields["teacher"].queryset = people  # type: ignore[attr-defined]
        self.fields["learner"].queryset = people  # type: ignore[attr-defined]
        self.fields["skill"].queryset = (  # type: ignore[attr-defined]
            Skill.objects.filter(
                pk__in=[
                    *offers.values_list("skills", flat=True),
                    *requests.values_list("skills", flat=True),
                ]
            )
            .select_related("domain")
            .order_by("name_fr")
        )


@login_required
def fairs(request: HttpRequest) -> HttpResponse:
    form = FairForm(request.POST or None)
    can_open = request.user.has_perm(ANIMATE)
    if request.method == "POST" and can_open and form.is_valid():
        person = current_person(request)
        fair = on_form(form, lambda: fair_services.open_fair(animator=person, **form.cleaned_data))
        if fair is not None:
            return redirect("exchange:fair", fair.pk)
    return render(
        request,
        "exchange/fairs.html",
        {
            "form": form,
            "can_open": can_open,
            "page": page_of(request, Fair.objects.select_related("site", "animator")),
        },
    )


def _live_context(request: HttpRequest, fair: Fair) -> dict[str, Any]:
    person = current_person(request)
    fair_offers = Offer.objects.filter(fair=fair, state=Offer.State.OPEN)
    mine = Request.objects.filter(fair=fair, person=person, state=Request.State.OPEN)
    matches = []
    unmatched = []  # my requests at the fair that nothing fits yet: the board instead
    for wanted in mine.prefetch_related("skills"):
        found = suggestions_for(wanted, limit=3, offers=fair_offers)
        matches += [(wanted, s) for s in found]
        if not found:
            unmatched.append(wanted)
    return {
        "fair": fair,
        "offers": fair_offers.select_related("person").prefetch_related("skills")[:50],
        "requests": Request.objects.filter(fair=fair, state=Request.State.OPEN)
        .select_related("person")
        .prefetch_related("skills")[:50],
        "matches": matches,
        "unmatched": unmatched,
        "summary": fair_services.summary(fair),
        "me": person,
    }


def _fair_page(request: HttpRequest, found: Fair, **forms_given: Any) -> HttpResponse:
    """The fair's page, its two posting forms blank, or as sent with their errors."""
    person = current_person(request)
    initial = {"site": found.site, "language": person.language or settings.LANGUAGE_CODE}
    context = _live_context(request, found)
    context.update(
        offer_form=OfferForm(prefix="offer", initial=initial),
        request_form=RequestForm(prefix="request", initial=initial),
        can_animate=request.user.has_perm(ANIMATE),
        pair_form=PairForm(fair=found),
    )
    context.update(forms_given)
    return render(request, "exchange/fair.html", context)


@login_required
def fair(request: HttpRequest, pk: int) -> HttpResponse:
    return _fair_page(
        request, get_object_or_404(Fair.objects.select_related("site", "animator"), pk=pk)
    )


@login_required
def fair_live(request: HttpRequest, pk: int) -> HttpResponse:
    """The fair's live part (polled every 5 s while it is open or about to open; a read:
    it writes nothing). Once the fair is closed, the answer carries no polling: it stops."""
    found = get_object_or_404(Fair.objects.select_related("site"), pk=pk)
    context = _live_context(request, found)
    context["posting_open"] = request.GET.get("forms") == "1" and found.is_open
    return render(request, "exchange/_fair_live.html", context)


def _post_at_fair(person: Person, found: Fair, form: Any, confirmed: bool) -> Any:
    """Publish the offer or request of a valid form at the fair: the board's rules
    (offering implies knowing, a request on a skill already being learnt says so)."""
    kwargs = _posting_kwargs(form.cleaned_data)
    if isinstance(form, OfferForm):
        return board_services.publish_offer(
            person=person,
            fair=found,
            capacity=form.cleaned_data["capacity"],
            levels=form.levels(),
            **kwargs,
        )
    return board_services.publish_request(
        person=person, fair=found, confirm_under_way=confirmed, **kwargs
    )


@require_POST
@login_required
@refusals_go_to(_back)
def fair_post(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Post at an open fair; refused, the fair's page again with the form as sent, its
    errors, the levels to give or the exchange already under way."""
    found = get_object_or_404(Fair.objects.select_related("site", "animator"), pk=pk)
    fair_services.check_open(found)
    person = current_person(request)
    form: Any = (
        OfferForm(request.POST, prefix="offer", person=person)
        if kind == "offer"
        else RequestForm(request.POST, prefix="request")
    )
    under_way: list[Any] = []

    def post() -> Any:
        try:
            return _post_at_fair(person, found, form, request.POST.get("confirm_under_way") == "1")
        except board_services.ExchangeUnderWay as exc:
            under_way.append(exc.exchange)
            raise

    if form.is_valid() and on_form(form, post) is not None:
        messages.success(request, _("Posted to the fair."))
        return redirect("exchange:fair", pk)
    name = "offer_form" if kind == "offer" else "request_form"
    return _fair_page(
        request, found, **{name: form, "under_way": under_way[0] if under_way else None}
    )


@require_POST
@login_required
@refusals_go_to(_back)
def fair_match(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Fair, pk=pk)
    person = current_person(request)
    fair_services.check_open(found)
    wanted = get_object_or_404(Request, pk=request.POST.get("request"), person=person)
    offer = get_object_or_404(Offer, pk=request.POST.get("offer"), fair=found)
    try:
        exchange = fair_services.propose_at_fair(
            found, by=person, offer=offer, request=wanted, learner=person, origin="fair"
        )
    except exchange_services.AlreadyUnderWay as exc:
        messages.info(request, exc.message)
        return redirect("exchange:exchange", exc.exchange.pk)
    return redirect("exchange:exchange", exchange.pk)


@require_POST
@perm_page(ANIMATE)
@refusals_go_to(_back)
def fair_pair(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Fair, pk=pk)
    form = PairForm(request.POST, fair=found)
    if not form.is_valid():
        raise ServiceError(_("Choose a teacher, a learner and a skill."))
    fair_services.pair_by_hand(animator=current_person(request), fair=found, **form.cleaned_data)
    messages.success(request, _("Put in touch: both will accept or decline."))
    return redirect("exchange:fair", pk)


@require_POST
@perm_page(ANIMATE)
@refusals_go_to(_back)
def fair_close(request: HttpRequest, pk: int) -> HttpResponse:
    fair_services.close_fair(fair=get_object_or_404(Fair, pk=pk))
    return redirect("exchange:fair", pk)
