"""`sylva enqueue TASK`: hand one of Sylva's background tasks to the task queue (or run it now).

Django's tasks API runs tasks but does not schedule them; cron (or any scheduler) calls this
command at the times docs/operations.md gives, and `sylva db_worker` executes the queue.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_tasks.base import Task

from sylva.core.pillars import pillars


def sylva_tasks() -> dict[str, Task[Any, Any]]:
    """Every task of the pillars' ``tasks`` modules (their contract names them), by dotted
    path (``sylva.exchange.tasks.send_reminders``)."""
    found: dict[str, Task[Any, Any]] = {}
    for config in pillars():
        module = config.task_module()
        if module is None:
            continue
        for name, value in vars(module).items():
            if isinstance(value, Task):
                found[f"{module.__name__}.{name}"] = value
    return dict(sorted(found.items()))


class Command(BaseCommand):
    help = "Enqueue one of Sylva's background tasks (for cron), or run it now with --now."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "task", nargs="?", help="dotted path, e.g. sylva.exchange.tasks.send_reminders"
        )
        parser.add_argument("--list", action="store_true", help="list Sylva's tasks and stop")
        parser.add_argument(
            "--now", action="store_true", help="run in this process, not on a worker"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tasks = sylva_tasks()
        if options["list"]:
            for path, listed in tasks.items():
                summary = (listed.func.__doc__ or "").strip().splitlines()
                self.stdout.write(f"{path}\t{summary[0] if summary else ''}")
            return
        path = options["task"]
        if not path:
            raise CommandError("Name a task; `sylva enqueue --list` shows them.")
        task = tasks.get(path)
        if task is None:
            raise CommandError(
                f"{path} is not one of Sylva's tasks; `sylva enqueue --list` shows them."
            )
        if options["now"]:
            self.stdout.write(f"{path}: {task.call()!r}")
            return
        result = task.enqueue()
        self.stdout.write(f"{path}: enqueued as {result.id}")
