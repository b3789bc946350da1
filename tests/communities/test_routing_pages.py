"""The routing's pages and API: who sees whose names and reasons, passing (mine only), a
host's invitation by hand (hosts only, the cap overridden with a warning), someone else's
ids, my invitations (paginated)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sylva.communities.models import Community, Invitation, Membership, Post
from sylva.communities.services import routing
from sylva.notifications.models import Notification
from tests.communities.test_routing_route import (
    ask,
    busy,
    colleague,
    community,
    holds,
)
from tests.factories import Org

API = "/api/v1/communities"


@pytest.fixture
def asked(org: Org) -> Post:
    return ask(org.newcomer, org.extrude, space=community(hosts=(org.designer,)))


def _as(client: Client, person: Any) -> Client:
    client.force_login(person.user)
    return client


def _page(client: Client, post: Post, **headers: str) -> str:
    response = client.get(reverse("communities:invitations", args=[post.pk]), **headers)
    assert response.status_code == 200
    return response.content.decode()


# --- who sees what ------------------------------------------------------------------------


def test_the_asker_sees_names_and_reasons(client: Client, org: Org, asked: Post) -> None:
    html = _page(_as(client, org.newcomer), asked)
    assert "Karim Benali" in html and "level 4 of 4" in html
    assert "Invite someone" not in html  # the asker is no host


def test_another_reader_sees_how_many_only(client: Client, org: Org, asked: Post) -> None:
    html = _page(_as(client, org.learner), asked)
    assert "Karim Benali" not in html and "level 4" not in html
    assert "1 colleague was invited to answer." in html


def test_the_invitee_sees_why_and_can_answer_or_pass(client: Client, org: Org, asked: Post) -> None:
    html = _page(_as(client, org.expert), asked, HTTP_HX_REQUEST="true")
    assert "<html" not in html  # the fragment the question's page loads
    assert "You were invited because:" in html
    assert "Extruder setup" in html or "extrudeuse" in html
    invitation = Invitation.objects.get(post=asked)
    assert reverse("communities:pass_invitation", args=[invitation.pk]) in html
    assert "#reply-form" in html


def test_a_host_sees_names_and_the_invite_form(client: Client, org: Org, asked: Post) -> None:
    holds(org.learner, org.extrude, 3, happy=True)
    html = _page(_as(client, org.designer), asked)
    assert "Karim Benali" in html and 'id="invite"' in html and "Hélène Dupré" in html


def test_a_members_only_question_is_a_404_for_others(client: Client, org: Org) -> None:
    space = community("closed", access=Community.Access.REQUEST)
    Membership.objects.create(community=space, person=org.newcomer)
    post = ask(org.newcomer, org.extrude, space=space, audience=Post.Audience.COMMUNITY)
    c = _as(client, org.learner)
    assert c.get(reverse("communities:invitations", args=[post.pk])).status_code == 404
    assert c.get(f"{API}/questions/{post.pk}/invitations").status_code == 404
    assert c.post(f"{API}/questions/{post.pk}/invite", {"person": org.expert.pk},
                  content_type="application/json").status_code == 404  # fmt: skip


def test_my_invitations_page(client: Client, org: Org, asked: Post) -> None:
    html = _as(client, org.expert).get(reverse("communities:my_invitations")).content.decode()
    assert asked.title in html and "Pass" in html
    empty = _as(client, org.learner).get(reverse("communities:my_invitations")).content.decode()
    assert "No invitation yet." in empty


# --- pass ----------------------------------------------------------------------------------


def test_pass_my_invitation_and_not_someone_elses(client: Client, org: Org, asked: Post) -> None:
    invitation = Invitation.objects.get(post=asked)
    url = reverse("communities:pass_invitation", args=[invitation.pk])
    assert _as(client, org.learner).post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.PENDING
    response = _as(client, org.expert).post(url, {"next": "/inbox/"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.DECLINED
    again = client.post(url, follow=True)  # twice: said, nothing changed
    assert "no longer waiting on you" in again.content.decode()
    assert client.get(url).status_code == 405


def test_pass_through_the_api(client: Client, org: Org, asked: Post) -> None:
    invitation = Invitation.objects.get(post=asked)
    url = f"{API}/invitations/{invitation.pk}/pass"
    assert _as(client, org.newcomer).post(url).status_code == 404  # the asker's? no: the invitee's
    assert _as(client, org.expert).post(url).json()["state"] == "declined"
    assert client.post(url).status_code == 409
    assert client.post(f"{API}/invitations/999999/pass").status_code == 404


# --- invite by hand --------------------------------------------------------------------------


def test_only_hosts_invite_by_hand(client: Client, org: Org, asked: Post) -> None:
    helper = colleague(org, "helper")
    holds(helper, org.extrude, 3, happy=True)
    url = reverse("communities:invite", args=[asked.pk])
    for person in (org.newcomer, org.learner):  # the asker, a reader
        assert _as(client, person).post(url, {"person": helper.pk}).status_code == 403
    api = f"{API}/questions/{asked.pk}/invite"
    assert (
        client.post(api, {"person": helper.pk}, content_type="application/json").status_code == 403
    )
    assert not Invitation.objects.filter(invitee=helper).exists()
    response = _as(client, org.designer).post(url, {"person": helper.pk}, follow=True)
    assert "Helper Test is invited." in response.content.decode()
    invitation = Invitation.objects.get(invitee=helper)
    assert invitation.by == org.designer
    assert Notification.objects.filter(person=helper, kind="communities.invited").exists()


def test_moderators_invite_too(client: Client, org: Org, asked: Post) -> None:
    helper = colleague(org, "helper")
    holds(helper, org.extrude, 4)
    response = _as(client, org.animator).post(
        f"{API}/questions/{asked.pk}/invite", {"person": helper.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["warning"] == "" and body["invitation"]["invitee"]["id"] == helper.pk
    assert "invited by Denis Petit" not in " ".join(body["invitation"]["reasons"])
    assert any("a host of the community" in r for r in body["invitation"]["reasons"])


def test_the_cap_is_overridden_by_a_host_with_a_warning(
    client: Client, org: Org, asked: Post
) -> None:
    helper = colleague(org, "helper")
    holds(helper, org.extrude, 4)
    busy(helper, routing.WEEKLY_CAP)
    c = _as(client, org.designer)
    api = f"{API}/questions/{asked.pk}/invite"
    refused = c.post(api, {"person": helper.pk}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "override_cap"
    assert not Invitation.objects.filter(post=asked, invitee=helper).exists()
    page = c.post(
        reverse("communities:invite", args=[asked.pk]), {"person": helper.pk}, follow=True
    )
    assert "Confirm to invite them anyway" in page.content.decode()
    done = c.post(api, {"person": helper.pk, "override_cap": True}, content_type="application/json")
    assert done.status_code == 201 and "already invited 3 times" in done.json()["warning"]


@pytest.mark.parametrize("who", ["newcomer", "manager", "expert", "learner", "nobody"])
def test_a_host_cannot_invite_against_the_rules(
    client: Client, org: Org, asked: Post, who: str
) -> None:
    """The asker, their manager, who is already invited, who does not hold the skill well
    enough, an unknown id: refused, nothing changed."""
    c = _as(client, org.designer)
    person = 999999 if who == "nobody" else org.person(who).pk
    before = Invitation.objects.count()
    api = c.post(
        f"{API}/questions/{asked.pk}/invite", {"person": person}, content_type="application/json"
    )
    assert api.status_code in (400, 404, 409), api.content
    page = c.post(reverse("communities:invite", args=[asked.pk]), {"person": person})
    assert page.status_code == 302
    assert Invitation.objects.count() == before
    assert (
        c.post(reverse("communities:invite", args=[asked.pk]), {"person": "x"}).status_code == 302
    )


def test_no_invitation_on_a_solved_question(client: Client, org: Org, asked: Post) -> None:
    Post.objects.filter(pk=asked.pk).update(solved_at=asked.created_at)
    helper = colleague(org, "helper")
    holds(helper, org.extrude, 4)
    response = _as(client, org.designer).post(
        f"{API}/questions/{asked.pk}/invite", {"person": helper.pk}, content_type="application/json"
    )
    assert response.status_code == 409


# --- the API's lists ---------------------------------------------------------------------------


def test_a_questions_invitations_through_the_api(client: Client, org: Org, asked: Post) -> None:
    url = f"{API}/questions/{asked.pk}/invitations"
    mine = _as(client, org.newcomer).get(url).json()
    assert mine["count"] == 1 and mine["items"][0]["invitee"]["name"] == "Karim Benali"
    assert mine["items"][0]["reasons"] and "score" not in mine["items"][0]
    other = _as(client, org.learner).get(url).json()
    assert other["count"] == 1 and other["items"][0]["invitee"] is None
    assert other["items"][0]["reasons"] == []
    own = _as(client, org.expert).get(url).json()["items"][0]
    assert own["mine"] and own["invitee"]["id"] == org.expert.pk
    assert client.get(f"{API}/questions/999999/invitations").status_code == 404


def test_my_invitations_through_the_api_paginated(client: Client, org: Org) -> None:
    for i in range(3):
        ask(org.newcomer, org.extrude, title=f"question {i}")
    c = _as(client, org.expert)
    page = c.get(f"{API}/invitations?page_size=2").json()
    assert page["count"] == 3 and len(page["items"]) == 2
    assert page["items"][0]["title"] == "question 2" and page["items"][0]["state"] == "pending"
    assert page["items"][0]["reasons"]
    assert _as(client, org.learner).get(f"{API}/invitations").json()["count"] == 0


def test_the_openapi_document_lists_the_routing(client: Client, db: None) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        f"{API}/questions/{{question_id}}/invitations",
        f"{API}/invitations/{{invitation_id}}/pass",
        f"{API}/questions/{{question_id}}/invite",
        f"{API}/invitations",
    ):
        assert path in paths
