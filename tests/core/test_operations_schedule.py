"""Every scheduled task of every pillar is in docs/operations.md: in its table of what to
run when, and in its crontab (a pillar that adds a periodic task and forgets the docs would
leave it never run in production). Tasks enqueued by Sylva itself are listed here."""

from __future__ import annotations

from pathlib import Path

from sylva.core.management.commands.enqueue import sylva_tasks

DOCS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
#: enqueued by Sylva's own code as things happen, never by cron
ON_EVENT = {
    "sylva.insights.tasks.recompute_insights": "the animator's Recompute button",
    "sylva.notifications.tasks.send_notification": "each notification, as it is made",
}


def test_every_periodic_task_is_scheduled_in_the_docs() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    missing = [
        name
        for name in sylva_tasks()
        if name not in ON_EVENT and (f"`{name}`" not in docs or f"enqueue {name}" not in docs)
    ]
    assert not missing, f"add these to docs/operations.md's table and crontab: {missing}"
    assert set(ON_EVENT) <= set(sylva_tasks()), "ON_EVENT names a task that is gone"
