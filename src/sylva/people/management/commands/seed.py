"""`sylva seed`: generate the demo company, Boréal Emballages (see sylva.people.seed)."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import ProtectedError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sylva.core.errors import ServiceError
from sylva.core.pillars import pillars
from sylva.people.seed import (
    MIN_PEOPLE,
    SeedSummary,
    demo_accounts,
    generate_company,
    reset_company,
)


def seed_pillars(*, seed: int, progress: Progress | None) -> dict[str, int]:
    """Each pillar's demo content (its contract's ``demo``), in the order of INSTALLED_APPS,
    on top of the generated company."""
    counts: dict[str, int] = {}
    for config in pillars():
        counts.update(config.seed_demo(seed=seed, progress=progress))
    return counts


def plant(*, seed: int, progress: Progress | None) -> dict[str, int]:
    """Plant the patterns insights must recover (each pillar's contract's ``planting``)."""
    planters = [config for config in pillars() if config.planting is not None]
    if not planters:
        raise CommandError("--plant needs a pillar that plants patterns (insights does).")
    counts: dict[str, int] = {}
    for config in planters:
        counts.update(config.plant(seed=seed, progress=progress))
    return counts


class Command(BaseCommand):
    help = "Generate the demo company (people, teams, skills and a history of learning events)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people",
            type=int,
            default=300,
            help=f"how many people (at least {MIN_PEOPLE}; default 300)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=42,
            help="random seed: the same seed gives the same company (default 42)",
        )
        parser.add_argument(
            "--events-per-person",
            type=int,
            default=20,
            help="learning events per person on average, over 180 days",
        )
        parser.add_argument(
            "--plant",
            action="store_true",
            help="also plant known patterns (silos, hidden experts…) that insights must find",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the existing organisation, people and events first",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        people, per_person = options["people"], options["events_per_person"]
        if people < MIN_PEOPLE:
            raise CommandError(f"--people must be at least {MIN_PEOPLE} (got {people}).")
        if per_person < 0:
            raise CommandError(f"--events-per-person cannot be negative (got {per_person}).")
        console = Console(file=getattr(self.stdout, "_out", sys.stdout))
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        )
        started = time.perf_counter()
        try:
            with progress, transaction.atomic():
                if options["reset"]:
                    reset_company()
                summary = generate_company(
                    people=people,
                    seed=options["seed"],
                    events_per_person=per_person,
                    progress=progress,
                )
                pillars = seed_pillars(seed=options["seed"], progress=progress)
                if options["plant"]:
                    pillars.update(plant(seed=options["seed"], progress=progress))
        except ServiceError as e:
            raise CommandError(e.message) from e
        except ProtectedError as e:
            raise CommandError(
                f"Cannot reset: other records still use the organisation ({e})."
            ) from e
        # The elapsed time includes the reset and the commit.
        self._report(console, replace(summary, seconds=time.perf_counter() - started), pillars)

    def _report(self, console: Console, summary: SeedSummary, pillars: dict[str, int]) -> None:
        table = Table(title="Boréal Emballages")
        table.add_column("")
        table.add_column("count", justify="right")
        for label, value in summary.rows():
            table.add_row(label, value)
        for label, count in pillars.items():
            table.add_row(label, f"{count:,}")
        console.print(table)
        accounts = Table(title="Demo accounts (password: sylva-demo)")
        for column in ("username", "persona", "name", "team"):
            accounts.add_column(column)
        for a in demo_accounts():
            accounts.add_row(a["username"], a["persona_en"], a["full_name"], a["team"])
        console.print(accounts)
