"""Analytics for designers: modules, questions, knowledge gain, retention; CSV and SVG."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from sylva.core.web import perm_page
from sylva.microlearning import charts
from sylva.microlearning.models import Module
from sylva.microlearning.queries import analytics


@perm_page("microlearning.view_learning_analytics")
def overview(request: HttpRequest) -> HttpResponse:
    rows = [analytics.module_stats(m) for m in analytics.modules_overview()[:50]]
    return render(request, "microlearning/analytics.html", {"rows": rows})


@perm_page("microlearning.view_learning_analytics")
def module(request: HttpRequest, code: str) -> HttpResponse:
    stats = analytics.module_stats(get_object_or_404(Module, code=code))
    return render(
        request,
        "microlearning/analytics_module.html",
        {
            "stats": stats,
            "questions_chart": charts.bars(
                [(f"Q{q.card.position + 1}", q.correct_rate) for q in stats.questions],
                name=_("Correct rate per question"),
            ),
            "retention_chart": charts.bars(
                [(label, rate) for label, _n, rate in stats.retention],
                name=_("Retention over time"),
            ),
        },
    )


@perm_page("microlearning.view_learning_analytics")
def module_csv(request: HttpRequest, code: str) -> HttpResponse:
    module_ = get_object_or_404(Module, code=code)
    response = HttpResponse(
        analytics.module_csv(analytics.module_stats(module_)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{module_.code}-questions.csv"'
    return response
