"""Background work of insights (django-tasks). Recomputing twice only adds a snapshot."""

from __future__ import annotations

from django_tasks import task


@task()
def recompute_insights(window_days: int = 90) -> int:
    """Recompute every figure over the window and store a snapshot; returns its id."""
    from sylva.insights.services import compute_snapshot

    return compute_snapshot(window_days=window_days).pk


@task()
def recompute_all_windows() -> list[int]:
    from sylva.insights.services import WINDOWS, compute_snapshot

    return [compute_snapshot(window_days=w).pk for w in WINDOWS]
