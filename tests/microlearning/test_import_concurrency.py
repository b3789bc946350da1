"""Two imports of the same module at the same moment, on PostgreSQL with real concurrent
connections: the module's row lock serialises them, the second sees the first's cards (so no
card is created twice, none matched to stale rows), a preview's token is applied once, and
two creations of the same new module give one module and a clear 409 — never a 500."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.db import connection

from sylva.microlearning.models import Card, Module
from sylva.microlearning.services import content, imports
from tests.concurrency import ON_POSTGRES, at_once, outcomes
from tests.factories import Org
from tests.microlearning.conftest import SAFETY

pytestmark = ON_POSTGRES


def _race(monkeypatch: pytest.MonkeyPatch, calls: list[Callable[[], object]]) -> list[str]:
    """Run ``calls`` at the same moment, each on its own connection, every plan slowed so
    that all of them plan before any writes (unless a lock makes them wait)."""
    real = imports.plan

    def slow(**kwargs):  # type: ignore[no-untyped-def]
        found = real(**kwargs)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(imports, "plan", slow)
    return [o.replace("won", "saved") for o in outcomes(at_once(calls))]


def test_one_preview_is_applied_once_and_the_other_import_sees_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql"
    org = Org()
    module = content.save_text(author=org.designer, user=org.designer.user, text=SAFETY)
    text = content.export_text(module) + "\n## lesson: Ajoutée\nUne carte de plus.\n"
    plan = content.preview_text(author=org.designer, user=org.designer.user, text=text)

    def save() -> object:
        return content.save_text(
            author=org.designer, user=org.designer.user, text=text, token=plan.token
        )

    assert _race(monkeypatch, [save] * 4) == ["refused 409"] * 3 + ["saved"]
    assert Card.objects.filter(module=module, title="Ajoutée").count() == 1
    # without a token, the same file imported four times at once still adds the card once:
    # each import plans after the previous one committed, and finds the card by its key
    keyed = content.export_text(module)

    def again() -> object:
        return content.save_text(author=org.designer, user=org.designer.user, text=keyed)

    assert _race(monkeypatch, [again] * 4) == ["saved"] * 4
    assert Card.objects.filter(module=module).count() == 5


def test_two_creations_of_the_same_module_give_one_module_and_a_409(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    org = Org()

    def create() -> object:
        return content.save_text(author=org.designer, user=org.designer.user, text=SAFETY)

    outcomes = _race(monkeypatch, [create] * 3)
    assert outcomes == ["refused 409"] * 2 + ["saved"]
    assert Module.objects.count() == 1 and Card.objects.count() == 4
