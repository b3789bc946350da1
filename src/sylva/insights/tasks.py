"""Background work of insights, as ``sylva enqueue`` lists it (django-tasks). Each task is
declared beside the service it runs, so that the services enqueue it without importing up
a layer; recomputing twice only adds a snapshot."""

from __future__ import annotations

from sylva.insights.services import recompute_all_windows, recompute_insights

__all__ = ["recompute_all_windows", "recompute_insights"]
