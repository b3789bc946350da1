"""Introductions, accepted structures, the command and the background task."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from sylva.insights import services
from sylva.insights.models import Introduction, Snapshot, StructureDecision
from sylva.people.models import LearningEvent, Person
from sylva.people.verbs import verb
from tests.insights.conftest import Activity


def test_introducing_two_teams_tells_both_managers(activity: Activity, login) -> None:  # type: ignore[no-untyped-def]
    org = activity.org
    org.printing.manager = org.expert
    org.printing.save()
    client: Client = login(org.animator)
    response = client.post(
        "/api/v1/insights/introductions",
        {"team_a": org.extrusion.pk, "team_b": org.printing.pk, "reason": "Réglages"},
        content_type="application/json",
    )
    assert response.status_code == 201
    intro = Introduction.objects.get()
    assert (intro.team_a_id, intro.team_b_id, intro.proposed_by_id) == (
        org.extrusion.pk,
        org.printing.pk,
        org.animator.pk,
    )
    told = LearningEvent.objects.filter(verb=verb("introduced").iri)
    assert sorted(told.values_list("actor_id", flat=True)) == sorted(
        [org.manager.pk, org.expert.pk]
    )


def test_people_are_introduced_only_if_both_agreed_to_be_named(activity: Activity, login) -> None:  # type: ignore[no-untyped-def]
    org = activity.org
    client: Client = login(org.animator)
    payload = {"person_a": org.expert.pk, "person_b": org.newcomer.pk, "skill": org.extrude.pk}
    refused = client.post(
        "/api/v1/insights/introductions", payload, content_type="application/json"
    )
    assert refused.status_code == 403 and not Introduction.objects.exists()
    Person.objects.filter(pk__in=[org.expert.pk, org.newcomer.pk]).update(visible_in_insights=True)
    accepted = client.post(
        "/api/v1/insights/introductions", payload, content_type="application/json"
    )
    assert accepted.status_code == 201
    assert LearningEvent.objects.filter(verb=verb("introduced").iri).count() == 2


def test_a_manager_introduces_only_their_own_teams(activity: Activity, login) -> None:  # type: ignore[no-untyped-def]
    org = activity.org
    client: Client = login(org.manager)
    other = client.post(
        "/insights/introduce/", {"team_a": org.printing.pk, "team_b": org.people_team.pk}
    )
    assert other.status_code == 403
    own = client.post(
        "/insights/introduce/", {"team_a": org.extrusion.pk, "team_b": org.printing.pk}
    )
    assert own.status_code == 302 and Introduction.objects.count() == 1


def test_accepting_a_structure_twice_keeps_one_decision(activity: Activity, login) -> None:  # type: ignore[no-untyped-def]
    org = activity.org
    client: Client = login(org.animator)
    for _ in range(2):
        client.post("/insights/accept/", {"kind": "circle", "skill": org.safety.pk})
    assert StructureDecision.objects.get().key == "circle:machine-safety"
    bad = client.post(
        "/api/v1/insights/structures", {"kind": "party"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "kind"
    assert (
        login(org.manager).post("/insights/accept/", {"kind": "circle", "skill": 1}).status_code
        == 403
    )


def test_the_command_stores_a_snapshot_per_window(activity: Activity) -> None:
    out = io.StringIO()
    call_command("insights", "--window", "30", "--window", "90", stdout=out)
    assert sorted(Snapshot.objects.values_list("window_days", flat=True)) == [30, 90]
    assert "Insights snapshots" in out.getvalue()


def test_the_background_task_recomputes(activity: Activity, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from sylva.insights.tasks import recompute_insights

    result = recompute_insights.enqueue(window_days=30)
    assert Snapshot.objects.filter(pk=result.return_value).exists()


def test_an_unknown_scope_or_table_is_a_clear_error(activity: Activity, login) -> None:  # type: ignore[no-untyped-def]
    services.compute_snapshot(window_days=90)
    client: Client = login(activity.org.animator)
    bad = client.get("/api/v1/insights/health?scope=planet:3")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "scope"
    assert client.get("/api/v1/insights/tables/nope").status_code == 404
    table = client.get("/api/v1/insights/tables/figures").json()
    assert table["header"][0] == "scope" and table["rows"]


@pytest.mark.parametrize("window", ["7", "abc"])
def test_an_odd_window_falls_back_to_ninety_days_on_pages(
    activity: Activity, login, window: str
) -> None:  # type: ignore[no-untyped-def]
    """The page reads the default window, and (a GET writes nothing) hands the computation
    of its first snapshot to the background: the recomputation queued is of 90 days."""
    from django_tasks_db.models import DBTaskResult

    client: Client = login(activity.org.animator)
    assert client.get(f"/insights/?window={window}").status_code == 200
    assert not Snapshot.objects.exists()
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["kwargs"] == {"window_days": 90}


def test_the_demo_stores_a_first_snapshot(activity: Activity) -> None:
    from sylva.insights.demo import seed_demo

    counts = seed_demo(seed=7)
    assert counts["insights snapshots"] == 1
    assert Snapshot.objects.get().window_days == 90


def test_a_scope_the_page_cannot_read_is_a_message_or_the_page_of_its_status(
    activity: Activity, login
) -> None:  # type: ignore[no-untyped-def]
    """Refusals go through sylva.core.web: a malformed scope is a message on the default
    scope; a scope that does not exist is a 404, as on the API; another's team a 403."""
    services.compute_snapshot(window_days=90)
    client: Client = login(activity.org.animator)
    bad = client.get("/insights/?scope=planet:3")
    assert bad.status_code == 302 and bad["Location"] == "/insights/"
    followed = client.get("/insights/?scope=planet:3", follow=True).content.decode()
    assert "Unknown scope planet:3." in followed
    assert client.get("/insights/?scope=department:999999").status_code == 404
    manager: Client = login(activity.org.manager)
    assert manager.get(f"/insights/?scope=team:{activity.org.printing.pk}").status_code == 403
