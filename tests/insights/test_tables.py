"""Every table of the pages is one entry of a registry (sylva.insights.tables.REGISTRY):
the CSV export and the API serve exactly its names, and refuse any other clearly."""

from __future__ import annotations

import ast
import inspect

from django.test import Client

from sylva.insights import services, tables
from tests.insights.conftest import Activity


def test_the_list_of_tables_is_the_registry() -> None:
    assert tuple(tables.REGISTRY) == tables.TABLES
    assert len(tables.TABLES) == 14


def test_no_table_is_chosen_by_comparing_its_name() -> None:
    """A new table is a registered function, not one more branch of an if-chain."""
    tree = ast.parse(inspect.getsource(tables))
    compared = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and any(isinstance(c, ast.Constant) and c.value in tables.TABLES for c in node.comparators)
    ]
    assert compared == []


def test_every_table_is_served_as_csv_and_json(activity: Activity, login) -> None:  # type: ignore[no-untyped-def]
    services.compute_snapshot(window_days=90)
    client: Client = login(activity.org.animator)
    for name in tables.TABLES:
        csv = client.get(f"/insights/export/{name}.csv")
        assert csv.status_code == 200, name
        assert csv["Content-Type"].startswith("text/csv")
        header = csv.content.decode().splitlines()[0]
        api = client.get(f"/api/v1/insights/tables/{name}")
        assert api.status_code == 200, name
        assert ",".join(api.json()["header"]) == header, name


def test_an_unknown_table_is_refused_on_both(activity: Activity, login) -> None:  # type: ignore[no-untyped-def]
    services.compute_snapshot(window_days=90)
    client: Client = login(activity.org.animator)
    assert client.get("/insights/export/nope.csv").status_code == 404
    refused = client.get("/api/v1/insights/tables/nope")
    assert refused.status_code == 404
    assert refused.json()["errors"][0]["field"] == "name"
