"""The one-click actions of the levers under adversarial use: who may trigger them, with
whose ids, and twice. Every refusal leaves nothing behind (no row, no event)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sylva.insights.models import Introduction, StructureDecision
from sylva.people.models import LearningEvent, Person
from sylva.people.verbs import verb
from tests.insights.conftest import Activity

INTRODUCED = verb("introduced").iri


def _state() -> tuple[int, int, int]:
    return (
        Introduction.objects.count(),
        StructureDecision.objects.count(),
        LearningEvent.objects.filter(verb=INTRODUCED).count(),
    )


def _everyone_visible(activity: Activity) -> None:
    Person.objects.update(visible_in_insights=True)


def _routes(activity: Activity) -> list[tuple[str, dict[str, Any], bool]]:
    """Every one-click action of insights, on the page and on the API (path, data, json)."""
    org = activity.org
    people = {"person_a": org.expert.pk, "person_b": org.animator.pk, "reason": "Réglages"}
    structure = {"kind": "circle", "skill": org.safety.pk}
    return [
        ("/insights/introduce/", people, False),
        ("/api/v1/insights/introductions", people, True),
        ("/insights/accept/", structure, False),
        ("/api/v1/insights/structures", structure, True),
        ("/insights/recompute/", {"window": 90}, False),
        ("/api/v1/insights/recompute", {"window": 90}, True),
    ]


def _post(client: Client, path: str, data: dict[str, Any], as_json: bool) -> Any:
    if as_json:
        return client.post(path, data, content_type="application/json")
    return client.post(path, data)


def test_a_learner_triggers_no_action_of_the_levers(activity: Activity, login, settings) -> None:  # type: ignore[no-untyped-def]
    """Every action, page and API, refused to a learner with 403, nothing written."""
    _everyone_visible(activity)
    from django_tasks_db.models import DBTaskResult

    client: Client = login(activity.org.learner)
    before = (*_state(), DBTaskResult.objects.count())
    for path, data, as_json in _routes(activity):
        response = _post(client, path, data, as_json)
        assert response.status_code == 403, path
        assert (*_state(), DBTaskResult.objects.count()) == before, path


def test_a_manager_cannot_introduce_others_by_naming_their_own_team(
    activity: Activity, login
) -> None:  # type: ignore[no-untyped-def]
    """The scope check judges what the service introduces: two people of other teams stay
    out of a manager's reach even when the request also names the manager's own team."""
    _everyone_visible(activity)
    org = activity.org
    client: Client = login(org.manager)
    payload = {
        "person_a": org.expert.pk,  # Impression
        "person_b": org.animator.pk,  # Développement RH
        "team_a": org.extrusion.pk,  # the manager's own team, not the one introduced
        "team_b": org.printing.pk,
    }
    for path, as_json in (
        ("/insights/introduce/", False),
        ("/api/v1/insights/introductions", True),
    ):
        response = _post(client, path, payload, as_json)
        assert response.status_code == 403, path
        assert _state() == (0, 0, 0), path
    # the same people through the team fields only: one of them is the manager's own team
    own = _post(
        client,
        "/api/v1/insights/introductions",
        {"team_a": org.extrusion.pk, "team_b": org.printing.pk},
        True,
    )
    assert own.status_code == 201


@pytest.mark.parametrize(
    "payload",
    [
        {"person_a": "expert", "person_b": "animator"},
        {"person_a": "animator", "person_b": "expert"},  # the same pair the other way round
    ],
)
def test_introducing_the_same_two_people_again_is_refused_pointing_at_the_first(
    activity: Activity, login, payload: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    _everyone_visible(activity)
    org = activity.org
    client: Client = login(org.animator)
    first = client.post(
        "/api/v1/insights/introductions",
        {"person_a": org.expert.pk, "person_b": org.animator.pk},
        content_type="application/json",
    )
    assert first.status_code == 201
    before = _state()
    again = client.post(
        "/api/v1/insights/introductions",
        {k: getattr(org, v).pk for k, v in payload.items()},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert again.status_code == 409
    error = again.json()["errors"][0]
    assert "déjà" in error["message"]
    assert error.get("existing") == first.json()["id"] or str(first.json()["id"]) in str(
        again.json()
    )
    assert _state() == before
    # the page says so too, and writes nothing
    page = client.post(
        "/insights/introduce/",
        {"person_a": org.expert.pk, "person_b": org.animator.pk},
        follow=True,
    )
    assert "already introduced" in page.content.decode()
    assert _state() == before


def test_introducing_the_same_two_teams_again_is_refused(activity: Activity, login) -> None:  # type: ignore[no-untyped-def]
    org = activity.org
    org.printing.manager = org.expert
    org.printing.save()
    client: Client = login(org.animator)
    for a, b, status in (
        (org.extrusion, org.printing, 201),
        (org.printing, org.extrusion, 409),
        (org.extrusion, org.printing, 409),
    ):
        response = client.post(
            "/api/v1/insights/introductions",
            {"team_a": a.pk, "team_b": b.pk},
            content_type="application/json",
        )
        assert response.status_code == status
    assert _state() == (1, 0, 2)


def _waiting_recomputes() -> list[int]:
    from django_tasks_db.models import DBTaskResult

    from sylva.insights.tasks import recompute_insights

    return sorted(
        r.args_kwargs["kwargs"].get("window_days")
        for r in DBTaskResult.objects.filter(
            task_path=recompute_insights.module_path, status="READY"
        )
    )


def test_a_recomputation_is_queued_once_per_window_however_often_asked(  # type: ignore[no-untyped-def]
    activity: Activity, login, settings
) -> None:
    """The recomputation takes half a minute and most of a gigabyte: asking again while one
    waits for the same window (a double click, a page read by many before the first
    snapshot) queues nothing more, and says it is already on its way."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client: Client = login(activity.org.animator)
    for _ in range(3):
        assert client.post("/insights/recompute/", {"window": 90}).status_code == 302
        api = client.post(
            "/api/v1/insights/recompute", {"window": 90}, content_type="application/json"
        )
        assert api.status_code == 202
    assert api.json() == {"queued": False, "window_days": 90}
    page = client.post("/insights/recompute/", {"window": 90}, follow=True)
    assert "already queued" in page.content.decode()
    assert client.post(
        "/api/v1/insights/recompute", {"window": 30}, content_type="application/json"
    ).json() == {"queued": True, "window_days": 30}
    assert _waiting_recomputes() == [30, 90]


