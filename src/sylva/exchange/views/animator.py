"""The animator's pages: matching runs and their review, the network's settings, fairs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.core.errors import ServiceError
from sylva.exchange import queries
from sylva.exchange.forms import SettingsForm
from sylva.exchange.matching_data import explain, reasons_from_json
from sylva.exchange.models import Exchange, ExchangeSettings, MatchRun, Proposal
from sylva.exchange.services import board as board_services
from sylva.exchange.services import runs as run_services
from sylva.exchange.views.common import apply_error, me, page_of
from sylva.people.views import perm_page

ANIMATE = "exchange.animate_exchange"


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
    if request.method == "POST" and form.is_valid():
        try:
            board_services.update_settings(**form.cleaned_data)
        except ServiceError as exc:
            apply_error(form, exc)
        else:
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
    run = run_services.run_matching(started_by=me(request))
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
        p.explained = explain(reasons_from_json(p.reasons))
    return render(request, "exchange/run.html", {"run": run, "page": page})


@require_POST
@perm_page(ANIMATE)
def review_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk)
    try:
        run_services.review_proposal(
            proposal=proposal, approve=request.POST.get("approve") == "1", by=me(request)
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("exchange:run", proposal.run_id)


@require_POST
@perm_page(ANIMATE)
def send_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(MatchRun, pk=pk)
    try:
        if request.POST.get("discard"):
            run_services.discard_run(run=run)
            messages.success(request, _("Run discarded."))
        else:
            n = run_services.send_run(run=run, by=me(request))
            messages.success(request, _("%(n)d proposals sent.") % {"n": n})
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("exchange:run", pk)
