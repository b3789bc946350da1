"""The pillar contract's ``ways``: a frozen :class:`Way`, a pillar's module read through
``Pillar.ways_to_learn`` / ``ways_to_ask``, and :func:`pillars.ways_to_learn` grouping
every pillar's ways by kind, in the order of the pillars, best rank first."""

from __future__ import annotations

import dataclasses
import sys
import types

import pytest
from django.apps import apps

from sylva.core import pillars
from sylva.core.pillars import Way


def test_a_way_is_frozen_with_empty_defaults() -> None:
    way = Way("k", "Label", "Title", "/x/")
    assert (way.conditions, way.when, way.rank) == ((), None, 0.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        way.title = "other"  # type: ignore[misc]


def test_every_pillar_may_declare_ways_and_the_default_is_none() -> None:
    assert pillars.Pillar.ways is None
    declared = {c.label: c.ways for c in pillars.pillars() if c.ways}
    assert declared == {
        "people": "sylva.people.ways",
        "exchange": "sylva.exchange.ways",
        "microlearning": "sylva.microlearning.ways",
        "communities": "sylva.communities.ways",
    }


def test_ways_are_grouped_by_kind_in_the_order_of_the_pillars(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = types.ModuleType("first_ways")
    first.ways = lambda person, skill: [  # type: ignore[attr-defined]
        Way("a", "A", "low", "/1/", rank=0),
        Way("b", "B", "only", "/2/"),
        Way("a", "A", "high", "/3/", rank=5),
    ]
    first.asks = lambda person, skill: [Way("ask", "Ask", "ask here", "/ask/")]  # type: ignore[attr-defined]
    second = types.ModuleType("second_ways")
    second.ways = lambda person, skill: [Way("a", "A", "second", "/4/", rank=1)]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "first_ways", first)
    monkeypatch.setitem(sys.modules, "second_ways", second)
    configs = pillars.pillars()
    monkeypatch.setattr(pillars, "pillars", lambda: configs[:2])
    monkeypatch.setattr(type(configs[0]), "ways", "first_ways")
    monkeypatch.setattr(type(configs[1]), "ways", "second_ways")
    groups = pillars.ways_to_learn(None, None)
    assert [(g.kind, [w.title for w in g.ways]) for g in groups] == [
        ("a", ["high", "second", "low"]),
        ("b", ["only"]),
    ]
    assert [w.title for w in pillars.ways_to_ask(None, None)] == ["ask here"]


def test_a_pillar_without_ways_gives_none() -> None:
    config = apps.get_app_config("insights")
    assert isinstance(config, pillars.Pillar)
    assert config.ways is None
    assert config.ways_to_learn(None, None) == [] and config.ways_to_ask(None, None) == []
