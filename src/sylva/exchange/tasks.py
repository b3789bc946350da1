"""Background work of the exchange network (django-tasks): each task is one call to a
service. Every task is idempotent: run it twice, nothing happens twice."""

from __future__ import annotations

from django_tasks import task

from sylva.exchange.services import board, reminders, runs, welcome


@task()
def run_matching() -> int:
    """The scheduled global run; returns the id of the stored MatchRun."""
    return runs.run_matching().pk


@task()
def expire_requests() -> int:
    """Close requests past the organisation's delay; returns how many expired."""
    return board.expire_requests()


@task()
def welcome_newcomers() -> int:
    """Propose three cross-department exchanges to each newcomer in their first week."""
    return welcome.welcome_newcomers()


@task()
def send_reminders() -> dict[str, int]:
    """Ask for reconfirmation the day before an exchange, and for reviews after it."""
    return reminders.remind()
