"""A skill's page and its API answer "Where can I learn this?" with every pillar's ways,
each with its conditions and a link, grouped by kind; what a reader may not see stays out
(a colleague who did not say they share it, a draft module, a private circle); the number
of queries does not grow with the company (1 row of each kind, then 20)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sylva.communities.models import (
    Circle,
    CircleSession,
    Community,
    Post,
    WorkSituation,
)
from sylva.core import pillars
from sylva.core.api import api
from sylva.exchange.models import Offer, Request
from sylva.microlearning.models import Campaign, CampaignModule, Module
from sylva.people.models import Person, PersonSkill, Skill
from tests.factories import Org, make_person

pytestmark = pytest.mark.django_db

#: the queries of every pillar's ways together, whatever the number of rows
WAYS_QUERIES = 22


def _offer(person: Person, skill: Skill, *, capacity: int = 2, **fields: Any) -> Offer:
    offer = Offer.objects.create(person=person, capacity=capacity, **fields)
    offer.skills.add(skill)
    # joining the network takes one offer and one request
    request = Request.objects.create(person=person, expires_at=timezone.now() + timedelta(30))
    request.skills.add(skill)
    return offer


def plant(org: Org, n: int, skill: Skill | None = None) -> dict[str, Any]:
    """``n`` ways of each kind on ``skill`` (extruder setup), and what must not show."""
    skill = skill or org.extrude
    now = timezone.now()
    made: dict[str, Any] = {"sharers": [], "offers": [], "modules": [], "circles": []}
    for i in range(n):
        p = make_person(
            f"sharer{skill.pk}x{i}", first=f"Sharer{i}", last="Partage", team=org.printing
        )
        PersonSkill.objects.create(
            person=p, skill=skill, level=4 if i % 2 else 3, willing_to_share=True
        )
        made["sharers"].append(p)
        made["offers"].append(_offer(p, skill, duration_minutes=45, video=True, site=org.lille))
        m = Module.objects.create(
            code=f"m-{skill.pk}-{i}",
            title=f"Module {i}",
            minutes=4,
            status=Module.Status.PUBLISHED,
            published_at=now,
        )
        m.skills.add(skill)
        made["modules"].append(m)
        c = Community.objects.create(slug=f"c-{skill.pk}-{i}", name=f"Community {i}")
        c.skills.add(skill)
        circle = Circle.objects.create(
            title=f"Circle {i}", purpose="p", facilitator=p, created_by=p, state=Circle.State.OPEN
        )
        circle.skills.add(skill)
        CircleSession.objects.create(circle=circle, starts_at=now + timedelta(days=3 + i))
        made["circles"].append(circle)
        s = WorkSituation.objects.create(title=f"Situation {i}", task="t", author=org.designer)
        s.skills.add(skill)
        q = Post.objects.create(
            kind=Post.Kind.QUESTION,
            community=c,
            author=p,
            title=f"Q{i}",
            audience=Post.Audience.EVERYONE,
            solved_at=now,
        )
        q.skills.add(skill)
    campaign = Campaign.objects.create(name="Extrusion month")
    if made["modules"]:
        CampaignModule.objects.create(campaign=campaign, module=made["modules"][0])
    return made


def _never_shown(org: Org) -> None:
    """On the same skill, what the newcomer must not be offered."""
    shy = make_person("shy", first="Shy", last="Silent", team=org.printing)
    PersonSkill.objects.create(person=shy, skill=org.extrude, level=4, willing_to_share=False)
    low = make_person("low", first="Low", last="Level", team=org.printing)
    PersonSkill.objects.create(person=low, skill=org.extrude, level=2, willing_to_share=True)
    gone = make_person("gone", first="Gone", last="Away", team=org.printing)
    PersonSkill.objects.create(person=gone, skill=org.extrude, level=4, willing_to_share=True)
    gone.user.is_active = False
    gone.user.save()
    draft = Module.objects.create(code="draft-one", title="Draft module", status="draft")
    draft.skills.add(org.extrude)
    private = Circle.objects.create(
        title="Private circle",
        purpose="p",
        facilitator=org.expert,
        created_by=org.expert,
        state=Circle.State.OPEN,
        private=True,
    )
    private.skills.add(org.extrude)
    draft_circle = Circle.objects.create(
        title="Draft circle", purpose="p", facilitator=org.expert, created_by=org.expert
    )
    draft_circle.skills.add(org.extrude)
    closed = Community.objects.create(
        slug="members", name="Members only", access=Community.Access.REQUEST
    )
    closed.skills.add(org.extrude)
    secret = Post.objects.create(
        kind=Post.Kind.QUESTION,
        community=closed,
        author=org.expert,
        title="Secret question",
        solved_at=timezone.now(),
        audience=Post.Audience.EVERYONE,
    )
    secret.skills.add(org.extrude)


def _page(client: Client, person: Person, code: str = "extrusion-setup") -> str:
    client.force_login(person.user)
    response = client.get(f"/skills/{code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="ways-title"')  # the holders' list below names every holder
    return html[start : html.index("</section>", start)]


def test_the_skill_page_shows_every_way_grouped_with_its_conditions(
    org: Org, client: Client
) -> None:
    made = plant(org, 1)
    _never_shown(org)
    html = _page(client, org.newcomer)
    assert "Where can I learn this?" in html
    for group in (
        "Colleagues willing to share it",
        "Open offers on the board",
        "Modules and light resources",
        "Communities of practice",
        "Learning circles",
        "Work situations that develop it",
        "Questions already answered",
    ):
        assert group in html, group
    sharer = made["sharers"][0]
    assert f"/people/{sharer.pk}/" in html and "happy to share it" in html
    assert f"/exchange/offers/{made['offers'][0].pk}/" in html
    assert "45 min" in html and "2 of 2 places left this month" in html
    assert "/learn/modules/m-" in html and "4 min" in html
    assert "open to join: 12 places left" in html and "next session" in html
    assert "1 question answered on it" in html  # the members-only one is not counted
    # never shown: not sharing, level 2, inactive, a draft, a private or draft circle
    for hidden in (
        "Shy Silent",
        "Low Level",
        "Gone Away",
        "Draft module",
        "Private circle",
        "Draft circle",
        "Secret question",
    ):
        assert hidden not in html, hidden
    # a members-only community is a way (on request), its posts are not
    assert "Members only" in html and "on request: a host accepts" in html


def test_the_reader_is_never_offered_to_themself(org: Org, client: Client) -> None:
    made = plant(org, 1)
    html = _page(client, made["sharers"][0])
    assert f"/people/{made['sharers'][0].pk}/" not in html
    assert f"/exchange/offers/{made['offers'][0].pk}/" not in html


def test_a_campaign_reaching_the_reader_is_a_way(org: Org, client: Client) -> None:
    plant(org, 1)
    html = _page(client, org.newcomer)
    assert "Campaigns that reach you" in html and "Extrusion month" in html


def test_nothing_on_a_skill_leads_to_wishing_it_or_asking(org: Org, client: Client) -> None:
    html = _page(client, org.newcomer, "facilitation")
    assert "Nothing inside the company teaches this skill yet" in html
    assert "?wish=facilitation" in html
    assert "/exchange/requests/new/" in html  # ask on the board
    assert "Ask a question in the communities" in html


def test_the_api_gives_the_same_ways_and_is_in_the_openapi_document(
    org: Org, client: Client
) -> None:
    made = plant(org, 1)
    _never_shown(org)
    client.force_login(org.newcomer.user)
    body = client.get("/api/v1/skills/extrusion-setup/ways", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["skill"]["code"] == "extrusion-setup"
    kinds = [g["kind"] for g in body["groups"]]
    assert kinds[:2] == ["people.colleague", "exchange.offer"]
    assert {"microlearning.module", "communities.circle", "communities.community"} <= set(kinds)
    circles = next(g for g in body["groups"] if g["kind"] == "communities.circle")["ways"]
    assert [w["title"] for w in circles] == ["Circle 0"]
    assert circles[0]["when"] is not None and circles[0]["conditions"]
    assert circles[0]["url"].endswith(f"/{made['circles'][0].pk}/")
    text = str(body)
    assert "Private circle" not in text and "Draft module" not in text
    assert client.get("/api/v1/skills/no-such-skill/ways").status_code == 404
    assert "/api/v1/skills/{code}/ways" in api.get_openapi_schema(path_prefix="/api/v1/")["paths"]


def test_the_api_asks_who_is_signed_in(org: Org, client: Client) -> None:
    assert client.get("/api/v1/skills/extrusion-setup/ways").status_code in (401, 403)


@pytest.mark.parametrize("rows", [1, 20])
def test_the_ways_cost_a_bounded_number_of_queries(
    org: Org, client: Client, django_assert_max_num_queries: Any, rows: int
) -> None:
    plant(org, rows)
    me = Person.objects.select_related("user").get(pk=org.newcomer.pk)
    me.user.has_perm("people.view_skill")  # the permissions' cache, as on any page
    with django_assert_max_num_queries(WAYS_QUERIES):
        groups = pillars.ways_to_learn(me, org.extrude)
    assert sum(len(g.ways) for g in groups) >= min(rows, 5) * 6
    client.force_login(org.newcomer.user)
    client.get("/api/v1/skills/extrusion-setup/ways")  # the session warm
    with django_assert_max_num_queries(WAYS_QUERIES + 16):
        assert client.get("/api/v1/skills/extrusion-setup/ways").status_code == 200


def test_the_page_costs_the_same_with_one_or_twenty_ways_of_each_kind(
    org: Org, client: Client
) -> None:
    plant(org, 1, org.extrude)
    plant(org, 20, org.safety)
    client.force_login(org.newcomer.user)
    counts = []
    for code in ("extrusion-setup", "machine-safety", "extrusion-setup"):
        with CaptureQueriesContext(connection) as done:
            assert client.get(f"/skills/{code}/").status_code == 200
        counts.append(len(done.captured_queries))
    assert counts[1] == counts[2], counts
