"""`sylva match`: run the global matching now (an optimal assignment of all open requests,
plus reciprocity cycles), store it for an animator's review, and print what it found."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from sylva.exchange.models import Proposal
from sylva.exchange.services.runs import run_matching


class Command(BaseCommand):
    help = "Run the global matching of the exchange board and store its proposals."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "-k", type=int, default=20, help="candidate offers per request (default 20)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        k = options["k"]
        if not 1 <= k <= 200:
            raise CommandError("-k must be between 1 and 200")
        console = Console(file=cast(IO[str], self.stdout))
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            step = progress.add_task("…", total=None)
            run = run_matching(k=k, step=lambda label: progress.update(step, description=label))
        proposals = run.proposals
        table = Table(title=f"Matching run #{run.pk}")
        table.add_column("")
        table.add_column("", justify="right")
        table.add_row("open requests", str(run.requests))
        table.add_row("open offers", str(run.offers))
        table.add_row("candidates", str(run.candidates))
        table.add_row("assigned pairs", str(proposals.filter(cycle__isnull=True).count()))
        table.add_row("reciprocity cycles", str(run.cycles))
        table.add_row("total score", f"{run.total_score:.1f}")
        table.add_row(
            "proven optimal", "yes" if run.optimal else "no (best found within the time limit)"
        )
        table.add_row("seconds", f"{run.seconds:.2f}")
        table.add_row(
            "state",
            "sent" if proposals.filter(state=Proposal.State.APPROVED).exists() else run.state,
        )
        console.print(table)
