"""Work situations on pages and in the API, for every role: the learner, the tutor, the
learner's manager, another manager, an animator, a designer, an administrator. The debrief
text is read by the learner and the tutor only; actions by anyone else are refused with
nothing changed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sylva.communities.models import Assignment
from sylva.communities.services import situations as services
from sylva.notifications.queries import inbox_items
from tests.communities.test_situations_services import World, assigned, debriefed, make_world
from tests.factories import Org

SECRET = "secret du débrief"
API = "/api/v1/communities/situations"
ROLES = ("learner", "tutor", "manager", "other_manager", "animator", "designer", "admin")
READS_DEBRIEF = {"learner", "tutor"}
READS_ASSIGNMENT = {"learner", "tutor", "manager"}


@pytest.fixture
def world(org: Org) -> World:
    return make_world(org)


def person(w: World, role: str) -> Any:
    if role == "tutor":
        return w.org.expert
    if role == "other_manager":
        return w.other_manager
    return getattr(w.org, role)


def client_of(w: World, role: str) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(person(w, role).user)
    return c


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_an_assignment_and_its_debrief(world: World, role: str) -> None:
    a = debriefed(world)
    c = client_of(world, role)
    page = c.get(f"/communities/situations/assignments/{a.pk}/")
    api = c.get(f"{API}/assignments/{a.pk}")
    debrief = c.get(f"{API}/assignments/{a.pk}/debrief")
    if role in READS_ASSIGNMENT:
        assert page.status_code == 200 and api.status_code == 200
        assert "debrief" not in api.json()
    else:
        assert page.status_code == 404 and api.status_code == 404
    if role in READS_DEBRIEF:
        assert SECRET in page.content.decode() and debrief.json()["debrief"] == SECRET
    else:
        assert debrief.status_code in (403, 404)
    for url in (
        "/communities/situations/",
        f"{API}/assignments",
        f"{API}/assignments/team",
        f"{API}",
        f"/communities/situations/{a.situation_id}/",
    ):
        response = c.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), (role, url)


def test_the_managers_list_shows_states_not_debriefs(world: World) -> None:
    a = debriefed(world)
    c = client_of(world, "manager")
    body = c.get("/communities/situations/").content.decode()
    assert a.situation.title in body and "debriefed" in body.lower() and SECRET not in body
    team = c.get(f"{API}/assignments/team").json()
    assert team["count"] == 1 and team["items"][0]["state"] == "debriefed"
    assert client_of(world, "other_manager").get(f"{API}/assignments/team").json()["count"] == 0


@pytest.mark.parametrize("role", ["manager", "other_manager", "animator", "admin", "designer"])
def test_third_persons_act_on_nothing(world: World, role: str) -> None:
    a = assigned(world)
    c = client_of(world, role)
    for action in ("done", "agree", "decline"):
        assert c.post(f"/communities/situations/assignments/{a.pk}/{action}/").status_code in (
            403,
            404,
        )
        assert c.post(f"{API}/assignments/{a.pk}/{action}").status_code in (403, 404)
    assert c.post(
        f"/communities/situations/assignments/{a.pk}/debrief/", {"text": "x"}
    ).status_code in (403, 404)
    assert c.post(
        f"{API}/assignments/{a.pk}/debrief", {"text": "x"}, content_type="application/json"
    ).status_code in (403, 404)
    a.refresh_from_db()
    assert a.state == Assignment.State.ASSIGNED and a.debrief == ""


def test_the_journey_through_the_pages(world: World) -> None:
    org = world.org
    manager = client_of(world, "manager")
    form = manager.get(f"/communities/situations/{world.situation.pk}/assign/")
    assert form.status_code == 200 and org.expert.full_name in form.content.decode()
    response = manager.post(
        f"/communities/situations/{world.situation.pk}/assign/",
        {"learner": org.learner.pk, "tutor": org.expert.pk},
    )
    a = Assignment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{a.pk}/")
    # someone outside the team is not even offered, and refused when posted
    refused = manager.post(
        f"/communities/situations/{world.situation.pk}/assign/",
        {"learner": org.expert.pk, "tutor": org.manager.pk},
    )
    assert refused.status_code == 200 and Assignment.objects.count() == 1
    learner = client_of(world, "learner")
    assert any(i.kind == "communities.situation.todo" for i in inbox_items(org.learner))
    assert learner.post(f"/communities/situations/assignments/{a.pk}/done/").status_code == 302
    tutor = client_of(world, "tutor")
    assert any(i.kind == "communities.situation.debrief" for i in inbox_items(org.expert))
    empty = tutor.post(f"/communities/situations/assignments/{a.pk}/debrief/", {"text": ""})
    assert empty.status_code == 200
    ok = tutor.post(f"/communities/situations/assignments/{a.pk}/debrief/", {"text": SECRET})
    assert ok.status_code == 302
    proposed = tutor.post(
        f"/communities/situations/assignments/{a.pk}/propose/",
        {"skill": org.extrude.pk, "level": 3},
    )
    assert proposed.status_code == 302
    assert any(i.kind == "communities.situation.level" for i in inbox_items(org.learner))
    assert learner.post(f"/communities/situations/assignments/{a.pk}/agree/").status_code == 302
    assert org.learner.person_skills.get(skill=org.extrude).level == 3


def test_the_api_journey_and_bad_input(world: World) -> None:
    org = world.org
    manager = client_of(world, "manager")
    url = f"{API}/{world.situation.pk}/assign"
    for body in (
        {"learner": org.expert.pk, "tutor": org.manager.pk},  # not in the team
        {"learner": 999999, "tutor": org.expert.pk},
        {"learner": org.learner.pk, "tutor": org.learner.pk},
        {"learner": "x", "tutor": org.expert.pk},
        {},
    ):
        response = manager.post(url, body, content_type="application/json")
        assert 400 <= response.status_code < 500, (body, response.status_code)
    assert not Assignment.objects.exists()
    made = manager.post(
        url, {"learner": org.learner.pk, "tutor": org.expert.pk}, content_type="application/json"
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    learner, tutor = client_of(world, "learner"), client_of(world, "tutor")
    assert learner.post(f"{API}/assignments/{pk}/done").status_code == 200
    assert (
        tutor.post(
            f"{API}/assignments/{pk}/debrief", {"text": SECRET}, content_type="application/json"
        ).status_code
        == 200
    )
    bad = tutor.post(
        f"{API}/assignments/{pk}/propose-level",
        {"skill": "nope", "level": 3},
        content_type="application/json",
    )
    assert bad.status_code == 400
    ok = tutor.post(
        f"{API}/assignments/{pk}/propose-level",
        {"skill": org.extrude.code, "level": 3},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["proposed_level"] == 3
    assert org.learner.person_skills.get(skill=org.extrude).level == 1
    assert learner.post(f"{API}/assignments/{pk}/agree").json()["level_agreed_at"]
    assert org.learner.person_skills.get(skill=org.extrude).level == 3


def test_only_designers_describe_on_pages_and_api(world: World) -> None:
    payload = {"title": "T", "task": "Faire", "skills": [world.org.extrude.code]}
    for role in ("learner", "manager", "animator"):
        c = client_of(world, role)
        assert c.get("/communities/situations/new/").status_code == 403
        assert c.post(API, payload, content_type="application/json").status_code == 403
    designer = client_of(world, "designer")
    assert designer.get("/communities/situations/new/").status_code == 200
    assert designer.post(API, payload, content_type="application/json").status_code == 201
    bad = designer.post(API, {**payload, "skills": ["nope"]}, content_type="application/json")
    assert bad.status_code == 400
    response = designer.post(
        "/communities/situations/new/",
        {"title": "Page", "task": "Faire", "skills": [world.org.safety.pk], "language": "fr"},
    )
    assert response.status_code == 302


def test_cancel_by_the_manager_only(world: World) -> None:
    a = assigned(world)
    assert client_of(world, "learner").post(
        f"/communities/situations/assignments/{a.pk}/cancel/"
    ).status_code in (403, 302)
    a.refresh_from_db()
    assert a.state == Assignment.State.ASSIGNED
    assert client_of(world, "manager").post(f"{API}/assignments/{a.pk}/cancel").status_code == 200
    services_state = Assignment.objects.get(pk=a.pk).state
    assert services_state == Assignment.State.CANCELLED
    assert services_state == services.S.CANCELLED
