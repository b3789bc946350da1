"""The membership rules of a community of practice: its address, its first host, joining
in one click or on request (the hosts told, the answer told), the last host who cannot
leave, double joins, someone else's request ids, following; the home's search, suggestions
and empty states; the inbox; bad input in the API. Each refusal changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from sylva.communities import inbox as communities_inbox
from sylva.communities.inbox import spaces as inbox
from sylva.communities.models import Community, Follow, Membership, Post, Reply
from sylva.communities.queries import spaces as queries
from sylva.communities.services import spaces as services
from sylva.core.counting import count_waiting
from sylva.core.errors import ServiceError
from sylva.notifications.models import Notification
from sylva.people import verbs
from sylva.people.models import LearningEvent, LearningWish, Person
from tests.factories import Org

API = "/api/v1/communities"


def waits_on(person: Person) -> int:
    """How many things wait on ``person`` in this inbox module."""
    return count_waiting(inbox.waiting(person))


def _as(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(person.user)
    return client


def _joined(person) -> int:  # type: ignore[no-untyped-def]
    return LearningEvent.objects.filter(actor=person, verb=verbs.JOINED.iri).count()


def _closed(org: Org) -> Community:
    return services.create_community(
        person=org.expert, name="Référents", access_=Community.Access.REQUEST
    )


@pytest.mark.django_db
def test_the_address_is_derived_unique_and_the_creator_is_the_first_host(org: Org) -> None:
    first = services.create_community(person=org.expert, name="Sécurité machine")
    second = services.create_community(person=org.learner, name="Sécurité  Machine!")
    assert (first.slug, second.slug) == ("securite-machine", "securite-machine-2")
    assert queries.hosts_of(first) == [org.expert]
    assert _joined(org.expert) == 1  # the creator joined it
    services.edit_community(person=org.expert, community=first, name="Autre nom")
    first.refresh_from_db()
    assert first.slug == "securite-machine"  # links keep working


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "ok", "purpose": "p" * 2001}, "purpose"),
        ({"name": "ok", "language": "de"}, "language"),
        ({"name": "ok", "access_": "secret"}, "access"),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_made(org: Org, fields, field) -> None:
    with pytest.raises(ServiceError) as refused:
        services.create_community(person=org.learner, **fields)
    assert refused.value.field == field and refused.value.status == 400
    assert not Community.objects.exists() and not Membership.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_bad_input_with_a_clear_4xx(org: Org) -> None:
    client = _as(org.learner)

    def post(data: dict[str, object]) -> tuple[int, dict]:  # type: ignore[type-arg]
        r = client.post(f"{API}/", data, content_type="application/json")
        return r.status_code, r.json()

    status, body = post({"name": "Atelier", "skills": ["nope"]})
    assert status == 400 and body["errors"][0]["field"] == "skills"
    status, body = post({"name": "Atelier", "domain": "nope"})
    assert status == 400 and body["errors"][0]["field"] == "domain"
    status, _body = post({"name": "x" * 121})
    assert status in (400, 422)
    status, _body = post({"name": "Atelier", "access": "secret"})
    assert status in (400, 422)
    assert not Community.objects.exists()
    status, body = post({"name": "Atelier", "skills": ["excel", "excel"], "domain": "soft"})
    assert status == 201 and body["skills"] == ["excel"] and body["domain"]["code"] == "soft"


@pytest.mark.django_db
def test_joining_an_open_community_is_one_click_and_once(org: Org) -> None:
    space = services.create_community(person=org.expert, name="Extrusion")
    response = _as(org.learner).post(f"/communities/c/{space.slug}/join/")
    assert response.status_code == 302
    assert queries.membership_of(org.learner, space).state == "active"  # type: ignore[union-attr]
    assert _joined(org.learner) == 1
    with pytest.raises(ServiceError) as twice:
        services.join(person=org.learner, community=space)
    assert twice.value.status == 409
    assert _as(org.learner).post(f"{API}/c/{space.slug}/join").status_code == 409
    assert Membership.objects.filter(person=org.learner).count() == 1
    assert _joined(org.learner) == 1


@pytest.mark.django_db
def test_asking_to_join_tells_the_hosts_who_accept_and_the_person_is_told(org: Org) -> None:
    space = _closed(org)
    asked = services.join(person=org.newcomer, community=space)
    assert asked.state == "pending" and _joined(org.newcomer) == 0
    told = Notification.objects.get(person=org.expert, kind="communities.membership")
    assert told.url == f"/communities/c/{space.slug}/members/"
    with pytest.raises(ServiceError):  # asking twice
        services.join(person=org.newcomer, community=space)
    # the host's inbox: the request, with Accept and Decline in one click
    items = inbox.items(org.expert)
    assert [i.kind for i in items] == ["communities.request"]
    assert [a.url for a in items[0].actions] == [
        f"/communities/c/{space.slug}/requests/{asked.pk}/accept/",
        f"/communities/c/{space.slug}/requests/{asked.pk}/decline/",
    ]
    assert waits_on(org.expert) == 1 and waits_on(org.newcomer) == 0
    assert [i.mine for i in inbox.items(org.newcomer)] == [False]  # waiting on the hosts
    assert count_waiting(communities_inbox.waiting(org.expert)) >= 1
    # accepted from the inbox (its next comes back)
    response = _as(org.expert).post(items[0].actions[0].url, {"next": "/inbox/"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    asked.refresh_from_db()
    assert asked.state == "active" and _joined(org.newcomer) == 1
    assert Notification.objects.filter(person=org.newcomer, kind="communities.membership").exists()
    assert waits_on(org.expert) == 0
    answered = _as(org.expert).post(items[0].actions[0].url)  # a second click: a message
    assert answered.status_code == 302
    assert answered["Location"] == f"/communities/c/{space.slug}/members/"
    with pytest.raises(ServiceError) as again:  # answered already
        services.accept_request(person=org.expert, community=space, membership_id=asked.pk)
    assert again.value.status == 409


@pytest.mark.django_db
def test_a_declined_request_is_removed_and_the_person_is_told(org: Org) -> None:
    space = _closed(org)
    asked = services.join(person=org.newcomer, community=space)
    api = _as(org.expert).post(f"{API}/c/{space.slug}/requests/{asked.pk}/decline")
    assert api.status_code == 204
    assert not Membership.objects.filter(person=org.newcomer).exists()
    assert Notification.objects.filter(person=org.newcomer, kind="communities.membership").exists()
    assert _joined(org.newcomer) == 0
    # and may ask again later
    assert services.join(person=org.newcomer, community=space).state == "pending"


@pytest.mark.django_db
def test_a_host_cannot_answer_requests_of_another_community_through_their_own(org: Org) -> None:
    mine = services.create_community(person=org.learner, name="Tableur")
    theirs = _closed(org)
    asked = services.join(person=org.newcomer, community=theirs)
    client = _as(org.learner)
    # someone else's request id under my own community: no such request there
    assert client.post(f"{API}/c/{mine.slug}/requests/{asked.pk}/accept").status_code == 404
    assert client.post(f"/communities/c/{mine.slug}/requests/{asked.pk}/accept/").status_code == (
        404
    )
    # under its own community, which I may not read: 404
    assert client.post(f"{API}/c/{theirs.slug}/requests/{asked.pk}/accept").status_code == 404
    asked.refresh_from_db()
    assert asked.state == "pending"


@pytest.mark.django_db
def test_the_last_host_names_another_before_leaving(org: Org) -> None:
    space = services.create_community(person=org.expert, name="Extrusion")
    services.join(person=org.learner, community=space)
    client = _as(org.expert)
    assert client.post(f"{API}/c/{space.slug}/leave").status_code == 409
    page = client.post(f"/communities/c/{space.slug}/leave/")
    assert page.status_code == 302  # back to the page, with the reason
    assert queries.hosts_of(space) == [org.expert]
    # naming a host who is not a member is refused
    assert (
        client.post(
            f"{API}/c/{space.slug}/hosts",
            {"person_id": org.manager.pk},
            content_type="application/json",
        ).status_code
        == 400
    )
    named = client.post(
        f"{API}/c/{space.slug}/hosts",
        {"person_id": org.learner.pk},
        content_type="application/json",
    )
    assert named.status_code == 200 and named.json()["role"] == "host"
    assert client.post(f"{API}/c/{space.slug}/leave").status_code == 204
    assert queries.hosts_of(space) == [org.learner]
    # a member who is not in it cannot leave it
    assert client.post(f"{API}/c/{space.slug}/leave").status_code == 409


@pytest.mark.django_db
def test_an_archived_community_is_read_only(org: Org) -> None:
    space = services.create_community(person=org.expert, name="Extrusion")
    services.archive_community(person=org.expert, community=space)
    with pytest.raises(ServiceError):
        services.archive_community(person=org.expert, community=space)
    with pytest.raises(ServiceError):
        services.edit_community(person=org.expert, community=space, name="Again")
    assert queries.others_for(org.learner, exclude=[]).count() == 0


@pytest.mark.django_db
def test_following_a_community_and_a_skill(org: Org) -> None:
    space = services.create_community(person=org.expert, name="Extrusion")
    client = _as(org.learner)
    assert client.post(f"{API}/c/{space.slug}/follow").status_code == 201
    assert client.post(f"{API}/c/{space.slug}/follow").status_code == 409
    assert client.post(f"{API}/skills/{org.extrude.code}/follow").status_code == 201
    assert client.post(f"{API}/skills/nope/follow").status_code == 404
    assert [(f["community"], f["skill"]) for f in client.get(f"{API}/following").json()] == [
        (None, org.extrude.code),
        (space.slug, None),
    ]
    home = client.get("/communities/").content.decode()
    assert 'id="following"' in home and f"/skills/{org.extrude.code}/unfollow/" in home
    assert client.post(f"/communities/skills/{org.extrude.code}/unfollow/").status_code == 302
    assert client.delete(f"{API}/c/{space.slug}/follow").status_code == 204
    assert client.delete(f"{API}/c/{space.slug}/follow").status_code == 409
    assert not Follow.objects.exists()


@pytest.mark.django_db
def test_the_home_search_is_accent_blind_and_suggests_by_skills_and_wishes(org: Org) -> None:
    safety = services.create_community(
        person=org.expert, name="Sécurité des lignes", skills=[org.safety]
    )
    sheets = services.create_community(person=org.expert, name="Tableurs", skills=[org.excel])
    services.create_community(person=org.expert, name="Atelier")
    LearningWish.objects.create(person=org.learner, skill=org.excel)
    assert queries.suggested_for(org.learner) == [sheets]
    client = _as(org.learner)
    found = client.get("/communities/?q=securite").content.decode()
    assert "Sécurité des lignes" in found and "Tableurs" not in found
    assert [c["slug"] for c in client.get(f"{API}/?q=SECURITE").json()["items"]] == [safety.slug]
    empty = client.get("/communities/?q=zzz").content.decode()
    assert "Start one" in empty


@pytest.mark.django_db
def test_empty_home_says_what_to_do(org: Org) -> None:
    page = _as(org.newcomer).get("/communities/").content.decode()
    assert "You are in no community yet" in page
    assert "/communities/new/" in page


@pytest.mark.django_db
def test_the_pages_make_edit_and_join_through_the_forms(org: Org) -> None:
    client = _as(org.learner)
    made = client.post(
        "/communities/new/",
        {"name": "Atelier d'extrusion", "access": "open", "skills": [org.extrude.pk]},
    )
    space = Community.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/communities/c/{space.slug}/"
    assert list(space.skills.all()) == [org.extrude]
    refused = client.post("/communities/new/", {"name": "", "access": "open"})
    assert refused.status_code == 200 and Community.objects.count() == 1
    edited = client.post(
        f"/communities/c/{space.slug}/edit/", {"name": "Extrusion", "access": "request"}
    )
    assert edited.status_code == 302
    space.refresh_from_db()
    assert (space.name, space.access) == ("Extrusion", "request")
    page = client.get(f"/communities/c/{space.slug}/").content.decode()
    assert "Members and requests" in page


@pytest.mark.django_db
def test_who_answers_most_names_only_those_who_consent(org: Org) -> None:
    from django.utils import timezone

    space = services.create_community(person=org.expert, name="Extrusion")
    org.expert.visible_in_insights = True
    org.expert.save()
    org.manager.visible_in_insights = False
    org.manager.save()
    for author in (org.expert, org.expert, org.manager):
        post = Post.objects.create(
            kind="question", community=space, author=org.learner, title="Q", audience="everyone"
        )
        Reply.objects.create(post=post, author=author, body="A", accepted_at=timezone.now())
    found = queries.top_answerers(space)
    assert found.named == [(org.expert, 2)] and found.unnamed == 1
    page = _as(org.learner).get(f"/communities/c/{space.slug}/").content.decode()
    assert org.expert.full_name in page and org.manager.full_name not in page
    assert "and 1 colleague" in page
