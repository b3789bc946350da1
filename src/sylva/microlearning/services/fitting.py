"""Refit FSRS parameters to the organisation's own review history (``fsrs-rs-python``)
and compare the fitted parameters' log loss with the defaults'."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import fsrs_rs_python as fsrs_rs
from django.db import transaction
from django.utils import timezone

from sylva.microlearning.models import OrgMemorySettings, Review

MIN_REVIEWS = 1000  # below this, the defaults are the better guess


@dataclass
class FitReport:
    reviews: int
    items: int
    fitted: bool
    adopted: bool = False
    log_loss_default: float | None = None
    log_loss_fitted: float | None = None
    rmse_default: float | None = None
    rmse_fitted: float | None = None
    parameters: list[float] | None = None
    reason: str = ""


def training_items(min_reviews_per_item: int = 2) -> tuple[int, list[fsrs_rs.FSRSItem]]:
    """One FSRSItem per review that has a history: the ratings so far and the days elapsed
    between them (the first review of a card has delta 0)."""
    histories: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    last: dict[tuple[int, int], date] = {}
    count = 0
    rows = (
        Review.objects.filter(context=Review.Context.TODAY, rating__isnull=False)
        .order_by("person_id", "card_id", "reviewed_at")
        .values_list("person_id", "card_id", "rating", "reviewed_at")
        .iterator(chunk_size=20_000)
    )
    for person_id, card_id, rating, when in rows:
        key = (person_id, card_id)
        previous = last.get(key)
        delta = 0 if previous is None else max(0, (when.date() - previous).days)
        histories[key].append((int(rating or 0), delta))
        last[key] = when.date()
        count += 1
    items: list[fsrs_rs.FSRSItem] = []
    for reviews in histories.values():
        for end in range(min_reviews_per_item, len(reviews) + 1):
            if reviews[end - 1][1] > 0:
                items.append(fsrs_rs.FSRSItem([fsrs_rs.FSRSReview(r, d) for r, d in reviews[:end]]))
    return count, items


def refit(*, min_reviews: int = MIN_REVIEWS) -> FitReport:
    """Fit, evaluate both parameter sets on the history, and adopt the fitted ones only when
    they predict it better. Idempotent: rerunning on the same history gives the same result."""
    count, items = training_items()
    report = FitReport(reviews=count, items=len(items), fitted=False)
    if count < min_reviews or not items:
        report.reason = f"{count} reviews; at least {min_reviews} are needed"
        return report
    default = fsrs_rs.FSRS(list(fsrs_rs.DEFAULT_PARAMETERS))
    parameters = list(default.compute_parameters(items))
    base = default.evaluate(items)
    fitted = fsrs_rs.FSRS(parameters).evaluate(items)
    report.fitted = True
    report.parameters = [float(p) for p in parameters]
    report.log_loss_default, report.rmse_default = float(base.log_loss), float(base.rmse_bins)
    report.log_loss_fitted, report.rmse_fitted = float(fitted.log_loss), float(fitted.rmse_bins)
    report.adopted = report.log_loss_fitted <= report.log_loss_default
    _save(report)
    return report


@transaction.atomic
def _save(report: FitReport) -> None:
    row = OrgMemorySettings.for_update()
    if report.adopted and report.parameters:
        row.parameters = report.parameters
    row.fitted_at = timezone.now()
    row.fitted_reviews = report.reviews
    row.log_loss_default = report.log_loss_default
    row.log_loss_fitted = report.log_loss_fitted
    row.save()
