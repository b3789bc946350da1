"""Background work of the microlearning pillar (django-tasks)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django_tasks import task

from sylva.microlearning.services.fitting import refit


@task()
def refit_fsrs_parameters(min_reviews: int = 1000) -> dict[str, Any]:
    """Refit FSRS to the organisation's reviews; returns the report (log losses, parameters)."""
    return asdict(refit(min_reviews=min_reviews))
