"""Who may see and do what in the communities of practice, on every page and API route of
the area, for every role: a learner who is a member, a learner who is not, a host, a
manager, an animator (moderator), a designer, an administrator. A community on request
shows its name, purpose and "ask to join" to non-members, never its posts — on the page and
in the API. Not theirs to change: 403 when they may read it, 404 when they may not; nothing
changed."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from sylva.communities.models import Community, Membership, Post
from sylva.communities.services import spaces as services
from tests.factories import Org, make_person

API = "/api/v1/communities"
ROLES = ["member", "outsider", "host", "manager", "animator", "designer", "admin"]
#: who reads a community on request (its members, its host, moderators: animator, admin)
READERS = {"member", "host", "animator", "admin"}
#: who changes a community (its host, and moderators)
HOSTS = {"host", "animator", "admin"}
SECRET_TITLE = "Réglage secret de la filière"


@dataclass
class World:
    org: Org
    open: Community
    closed: Community
    pending: Membership  # the newcomer's request to join `closed`

    def person(self, role: str):  # type: ignore[no-untyped-def]
        return {
            "member": self.org.learner,
            "outsider": self.org.operator,
            "host": self.org.expert,
            "manager": self.org.manager,
            "animator": self.org.animator,
            "designer": self.org.designer,
            "admin": self.org.admin,
        }[role]


@pytest.fixture
def world(org: Org) -> World:
    org.operator = make_person("outsider", first="Olivier", last="Dehors", team=org.extrusion)
    open_ = services.create_community(person=org.expert, name="Extrusion", purpose="Réglages")
    closed = services.create_community(
        person=org.expert,
        name="Sécurité référents",
        purpose="Les référents",
        access_=Community.Access.REQUEST,
    )
    for community in (open_, closed):
        Membership.objects.create(
            community=community, person=org.learner, state="active", joined_at=community.created_at
        )
    pending = services.join(person=org.newcomer, community=closed)
    for community in (open_, closed):
        Post.objects.create(
            kind=Post.Kind.QUESTION,
            community=community,
            author=org.expert,
            audience=Post.Audience.EVERYONE,  # as the qa service writes a question
            title=f"{SECRET_TITLE} {community.slug}",
        )
    return World(org, open_, closed, pending)


def _as(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(person.user)
    return client


def _json(client: Client, method: str, path: str, data: object = None) -> int:
    call = getattr(client, method)
    if method in ("post", "put"):
        return call(path, data or {}, content_type="application/json").status_code  # type: ignore[no-any-return]
    return call(path).status_code  # type: ignore[no-any-return]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_home_and_an_open_community_with_its_posts(world, role) -> None:
    client = _as(world.person(role))
    assert client.get("/communities/").status_code == 200
    page = client.get(f"/communities/c/{world.open.slug}/")
    assert page.status_code == 200
    assert f"{SECRET_TITLE} {world.open.slug}" in page.content.decode()
    api = client.get(f"{API}/c/{world.open.slug}").json()
    assert api["readable"] and [q["title"] for q in api["questions"]]
    assert client.get(f"/communities/c/{world.open.slug}/members/").status_code == 200
    assert client.get(f"{API}/c/{world.open.slug}/members").status_code == 200
    listed = client.get(f"{API}/?q=extrusion").json()
    assert [c["slug"] for c in listed["items"]] == [world.open.slug]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_a_community_on_request_hides_its_posts_from_non_members(world, role) -> None:
    client = _as(world.person(role))
    slug = world.closed.slug
    page = client.get(f"/communities/c/{slug}/")
    assert page.status_code == 200  # its name, purpose and "ask to join": to everyone
    html = page.content.decode()
    assert "Sécurité référents" in html
    api = client.get(f"{API}/c/{slug}")
    assert api.status_code == 200
    body = api.json()
    if role in READERS:
        assert SECRET_TITLE in html
        assert body["readable"] and body["questions"]
        assert client.get(f"/communities/c/{slug}/members/").status_code == 200
        assert client.get(f"{API}/c/{slug}/members").status_code == 200
    else:
        assert SECRET_TITLE not in html and SECRET_TITLE not in api.content.decode()
        assert "Ask to join" in html
        assert not body["readable"] and body["questions"] == body["experiences"] == []
        assert client.get(f"/communities/c/{slug}/members/").status_code == 404
        assert client.get(f"{API}/c/{slug}/members").status_code == 404
        # following it is not a way in either
        assert client.post(f"/communities/c/{slug}/follow/").status_code == 404
        assert _json(client, "post", f"{API}/c/{slug}/follow") == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_hosts_and_moderators_see_the_requests_to_join(world, role) -> None:
    client = _as(world.person(role))
    slug = world.closed.slug
    listed = client.get(f"{API}/c/{slug}/members")
    page = client.get(f"/communities/c/{slug}/members/")
    if role in HOSTS:
        states = {m["state"] for m in listed.json()["items"]}
        assert states == {"active", "pending"}
        assert world.org.newcomer.full_name in page.content.decode()
    elif role in READERS:
        assert {m["state"] for m in listed.json()["items"]} == {"active"}
        assert world.org.newcomer.full_name not in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_editing_archiving_and_naming_hosts_are_for_hosts_and_moderators(world, role) -> None:
    client = _as(world.person(role))
    data = {"name": "Renamed", "purpose": "", "language": "", "access": "open", "skills": []}
    for community in (world.open, world.closed):
        slug = community.slug
        if role in HOSTS:
            expected = 200
        elif community.access == "open" or role in READERS:
            expected = 403
        else:
            expected = 404
        assert client.get(f"/communities/c/{slug}/edit/").status_code == expected, slug
        if role in HOSTS:
            continue
        assert client.post(f"/communities/c/{slug}/edit/", data).status_code == expected
        assert _json(client, "put", f"{API}/c/{slug}", data) == expected
        assert client.post(f"/communities/c/{slug}/archive/").status_code == expected
        assert _json(client, "post", f"{API}/c/{slug}/archive") == expected
        member = world.org.learner.pk
        assert client.post(f"/communities/c/{slug}/hosts/", {"person": member}).status_code == (
            expected
        )
        assert _json(client, "post", f"{API}/c/{slug}/hosts", {"person_id": member}) == expected
    for community in (world.open, world.closed):
        community.refresh_from_db()
        assert community.archived_at is None
        assert community.name != "Renamed"
    assert not Membership.objects.filter(person=world.org.learner, role="host").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_answering_a_request_to_join_is_for_hosts_and_moderators(world, role) -> None:
    client = _as(world.person(role))
    slug, pk = world.closed.slug, world.pending.pk
    if role in HOSTS:
        assert _json(client, "post", f"{API}/c/{slug}/requests/{pk}/accept") == 200
        world.pending.refresh_from_db()
        assert world.pending.state == "active"
        return
    expected = 403 if role in READERS else 404
    assert client.post(f"/communities/c/{slug}/requests/{pk}/accept/").status_code == expected
    assert client.post(f"/communities/c/{slug}/requests/{pk}/decline/").status_code == expected
    assert _json(client, "post", f"{API}/c/{slug}/requests/{pk}/accept") == expected
    assert _json(client, "post", f"{API}/c/{slug}/requests/{pk}/decline") == expected
    world.pending.refresh_from_db()
    assert world.pending.state == "pending"  # nothing changed


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_anyone_starts_a_community_and_hosts_it(world, role) -> None:
    client = _as(world.person(role))
    assert client.get("/communities/new/").status_code == 200
    made = client.post(
        f"{API}/", {"name": f"Atelier {role}", "access": "request"}, content_type="application/json"
    )
    assert made.status_code == 201
    body = made.json()
    assert body["is_host"] and body["membership"] == "active" and body["role"] == "host"
    assert body["slug"] == f"atelier-{role}"


@pytest.mark.django_db
def test_an_unknown_community_is_404_on_every_route(world) -> None:
    client = _as(world.org.admin)
    for path in ("", "edit/", "members/"):
        assert client.get(f"/communities/c/nowhere/{path}").status_code == 404
    for path in ("join/", "leave/", "follow/", "archive/", "requests/1/accept/"):
        assert client.post(f"/communities/c/nowhere/{path}").status_code == 404
    assert client.get(f"{API}/c/nowhere").status_code == 404
    assert _json(client, "post", f"{API}/c/nowhere/join") == 404
    assert client.get(f"{API}/c/nowhere/members").status_code == 404


@pytest.mark.django_db
def test_an_archived_community_is_gone_for_non_members(world) -> None:
    services.archive_community(person=world.org.expert, community=world.open)
    outsider = _as(world.org.operator)
    assert outsider.get(f"/communities/c/{world.open.slug}/").status_code == 404
    assert outsider.get(f"{API}/c/{world.open.slug}").status_code == 404
    member = _as(world.org.learner)
    page = member.get(f"/communities/c/{world.open.slug}/")
    assert page.status_code == 200 and "archived" in page.content.decode()
    assert _json(outsider, "post", f"{API}/c/{world.open.slug}/join") == 404
    assert not Membership.objects.filter(person=world.org.operator).exists()


@pytest.mark.django_db
def test_signed_out_visitors_sign_in_first(world) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.get("/communities/").status_code == 302
    assert client.get(f"/communities/c/{world.open.slug}/").status_code == 302
    assert client.get(f"{API}/").status_code in (401, 403)
