"""The demo's communities: one per major trade, hosts and members, the personas in some, a
request to join waiting on the host of the community on request; idempotent."""

from __future__ import annotations

import pytest

from sylva.communities.demo import spaces as demo
from sylva.communities.models import Community, Follow, Membership
from sylva.communities.queries import spaces as queries
from sylva.people import seed, verbs
from sylva.people.models import LearningEvent, Person


@pytest.fixture
def company(db: None) -> None:
    seed.generate_company(people=120, seed=5, events_per_person=2)


def _p(username: str) -> Person:
    return Person.objects.get(user__username=username)


def test_the_demo_communities_have_hosts_members_and_the_personas(company) -> None:
    counts = demo.seed(seed=5)
    assert counts["communities"] == len(demo.PLANS) == Community.objects.count()
    for community in Community.objects.all():
        assert queries.hosts_of(community), community.slug
        assert queries.member_count(community) >= 2, community.slug
    maintenance = Community.objects.get(slug="maintenance")
    assert _p("expert") in queries.hosts_of(maintenance)
    assert Membership.objects.filter(person=_p("field"), state="active").count() >= 2
    assert Membership.objects.filter(person=_p("newcomer"), state="active").count() >= 2
    # the request waiting on the host of the community on request
    pending = queries.requests_to_host(_p("manager"))
    assert [(m.person, m.community.slug) for m in pending] == [(_p("newcomer"), "securite")]
    assert Community.objects.get(slug="securite").access == Community.Access.REQUEST
    assert Follow.objects.filter(person=_p("newcomer")).count() >= 2
    joined = LearningEvent.objects.filter(
        verb=verbs.JOINED.iri, object_id__contains="communities/community"
    ).count()
    assert joined == Membership.objects.filter(state="active").count()


def test_seeding_twice_doubles_nothing(company) -> None:
    demo.seed(seed=5)
    before = (Community.objects.count(), Membership.objects.count(), Follow.objects.count())
    again = demo.seed(seed=5)
    assert again == {"communities": 0, "community members": 0, "requests to join": 0, "follows": 0}
    assert (Community.objects.count(), Membership.objects.count(), Follow.objects.count()) == before


@pytest.mark.parametrize("persona", ["newcomer", "expert", "field", "manager", "animator"])
def test_every_page_of_the_area_answers_for_the_personas_on_the_demo(company, persona) -> None:
    from django.test import Client

    demo.seed(seed=5)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(_p(persona).user)
    home = client.get("/communities/")
    assert home.status_code == 200
    assert "/communities/c/" in home.content.decode()
    for community in Community.objects.all():
        page = client.get(f"/communities/c/{community.slug}/")
        assert page.status_code == 200, community.slug
    assert client.get("/communities/c/securite/members/").status_code == (
        200 if persona in ("manager", "field", "animator") else 404
    )
    assert client.get("/api/v1/communities/?page_size=50").json()["count"] == len(demo.PLANS)
    if persona == "manager":
        page = client.get("/communities/c/securite/members/").content.decode()
        assert _p("newcomer").full_name in page
        assert client.get("/communities/c/securite/edit/").status_code == 200
