"""Background work of the microlearning pillar (django-tasks)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django_tasks import task

from sylva.microlearning.services.challenges import close_expired
from sylva.microlearning.services.fitting import refit
from sylva.microlearning.services.nudges import nudge


@task()
def refit_fsrs_parameters(min_reviews: int = 1000) -> dict[str, Any]:
    """Refit FSRS to the organisation's reviews; returns the report (log losses, parameters)."""
    return asdict(refit(min_reviews=min_reviews))


@task()
def send_nudges() -> int:
    """Remind the learners whose daily rendez-vous time has come and who have cards today
    (cron: every 15 minutes); returns how many reminders were composed."""
    return nudge()


@task()
def close_expired_duels() -> int:
    """Close the duel invitations and unfinished duels past their expiry, telling the
    challengers (cron: every hour; idempotent); returns how many were closed."""
    return close_expired()
