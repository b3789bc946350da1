"""The health figures of a snapshot, checked against the moments of the `activity` fixture
counted by hand."""

from __future__ import annotations

import pytest

from sylva.insights import services
from sylva.insights.models import ScopeFigure
from tests.insights.conftest import Activity


def _figures(kind: str, key: int = 0) -> dict:
    return ScopeFigure.objects.get(kind=kind, key=key).data


@pytest.fixture
def snapshot(activity: Activity):  # type: ignore[no-untyped-def]
    return services.compute_snapshot(window_days=30)


def test_organisation_circulation_counts_ties_between_departments(snapshot) -> None:  # type: ignore[no-untyped-def]
    org = _figures("org")
    # ties: Karim-Hélène, Mathilde-Op0, Hélène-Léa inside Production; Anne-Op1 across
    assert (org["ties_internal"], org["ties_external"]) == (3, 1)
    assert org["ei"] == pytest.approx(-0.5, abs=1e-4)
    # exchanges and answers: 3, of which one crosses departments (feedback is left out)
    assert org["cross_department_share"] == pytest.approx(1 / 3, abs=1e-4)
    assert org["ei_baseline_low"] <= org["ei_baseline"] <= org["ei_baseline_high"]


def test_team_ei_counts_ties_to_other_teams_as_external(activity: Activity, snapshot) -> None:  # type: ignore[no-untyped-def]
    team = _figures("team", activity.org.extrusion.pk)
    assert (team["ties_internal"], team["ties_external"]) == (2, 2)
    assert team["ei"] == pytest.approx(0.0, abs=1e-4)


def test_cooperation_figures(activity: Activity, snapshot) -> None:  # type: ignore[no-untyped-def]
    org = _figures("org")
    assert org["reciprocity"] == 0
    # gave: Karim, Mathilde, Hélène, Anne; received: Hélène, Op0, Léa, Op1 → 1 of 7
    assert org["gave_and_received"] == pytest.approx(1 / 7, abs=1e-4)
    team = _figures("team", activity.org.extrusion.pk)
    assert team["gave_and_received"] == pytest.approx(1 / 5, abs=1e-4)


def test_forest_or_nursery_sets_learning_in_the_work_beside_hours_of_training(snapshot) -> None:  # type: ignore[no-untyped-def]
    org = _figures("org")
    assert org["in_work_share"] == pytest.approx(6 / 7, abs=1e-4)
    assert org["course_share"] == pytest.approx(1 / 7, abs=1e-4)
    assert org["course_hours"] == 3.0
    assert org["form_mix"] == {
        "exchange": 4,
        "microlearning": 0,
        "community": 1,
        "course": 1,
        "field": 1,
    }


def test_redundancy_counts_holders_at_level_three_or_more(snapshot) -> None:  # type: ignore[no-untyped-def]
    org = _figures("org")
    # extruder setup: Karim (4) and Mathilde (3); machine safety only at level 2
    assert org["skills_held"] == 1
    assert org["single_holder_skills"] == 0
    assert snapshot.data["single_holder"] == []


def test_scopes_under_five_people_have_no_figures(activity: Activity, snapshot) -> None:  # type: ignore[no-untyped-def]
    printing = ScopeFigure.objects.get(kind="team", key=activity.org.printing.pk)
    assert printing.headcount == 1
    assert printing.data == {"headcount": 1, "hidden": True}
    hr = ScopeFigure.objects.get(kind="department", key=activity.org.hr.pk)
    assert hr.data.get("hidden") is True


def test_a_figure_resting_on_fewer_than_five_people_is_withheld(
    activity: Activity, snapshot
) -> None:  # type: ignore[no-untyped-def]
    prod = _figures("department", activity.org.prod.pk)
    # 7 people, 6 with a learning moment: diversity shown; 1 wisher or none: adaptability not
    assert "hill_learner" in prod
    assert "wait_days" not in prod and "wait_days" in prod["few"]


def test_each_recomputation_adds_a_snapshot_for_the_trends(activity: Activity) -> None:
    first = services.compute_snapshot(window_days=30)
    second = services.compute_snapshot(window_days=30)
    assert second.pk != first.pk
    assert ScopeFigure.objects.filter(kind="org").count() == 2


def test_an_unknown_window_is_refused() -> None:
    from sylva.core.errors import ServiceError

    with pytest.raises(ServiceError) as error:
        services.check_window(7)
    assert error.value.field == "window"
