"""An accepted structure becomes a task for the designer or animator it names: validated,
notified in their language, in their inbox with its "Done" until they mark it done, and
on the accepting animator's inbox as their turn. Nobody else can touch it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sylva.insights import services
from sylva.insights.models import StructureDecision
from sylva.notifications.models import Notification
from sylva.notifications.queries import inbox_count, inbox_items
from tests.insights.conftest import Activity

KIND = "insights.task"


def _tasks(person):  # type: ignore[no-untyped-def]
    return [i for i in inbox_items(person) if i.kind == KIND]


def _accept(client: Client, org, **extra):  # type: ignore[no-untyped-def]
    return client.post(
        "/insights/accept/?window=90",
        {"kind": "circle", "skill": org.safety.pk, **extra},
    )


def test_a_structure_given_to_the_designer_is_told_and_waits_in_their_inbox(  # type: ignore[no-untyped-def]
    activity: Activity, login
) -> None:
    org = activity.org
    org.designer.language = "fr"
    org.designer.save(update_fields=["language"])
    snapshot = services.compute_snapshot(window_days=90)
    snapshot.data["structures"] = [
        {"kind": "circle", "skill": org.safety.pk, "people": 7, "teams": 3}
    ]
    snapshot.save()
    client = login(org.animator)
    page = client.get("/insights/structure/?window=90").content.decode()
    assert f'<option value="{org.designer.pk}">' in page
    assert f'<option value="{org.learner.pk}">' not in page  # only designers and animators

    response = _accept(client, org, assignee=org.designer.pk, next="/inbox/")
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    decision = StructureDecision.objects.get()
    assert decision.assignee == org.designer and decision.accepted_by == org.animator

    note = Notification.objects.get(person=org.designer, kind=KIND)
    assert note.subject == "Une tâche pour vous : cercle d'apprentissage sur Sécurité machine"
    assert "Suggestion acceptée par Anne Morel" in note.body
    assert "7 personnes de 3 équipes veulent apprendre Sécurité machine" in note.body
    assert not Notification.objects.filter(kind=KIND).exclude(person=org.designer).exists()

    mine = _tasks(org.designer)
    assert len(mine) == 1 and mine[0].mine
    done = mine[0].actions[0]
    assert done.url == f"/insights/tasks/{decision.pk}/done/" and done.primary
    before = inbox_count(org.designer)
    assert before >= 1
    theirs = _tasks(org.animator)
    assert len(theirs) == 1 and not theirs[0].mine and "Denis Petit" in theirs[0].detail

    page = client.get("/insights/structure/?window=90").content.decode()
    assert "given to Denis Petit, not done yet" in page

    designer = login(org.designer)
    response = designer.post(done.url, {"next": "/inbox/"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    decision.refresh_from_db()
    assert decision.done_at is not None
    assert not _tasks(org.designer) and not _tasks(org.animator)
    assert inbox_count(org.designer) == before - 1
    page = login(org.animator).get("/insights/structure/?window=90").content.decode()
    assert "set up by Denis Petit" in page


def test_without_an_assignee_the_task_is_the_accepting_animators(activity: Activity, login) -> None:  # type: ignore[no-untyped-def]
    org = activity.org
    _accept(login(org.animator), org)
    decision = StructureDecision.objects.get()
    assert decision.assignee == org.animator
    assert not Notification.objects.filter(kind=KIND).exists()  # nobody to tell but oneself
    assert len(_tasks(org.animator)) == 1 and _tasks(org.animator)[0].mine


@pytest.mark.parametrize("who", ["learner", "manager", "expert"])
def test_a_task_goes_only_to_a_designer_or_an_animator(  # type: ignore[no-untyped-def]
    activity: Activity, login, who: str
) -> None:
    org = activity.org
    client = login(org.animator)
    page = _accept(client, org, assignee=getattr(org, who).pk)
    assert page.status_code == 302
    api = client.post(
        "/api/v1/insights/structures",
        {"kind": "circle", "skill": org.safety.pk, "assignee": getattr(org, who).pk},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json()["errors"][0]["field"] == "assignee"
    unknown = client.post(
        "/api/v1/insights/structures",
        {"kind": "circle", "skill": org.safety.pk, "assignee": 10**9},
        content_type="application/json",
    )
    assert unknown.status_code == 404
    assert not StructureDecision.objects.exists()
    assert not Notification.objects.filter(kind=KIND).exists()


def test_only_the_assignee_marks_it_done(activity: Activity, login) -> None:  # type: ignore[no-untyped-def]
    org = activity.org
    client = login(org.animator)
    response = client.post(
        "/api/v1/insights/structures",
        {"kind": "module", "skill": org.excel.pk, "assignee": org.designer.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    task = response.json()
    assert task["assignee"] == org.designer.pk and task["done_at"] is None
    for person in (org.animator, org.learner, org.admin, org.manager):
        other = login(person)
        assert other.post(f"/insights/tasks/{task['id']}/done/").status_code == 404
        assert other.post(f"/api/v1/insights/tasks/{task['id']}/done").status_code == 404, person
    assert StructureDecision.objects.get().done_at is None
    designer = login(org.designer)
    first = designer.post(f"/api/v1/insights/tasks/{task['id']}/done")
    assert first.status_code == 200 and first.json()["done_at"]
    again = designer.post(f"/api/v1/insights/tasks/{task['id']}/done")
    assert again.json()["done_at"] == first.json()["done_at"]  # the first moment stays


def test_a_module_task_opens_the_studio(activity: Activity, login) -> None:  # type: ignore[no-untyped-def]
    org = activity.org
    login(org.animator).post(
        "/insights/accept/",
        {"kind": "module", "skill": org.excel.pk, "assignee": org.designer.pk},
    )
    note = Notification.objects.get(person=org.designer, kind=KIND)
    assert note.url == reverse("microlearning:new_module")
    assert _tasks(org.designer)[0].url == note.url


def test_accepting_again_keeps_the_first_assignee_and_tells_once(activity: Activity, login) -> None:  # type: ignore[no-untyped-def]
    org = activity.org
    client = login(org.animator)
    _accept(client, org, assignee=org.designer.pk)
    _accept(client, org, assignee=org.animator.pk)
    assert StructureDecision.objects.get().assignee == org.designer
    assert Notification.objects.filter(kind=KIND).count() == 1


def test_the_inbox_count_is_two_queries_however_much_waits(  # type: ignore[no-untyped-def]
    activity: Activity, login, django_assert_max_num_queries
) -> None:
    """The count runs on every page: one query for both querysets, not one per item."""
    from sylva.core.counting import count_waiting
    from sylva.insights import inbox
    from sylva.people.models import Person

    org = activity.org
    Person.objects.update(visible_in_insights=True)
    for other in Person.objects.exclude(pk=org.designer.pk)[:5]:
        services.propose_introduction(
            proposer=org.animator, person_a_id=org.designer.pk, person_b_id=other.pk
        )
    for skill in (org.safety, org.excel, org.facilitation):
        services.accept_structure(
            person=org.animator, kind="circle", skill_id=skill.pk, assignee_id=org.designer.pk
        )
    with django_assert_max_num_queries(1):
        assert count_waiting(inbox.waiting(org.designer)) == 5 + 3
