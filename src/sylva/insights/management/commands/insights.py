"""`sylva insights`: recompute the ecosystem's health now and store snapshots, with a
progress bar; what the background task does, from the command line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sylva.core.errors import ServiceError
from sylva.insights.queries import WINDOWS
from sylva.insights.services import compute_snapshot

STEPS = ("help graph", "health", "silos", "introductions", "brokers", "pictures")


class Command(BaseCommand):
    help = "Recompute the insights (every window, or the ones given) and store snapshots."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--window",
            type=int,
            action="append",
            help=f"window in days, one of {', '.join(map(str, WINDOWS))} (repeatable)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        windows = options["window"] or list(WINDOWS)
        console = Console(file=self.stdout)  # type: ignore[arg-type]
        table = Table(title="Insights snapshots")
        for column in ("window", "people", "events", "seconds", "silo warning"):
            table.add_column(column, justify="right")
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            for window in windows:
                bar = progress.add_task(f"{window} days: reading", total=len(STEPS) + 2)

                def step(name: str, n: int, bar: Any = bar, window: int = window) -> None:
                    if name == "reading":
                        progress.update(bar, description=f"{window} days: reading")
                        return
                    progress.update(bar, advance=1, description=f"{window} days: {name}")

                try:
                    snapshot = compute_snapshot(window_days=window, step=step)
                except ServiceError as exc:
                    raise CommandError(exc.message) from exc
                progress.update(bar, completed=len(STEPS) + 2, description=f"{window} days: done")
                table.add_row(
                    str(window),
                    str(snapshot.people),
                    str(snapshot.events),
                    f"{snapshot.seconds:.1f}",
                    "yes" if snapshot.findings.silos.warning else "no",
                )
        console.print(table)
