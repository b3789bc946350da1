"""`sylva enqueue`: what cron calls to put Sylva's background tasks on the queue."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult


def run(*args: str) -> str:
    out = StringIO()
    call_command("enqueue", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_list_names_every_scheduled_task() -> None:
    listed = run("--list")
    for path in (
        "sylva.exchange.tasks.send_reminders",
        "sylva.exchange.tasks.expire_requests",
        "sylva.exchange.tasks.welcome_newcomers",
        "sylva.exchange.tasks.run_matching",
        "sylva.insights.tasks.recompute_insights",
        "sylva.microlearning.tasks.refit_fsrs_parameters",
    ):
        assert path in listed


@pytest.mark.django_db
def test_a_task_is_enqueued_for_the_worker() -> None:
    said = run("sylva.exchange.tasks.expire_requests")
    assert "enqueued as" in said
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "sylva.exchange.tasks.expire_requests"


@pytest.mark.django_db
def test_now_runs_it_in_this_process() -> None:
    assert run("sylva.exchange.tasks.expire_requests", "--now").strip().endswith(": 0")
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["os.system", "sylva.exchange.tasks.nothing", ""])
def test_anything_else_is_refused_and_nothing_is_queued(path: str) -> None:
    with pytest.raises(CommandError, match="sylva enqueue --list"):
        run(*([path] if path else []))
    assert not DBTaskResult.objects.exists()
