"""The snapshot's findings are typed (sylva.insights.findings): read from the stored JSON in
one place, written back the same, and an older stored row still loads."""

from __future__ import annotations

import dataclasses
import json
import re
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sylva.insights
from sylva.insights import findings as f
from sylva.insights import services
from sylva.insights.findings import Figures, Findings
from tests.insights.conftest import Activity

SCALARS: dict[Any, st.SearchStrategy[Any]] = {
    int: st.integers(-(2**40), 2**40),
    float: st.floats(allow_nan=False, allow_infinity=False, width=64),
    bool: st.booleans(),
    str: st.text(max_size=8),
}


def _strategy(hint: Any) -> st.SearchStrategy[Any]:
    """Values of a findings type: dataclasses built field by field, JSON-able scalars."""
    if hint in SCALARS:
        return SCALARS[hint]
    if dataclasses.is_dataclass(hint):
        hints = get_type_hints(hint, vars(f))
        return st.builds(
            hint, **{x.name: _strategy(hints[x.name]) for x in dataclasses.fields(hint)}
        )
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        return st.one_of(*(_strategy(a) for a in args))
    if hint is type(None):
        return st.none()
    if origin is tuple and args[-1] is Ellipsis:
        return st.lists(_strategy(args[0]), max_size=3).map(tuple)
    if origin is tuple:
        return st.tuples(*(_strategy(a) for a in args))
    if origin in (Mapping, dict):
        keys = _strategy(args[0]) if args[0] is int else st.text(max_size=6)
        return st.dictionaries(keys, _strategy(args[1]), max_size=3)
    raise AssertionError(f"no strategy for {hint!r}")


@settings(max_examples=60, deadline=None)
@given(_strategy(Findings))
def test_findings_survive_the_round_trip_through_json(found: Findings) -> None:
    stored = json.loads(json.dumps(found.to_json()))  # what the JSON column gives back
    assert Findings.from_json(stored) == found


@settings(max_examples=60, deadline=None)
@given(_strategy(Figures))
def test_a_scopes_figures_survive_the_round_trip_through_json(figures: Figures) -> None:
    assert Figures.from_json(json.loads(json.dumps(figures.to_json()))) == figures


def test_a_small_scope_and_a_figure_on_few_people_are_withheld() -> None:
    assert Figures.from_json({"headcount": 3, "hidden": True}).withheld("ei")
    shown = Figures.from_json(
        {"headcount": 9, "ei": 0.2, "few": ["hill_learner"], "trend": [{"events": 4}]}
    )
    assert not shown.withheld("ei") and shown.value("ei") == 0.2
    assert shown.withheld("hill_learner_p25") and shown.trend[0].in_work_share is None
    with pytest.raises(KeyError):
        shown.value("withheld")


def test_an_older_snapshot_loads_with_defaults() -> None:
    """A row stored before a finding existed, or with fewer fields per row, still loads: what
    it lacks takes its default, in from_json only."""
    old = {
        "silos": {"tied_people": 3},  # too few tied people: no communities computed
        "hidden_experts": [{"person": 7, "skill": 2, "helped": 6, "moments": 9}],
        "team_introductions": [{"team_a": 1, "team_b": 2, "a_to_b": [5], "b_to_a": []}],
        "structures": [{"kind": "community", "domain": 4, "people": 6, "teams": 3}],
        "knowledge_map": [[2, 1, 3]],
        "thanks": {"12": 4},
        "heat_map": {"org": {"skills": [2], "teams": [1], "cells": [[5]]}},
    }
    found = Findings.from_json(old)
    assert found.silos.tied_people == 3 and found.silos.ami_department is None
    assert found.silos.silo_departments == () and not found.silos.warning
    assert found.team_introductions[0].score == 0.0
    assert found.team_introductions[0].a_to_b == (5,)
    assert found.structures[0].skill is None and found.structures[0].domain == 4
    assert found.knowledge_map[0] == f.KnowledgeCell(skill=2, site=1, holders=3)
    assert found.thanks == {12: 4}
    assert found.heat("org") == f.HeatMap(skills=(2,), teams=(1,), cells=((5,),))
    assert found.heat("3") is None
    assert found.brokers == () and found.network_map == f.NetworkMap()
    assert Findings.from_json({}) == Findings()


def test_a_computed_snapshot_stores_its_findings_as_they_are_read(activity: Activity) -> None:
    snapshot = services.compute_snapshot(window_days=90)
    snapshot.refresh_from_db()
    assert Findings.from_json(snapshot.data) == snapshot.findings
    assert snapshot.findings.to_json() == snapshot.data


def test_only_the_findings_module_reads_the_stored_json() -> None:
    """``Snapshot.data`` and ``ScopeFigure.data`` are read in one place (``.findings``,
    ``.figures``); a page, table or API reading them by key again would be a second copy of
    the format."""
    root = Path(sylva.insights.__file__).parent
    by_key = re.compile(r"snapshot\.data|\.data\.get\(|\.data\[")
    found = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        # metrics/ is arrays only (a sparse matrix's .data there is not a snapshot's)
        if not {"migrations", "metrics"} & set(path.parts) and by_key.search(path.read_text())
    ]
    assert found == []


@pytest.mark.parametrize("cls", [c for c in vars(f).values() if dataclasses.is_dataclass(c)])
def test_every_finding_is_frozen(cls: type) -> None:
    assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