def test_the_links_page_says_who_was_introduced_instead_of_a_button_that_would_fail(  # type: ignore[no-untyped-def]
    activity: Activity, login
) -> None:
    from sylva.insights import services

    _everyone_visible(activity)
    org = activity.org
    org.printing.manager = org.expert
    org.printing.save()
    snapshot = services.compute_snapshot(window_days=90)
    snapshot.data["team_introductions"] = [
        {"team_a": org.extrusion.pk, "team_b": org.printing.pk, "a_to_b": [], "b_to_a": []},
        {"team_a": org.printing.pk, "team_b": org.people_team.pk, "a_to_b": [], "b_to_a": []},
    ]
    snapshot.data["person_introductions"] = [
        {"person_a": org.expert.pk, "person_b": org.learner.pk, "skill": org.extrude.pk},
        {"person_a": org.animator.pk, "person_b": org.newcomer.pk, "skill": org.excel.pk},
    ]
    snapshot.save()
    client: Client = login(org.animator)
    for data in (
        {"person_a": org.learner.pk, "person_b": org.expert.pk},  # the other way round
        {"team_a": org.printing.pk, "team_b": org.extrusion.pk},
    ):
        assert (
            client.post(
                "/api/v1/insights/introductions", data, content_type="application/json"
            ).status_code
            == 201
        )
    page = client.get("/insights/links/?window=90").content.decode()
    assert page.count("Introduced on") == 2
    # the two pairs not yet introduced keep their button (one per section)
    assert page.count('value="Introduce"') + page.count(">Introduce</button>") == 2


def test_introducing_someone_to_themselves_is_a_message_and_an_unknown_person_a_404(  # type: ignore[no-untyped-def]
    activity: Activity, login
) -> None:
    """Choosing the same person twice is an input mistake (400, a message on the page); a
    person who does not exist is a 404 on both entry points. Nothing is written."""
    _everyone_visible(activity)
    org = activity.org
    client: Client = login(org.animator)
    before = _state()
    same = {"person_a": org.expert.pk, "person_b": org.expert.pk}
    api = client.post("/api/v1/insights/introductions", same, content_type="application/json")
    assert api.status_code == 400
    page = client.post("/insights/introduce/", same, follow=True)
    assert page.status_code == 200
    assert "Choose two different people." in page.content.decode()
    unknown = {"person_a": org.expert.pk, "person_b": 10**9}
    api = client.post("/api/v1/insights/introductions", unknown, content_type="application/json")
    assert api.status_code == 404
    assert client.post("/insights/introduce/", unknown).status_code == 404
    assert _state() == before


def test_a_third_person_answers_no_introduction_and_marks_no_task_done(  # type: ignore[no-untyped-def]
    activity: Activity, login
) -> None:
    """The answers and the "Done" of the inbox belong to the people told and to the
    assignee: a learner outside them is refused on the page and the API, nothing changed."""
    from sylva.insights import services
    from sylva.notifications.models import Notification

    _everyone_visible(activity)
    org = activity.org
    intro = services.propose_introduction(
        proposer=org.animator, person_a_id=org.expert.pk, person_b_id=org.manager.pk
    )
    task = services.accept_structure(
        person=org.animator, kind="circle", skill_id=org.safety.pk, assignee_id=org.designer.pk
    )

    def state() -> tuple[object, ...]:
        i = Introduction.objects.get(pk=intro.pk)
        t = StructureDecision.objects.get(pk=task.pk)
        return (*_state(), i.answer_a, i.answer_b, t.done_at, Notification.objects.count())

    before = state()
    client: Client = login(org.learner)
    for path, data, as_json in (
        (f"/insights/introductions/{intro.pk}/answer/", {"answer": "dismissed"}, False),
        (f"/insights/introductions/{intro.pk}/answer/", {"answer": "exchange"}, False),
        (f"/api/v1/insights/introductions/{intro.pk}/answer", {"answer": "dismissed"}, True),
        (f"/insights/tasks/{task.pk}/done/", {}, False),
        (f"/api/v1/insights/tasks/{task.pk}/done", {}, True),
        # naming a third person as the assignee is no way in either
        (
            "/insights/accept/",
            {"kind": "module", "skill": org.excel.pk, "assignee": org.learner.pk},
            False,
        ),
    ):
        response = _post(client, path, data, as_json)
        assert response.status_code in (403, 404), path
        assert state() == before, path
