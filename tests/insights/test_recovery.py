"""The insights find what was planted in a generated company, seeing only the event log,
the org chart and the skills."""

from __future__ import annotations

import pytest

from sylva.insights import services
from sylva.insights.planting import plant, score
from sylva.people.seed import generate_company


@pytest.fixture
def planted(db: None):  # type: ignore[no-untyped-def]
    generate_company(people=400, seed=11, events_per_person=20, workers=0)
    return plant(seed=11)


def test_planted_structures_are_recovered(planted) -> None:  # type: ignore[no-untyped-def]
    snapshot = services.compute_snapshot(window_days=180)
    results = {r.kind: r for r in score(planted, snapshot.findings)}
    assert set(results) == {
        "silo departments",
        "hidden experts",
        "should-talk pairs",
        "single-holder skills",
    }
    for r in results.values():
        assert r.planted > 0
        assert r.recall >= 0.9, r
        assert r.precision >= 0.5, r


def test_insights_never_read_the_planting_module() -> None:
    from pathlib import Path

    import sylva.insights

    root = Path(sylva.insights.__file__).parent
    for path in root.rglob("*.py"):
        if path.name == "apps.py":  # the pillar's contract names it for `sylva seed --plant`
            text = path.read_text().replace('planting = "sylva.insights.planting.plant"', "")
            assert "planting" not in text, path
        elif path.name != "planting.py":
            assert "planting" not in path.read_text(), path
