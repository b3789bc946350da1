"""Who sees and does what on the learning circles' pages and API: a private circle is
invisible to anyone it does not concern; a third person sending others' ids is refused
(403/404) with nothing changed; the structure lever's one click is the animators'."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sylva.communities.models import Attendance, Circle, CircleMember, CircleSession, Reflection
from sylva.communities.services import circles as services
from sylva.exchange.services import board
from sylva.people.models import Person
from tests.communities.test_circles_rules import _others, _past, running
from tests.factories import Org

pytestmark = pytest.mark.django_db
API = "/api/v1/communities/circles"


def _state() -> list[Any]:
    return [
        sorted(Circle.objects.values_list("pk", "state", "facilitator_id", "closing_review")),
        sorted(CircleMember.objects.values_list("circle_id", "person_id", "state", "goal")),
        sorted(CircleSession.objects.values_list("pk", "starts_at", "sequence", "cancelled_at")),
        sorted(Attendance.objects.values_list("session_id", "person_id", "present")),
        sorted(Reflection.objects.values_list("session_id", "person_id", "text")),
    ]


@pytest.fixture
def world(org: Org) -> dict[str, Any]:
    circle = running(org)
    past = _past(
        services.schedule_session(
            person=org.expert, circle=circle, starts_at=timezone.now() + timedelta(days=1)
        )
    )
    services.reflect(person=org.learner, session=past, text="SECRET-REFLECTION")
    services.set_goal(person=org.newcomer, circle=circle, goal="SECRET-GOAL")
    upcoming = services.schedule_session(
        person=org.expert, circle=circle, starts_at=timezone.now() + timedelta(days=3)
    )
    private = services.create_circle(
        person=org.expert, title="PRIVATE-CIRCLE", purpose="P", private=True
    )
    services.open_circle(person=org.expert, circle=private)
    draft = services.create_circle(person=org.expert, title="DRAFT-CIRCLE", purpose="P")
    return {
        "org": org,
        "circle": circle,
        "past": past,
        "upcoming": upcoming,
        "private": private,
        "draft": draft,
    }


def test_a_member_reads_the_circle_its_sessions_reflections_and_goals(world, login) -> None:  # type: ignore[no-untyped-def]
    org = world["org"]
    client = login(org.newcomer)
    page = client.get(reverse("communities:circle", args=[world["circle"].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "SECRET-GOAL" in text and 'id="next-session"' in text
    assert reverse("communities:circle_ics", args=[world["upcoming"].pk]) in text
    session = client.get(reverse("communities:circle_session", args=[world["past"].pk]))
    assert "SECRET-REFLECTION" in session.content.decode()
    assert "What surprised you?" in session.content.decode()
    ics = client.get(reverse("communities:circle_ics", args=[world["upcoming"].pk]))
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert b"METHOD:REQUEST" in ics.content
    listing = client.get(reverse("communities:circles")).content.decode()
    assert world["circle"].title in listing


def test_a_non_member_sees_an_open_circle_but_not_its_reflections_or_goals(world, login) -> None:  # type: ignore[no-untyped-def]
    org = world["org"]
    client = login(org.animator)
    page = client.get(reverse("communities:circle", args=[world["circle"].pk])).content.decode()
    assert world["circle"].title in page and "SECRET-GOAL" not in page
    assert 'id="join-circle"' in page
    session = client.get(reverse("communities:circle_session", args=[world["past"].pk]))
    assert session.status_code == 302  # back to the circle's page
    assert client.get(f"{API}/sessions/{world['past'].pk}/reflections").status_code == 403
    assert client.get(f"{API}/{world['circle'].pk}/members").status_code == 403
    assert (
        client.get(reverse("communities:circle_ics", args=[world["upcoming"].pk])).status_code
        == 404
    )


def test_private_and_draft_circles_are_invisible_to_others(world, login) -> None:  # type: ignore[no-untyped-def]
    org = world["org"]
    client = login(org.learner)
    for hidden in (world["private"], world["draft"]):
        assert client.get(reverse("communities:circle", args=[hidden.pk])).status_code == 404
        assert client.get(f"{API}/{hidden.pk}").status_code == 404
        assert client.post(reverse("communities:circle_join", args=[hidden.pk])).status_code == 404
        assert client.post(f"{API}/{hidden.pk}/join").status_code == 404
    listing = client.get(reverse("communities:circles")).content.decode()
    assert "PRIVATE-CIRCLE" not in listing and "DRAFT-CIRCLE" not in listing
    api = {c["title"] for c in client.get(API).json()["items"]}
    assert api == {world["circle"].title}
    # the facilitator sees both
    mine = login(org.expert).get(f"{API}?mine=true").json()
    assert {c["title"] for c in mine["items"]} >= {"PRIVATE-CIRCLE", "DRAFT-CIRCLE"}


def test_a_third_person_with_others_ids_is_refused_and_nothing_changes(world) -> None:  # type: ignore[no-untyped-def]
    org = world["org"]
    stranger = org.animator
    c, past, up = world["circle"].pk, world["past"].pk, world["upcoming"].pk
    priv = world["private"].pk
    soon = (timezone.now() + timedelta(days=5)).isoformat()
    api_cases = [
        ("post", f"{API}/{c}/open", {}),
        ("post", f"{API}/{c}/leave", {}),
        ("post", f"{API}/{c}/accept", {}),
        ("post", f"{API}/{c}/decline", {}),
        ("post", f"{API}/{c}/decline-facilitation", {}),
        ("post", f"{API}/{c}/invitations", {"people": [org.manager.pk]}),
        ("put", f"{API}/{c}/goal", {"goal": "mine"}),
        ("put", f"{API}/{c}/goal-rating", {"rating": 3}),
        ("post", f"{API}/{c}/close", {"review": "x"}),
        ("post", f"{API}/{c}/sessions", {"starts_at": soon}),
        ("put", f"{API}/sessions/{up}", {"starts_at": soon}),
        ("post", f"{API}/sessions/{up}/cancel", {}),
        ("put", f"{API}/sessions/{past}/attendance", {"present": [org.learner.pk]}),
        ("post", f"{API}/sessions/{past}/reflections", {"text": "x"}),
        ("post", f"{API}/{priv}/join", {}),
        ("post", f"{API}/{priv}/invitations", {"people": [stranger.pk]}),
    ]
    page_cases = [
        ("circle_open", {"pk": c}, {}),
        ("circle_leave", {"pk": c}, {}),
        ("circle_accept", {"pk": c}, {}),
        ("circle_decline", {"pk": c}, {}),
        ("circle_decline_facilitation", {"pk": c}, {}),
        ("circle_invite", {"pk": c}, {"person": "manager"}),
        ("circle_goal", {"pk": c}, {"goal": "mine"}),
        ("circle_rate_goal", {"pk": c}, {"rating": "3"}),
        ("circle_close", {"pk": c}, {"review": "x"}),
        (
            "circle_schedule",
            {"pk": c},
            {"starts_at": soon[:16], "minutes": "60", "format": "phone"},
        ),
        ("circle_move", {"sid": up}, {"starts_at": soon[:16], "minutes": "60", "format": "phone"}),
        ("circle_cancel", {"sid": up}, {}),
        ("circle_attendance", {"sid": past}, {"present": [str(org.learner.pk)]}),
        ("circle_reflect", {"sid": past}, {"text": "x"}),
        ("circle_join", {"pk": priv}, {}),
        ("circle_invite", {"pk": priv}, {"person": "animator"}),
    ]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(stranger.user)
    before = _state()
    for method, url, body in api_cases:
        response = client.generic(
            method.upper(), url, data=json.dumps(body), content_type="application/json"
        )
        assert 400 <= response.status_code < 500, (method, url, response.content)
        assert response.status_code in (403, 404, 409), (url, response.status_code)
        assert _state() == before, url
    for name, kwargs, data in page_cases:
        response = client.post(reverse(f"communities:{name}", kwargs=kwargs), data)
        assert response.status_code in (302, 403, 404), (name, response.status_code)
        assert _state() == before, name


def test_a_member_who_is_not_the_facilitator_cannot_schedule_or_mark(world) -> None:  # type: ignore[no-untyped-def]
    org = world["org"]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org.learner.user)
    before = _state()
    soon = (timezone.now() + timedelta(days=5)).isoformat()
    for method, url, body in (
        ("POST", f"{API}/{world['circle'].pk}/sessions", {"starts_at": soon}),
        ("PUT", f"{API}/sessions/{world['past'].pk}/attendance", {"present": []}),
        ("POST", f"{API}/sessions/{world['upcoming'].pk}/cancel", {}),
    ):
        response = client.generic(
            method, url, data=json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 403, url
    assert _state() == before


def test_the_api_runs_a_circle_end_to_end(org: Org) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org.expert.user)
    made = client.post(
        API,
        {"title": "API circle", "purpose": "P", "skills": ["extrusion-setup"], "max_members": 4},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert client.post(f"{API}/{pk}/open").json()["state"] == "open"
    soon = (timezone.now() + timedelta(days=2)).isoformat()
    refused = client.post(
        f"{API}/{pk}/sessions", {"starts_at": soon}, content_type="application/json"
    )
    assert refused.status_code == 409 and "at least 4" in refused.json()["detail"]
    for p in (org.learner, org.newcomer, _others(org)[0]):
        other = Client(HTTP_ACCEPT_LANGUAGE="en")
        other.force_login(p.user)
        assert other.post(f"{API}/{pk}/join").status_code == 200
    last = Client(HTTP_ACCEPT_LANGUAGE="en")
    last.force_login(_others(org)[1].user)
    assert last.post(f"{API}/{pk}/join").status_code == 409
    session = client.post(
        f"{API}/{pk}/sessions", {"starts_at": soon}, content_type="application/json"
    )
    assert session.status_code == 201 and session.json()["number"] == 1
    bad = client.post(f"{API}/{pk}", {"title": ""}, content_type="application/json")
    assert bad.status_code in (404, 405)
    invalid = client.post(
        API, {"title": "x", "purpose": "p", "max_members": 40}, content_type="application/json"
    )
    assert invalid.status_code in (400, 422)


def test_the_structure_lever_button_creates_the_draft_for_animators_only(org: Org, login) -> None:  # type: ignore[no-untyped-def]
    authors = [org.learner, org.newcomer, *_others(org)]
    for p in authors:
        board.publish_request(person=p, skill_codes=["extrusion-setup"])
    url = reverse("communities:circle_from_requests")
    assert login(org.learner).post(url, {"skill": "extrusion-setup"}).status_code == 403
    assert not Circle.objects.exists()
    response = login(org.animator).post(url, {"skill": "extrusion-setup"})
    circle = Circle.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "communities:circle", args=[circle.pk]
    )
    assert circle.created_by == org.animator and circle.state == "draft"
    assert CircleMember.objects.filter(circle=circle, state="invited").count() == len(authors)
    again = login(org.animator).post(url, {"skill": "no-such-skill"})
    assert again.status_code == 302  # back to the structure lever, with the refusal
    assert Circle.objects.count() == 1
    page = login(org.animator).get(reverse("communities:circle", args=[circle.pk])).content.decode()
    assert 'id="open-circle"' in page


def test_the_insights_structure_lever_shows_the_one_click_button(org: Org, login) -> None:  # type: ignore[no-untyped-def]
    from sylva.insights import services as insights

    snapshot = insights.compute_snapshot(window_days=90)
    snapshot.data["structures"] = [
        {"kind": "circle", "skill": org.extrude.pk, "people": 5, "teams": 2}
    ]
    snapshot.save()
    page = login(org.animator).get("/insights/structure/?window=90").content.decode()
    assert f'action="{reverse("communities:circle_from_requests")}"' in page
    assert 'name="skill" value="extrusion-setup"' in page


def test_invitations_wait_in_the_inbox_with_accept_and_decline(org: Org) -> None:
    from sylva.notifications.queries import inbox_count, inbox_items

    circle = running(org)
    services.invite(by=org.expert, circle=circle, people=[org.manager])
    items = [i for i in inbox_items(org.manager) if i.kind == "communities.circle"]
    assert len(items) == 1
    assert [a.url for a in items[0].actions] == [
        reverse("communities:circle_accept", args=[circle.pk]),
        reverse("communities:circle_decline", args=[circle.pk]),
    ]
    assert inbox_count(org.manager) >= 1
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org.manager.user)
    response = client.post(items[0].actions[0].url, {"next": "/inbox/"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert CircleMember.objects.get(circle=circle, person=org.manager).state == "active"
    assert not [i for i in inbox_items(org.manager) if i.kind == "communities.circle"]
    assert Person.objects.filter(pk=org.manager.pk).exists()
