"""The animator's pages: matching runs and their review, the network's settings, fairs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.core.web import on_form, page_of, perm_page, redirect_next, refusals_go_to
from sylva.exchange import queries
from sylva.exchange.forms import SettingsForm
from sylva.exchange.matching_data import OBSERVER, explain, reasons_from_json
from sylva.exchange.models import ANIMATE, Exchange, ExchangeSettings, MatchRun, Proposal
from sylva.exchange.services import board as board_services
from sylva.exchange.services import runs as run_services
from sylva.people.web import current_person


@perm_page(ANIMATE)
def runs(request: HttpRequest) -> HttpResponse:
    current = ExchangeSettings.load()
    form = SettingsForm(
        request.POST or None,
        initial={
            "joining_requires_both": current.joining_requires_both,
            "request_expiry_days": current.request_expiry_days,
            "default_capacity": current.default_capacity,
            "send_directly": current.send_directly,
        },
    )
    saved = None
    if request.method == "POST" and form.is_valid():
        saved = on_form(form, lambda: board_services.update_settings(**form.cleaned_data))
    if saved is not None:
        messages.success(request, _("Settings saved."))
        return redirect("exchange:runs")
    return render(
        request,
        "exchange/runs.html",
        {
            "form": form,
            "page": page_of(request, MatchRun.objects.select_related("started_by")),
            "counts": [
                (Exchange.State(state).label, state, count)
                for state, count in queries.exchange_counts().items()
            ],
            "open_requests": queries.open_request_count(),
        },
    )


@require_POST
@perm_page(ANIMATE)
def start_run(request: HttpRequest) -> HttpResponse:
    run = run_services.run_matching(started_by=current_person(request))
    messages.success(
        request,
        _("Run computed: %(n)d proposals.") % {"n": run.proposals.count()},
    )
    return redirect("exchange:run", run.pk)


@perm_page(ANIMATE)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(MatchRun, pk=pk)
    proposals = run.proposals.select_related(
        "request__person__team__department", "offer__person__team__department"
    ).prefetch_related("request__skills")
    page = page_of(request, proposals)
    for p in page.object_list:
        p.explained = explain(
            reasons_from_json(p.reasons),
            side=OBSERVER,
            learner=p.request.person.full_name,
            teacher=p.offer.person.full_name,
        )
    return render(request, "exchange/run.html", {"run": run, "page": page})


def _proposal_run(request: HttpRequest, pk: int) -> str:
    return reverse("exchange:run", args=[get_object_or_404(Proposal, pk=pk).run_id])


@require_POST
@perm_page(ANIMATE)
@refusals_go_to(_proposal_run)
def review_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk)
    run_services.review_proposal(
        proposal=proposal, approve=request.POST.get("approve") == "1", by=current_person(request)
    )
    return redirect_next(request, reverse("exchange:run", args=[proposal.run_id]))


@require_POST
@perm_page(ANIMATE)
@refusals_go_to(lambda request, pk: reverse("exchange:run", args=[pk]))
def send_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(MatchRun, pk=pk)
    if request.POST.get("discard"):
        run_services.discard_run(run=run)
        messages.success(request, _("Run discarded."))
    else:
        n = run_services.send_run(run=run, by=current_person(request))
        messages.success(request, _("%(n)d proposals sent.") % {"n": n})
    return redirect_next(request, reverse("exchange:run", args=[pk]))
