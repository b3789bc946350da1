"""`sylva demo`: migrate, load the demo organisation once, print the demo accounts, serve."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.table import Table

from sylva.people.models import Person
from sylva.people.seed import PERSONAS, demo_accounts


def relax_second_factor(console: Console) -> None:
    """The demo accounts sign in with their password alone, in this process only (every other
    account, e.g. one made with createsuperuser, still follows the rule)."""
    settings.SYLVA_MFA_RELAXED_FOR = frozenset(p.username for p in PERSONAS)
    console.print(
        "[yellow]Demo:[/] the demo accounts sign in without a second factor "
        "(administrators need one everywhere else)."
    )


class Command(BaseCommand):
    help = "Migrate, load the demo organisation if the database is empty, and serve Sylva."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addrport", default="127.0.0.1:8000", help="Where to serve (default 127.0.0.1:8000)."
        )
        parser.add_argument(
            "--people", type=int, default=300, help="Size of the demo organisation (default 300)."
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Prepare the database and print the accounts, then stop.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console()
        console.print("[bold green]Sylva[/] · preparing the database…")
        if settings.SYLVA_SECRET_KEY_SOURCE in ("created", "file"):
            verb = "Generated" if settings.SYLVA_SECRET_KEY_SOURCE == "created" else "Using"
            console.print(
                f"{verb} a local secret key in {settings.SYLVA_SECRET_KEY_FILE} "
                "(a trial only: set SYLVA_SECRET_KEY in production)."
            )
        relax_second_factor(console)
        call_command("migrate", interactive=False, verbosity=0)
        if not Person.objects.exists():
            call_command("seed", people=options["people"])  # prints the demo accounts
        else:
            console.print("The database already holds an organisation: keeping it.")
            self._print_accounts(console, demo_accounts())
        if options["no_serve"]:
            return
        console.print(
            f"Open [bold]http://{options['addrport']}/[/] and sign in with an account above."
        )
        call_command("runserver", options["addrport"], use_reloader=False)

    def _print_accounts(self, console: Console, accounts: list[dict[str, str]]) -> None:
        table = Table(title="Demo accounts (password: sylva-demo)")
        for column in ("username", "password", "persona", "person"):
            table.add_column(column)
        for account in accounts:
            table.add_row(
                account["username"],
                account["password"],
                f"{account['persona_en']} / {account['persona_fr']}",
                f"{account['full_name']} · {account['team']}",
            )
        console.print(table)
