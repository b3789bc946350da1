from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from sylva.microlearning import scheduling
from sylva.microlearning.models import Campaign, Module
from sylva.microlearning.services import campaigns, content
from tests.factories import Org

SAFETY = """---
code: safety-basics
title: Sécurité machine
topic: Sécurité
language: fr
minutes: 2
skills: [machine-safety]
---

## lesson: Avant de démarrer
Vérifiez les carters.

## single: Qui retire le cadenas de consignation ?
- [x] Celui qui l'a posé
- [ ] Le chef d'équipe
- [ ] N'importe qui
> Le cadenas est personnel.

## multiple: Quelles énergies isoler ?
- [x] Électricité
- [x] Air comprimé
- [ ] Lumière
> Toutes les énergies dangereuses.

## truefalse: L'arrêt d'urgence suffit pour intervenir.
- [ ] Vrai
- [x] Faux
> Il n'isole pas les énergies.
"""


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are checked in English (the French catalogue is tested in the browser)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """What a process keeps between requests (the quiet days of a streak) starts empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_fuzz(monkeypatch: pytest.MonkeyPatch) -> None:
    """Due dates without fuzzing, so that they can be compared with fsrs exactly."""
    monkeypatch.setattr(scheduling, "ENABLE_FUZZING", False)


@pytest.fixture
def module(org: Org) -> Module:
    m = content.save_text(author=org.designer, user=org.designer.user, text=SAFETY)
    return content.publish(actor=org.designer, module=m)


@pytest.fixture
def campaign(org: Org, module: Module) -> Campaign:
    """The module, for the extrusion team, 10 new cards a day."""
    return campaigns.save_campaign(
        creator=org.designer,
        name="Sécurité extrusion",
        modules=[module],
        starts_on=timezone.localdate() - timedelta(days=1),
        new_cards=10,
        teams=[org.extrusion],
    )


class Clock:
    """Moves ``django.utils.timezone.now`` (what the services read) to chosen moments."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now = self.now + timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)
