"""The data migration that gives every existing card a key, unique within its module."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("microlearning", "0002_content_version")]
AFTER = [("microlearning", "0003_card_key")]


@pytest.mark.django_db(transaction=True)
def test_existing_cards_get_a_key_unique_in_their_module() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Module, Card = old.get_model("microlearning", "Module"), old.get_model("microlearning", "Card")
    for code in ("a", "b"):
        module = Module.objects.create(code=code, title=code)
        for i in range(30):
            Card.objects.create(module=module, position=i, kind="lesson", title=f"{code}{i}")
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Card = new.get_model("microlearning", "Card")
    for code in ("a", "b"):
        keys = list(Card.objects.filter(module__code=code).values_list("key", flat=True))
        assert len(keys) == 30 and len(set(keys)) == 30 and all(keys)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
