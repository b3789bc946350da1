"""The communities' part of "Where can I learn this?" (``sylva.communities.ways``): what it
offers, with which conditions, and what it never lets through — a private or draft circle
to someone it does not concern, the posts of a members-only community to a non-member, a
hidden question, an archived community, a retired situation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone, translation

from sylva.communities.models import (
    Assignment,
    Circle,
    CircleMember,
    CircleSession,
    Community,
    Membership,
    Post,
    WorkSituation,
)
from sylva.core.pillars import Pillar, Way
from sylva.people.models import Person, Skill
from tests.factories import Org

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def _config() -> Pillar:
    config = apps.get_app_config("communities")
    assert isinstance(config, Pillar)
    return config


def _ways(person: Person, skill: Skill, kind: str) -> list[Way]:
    found = _config().ways_to_learn(person, skill)
    return [w for w in found if w.kind == kind]


def _circle(org: Org, title: str, **fields: object) -> Circle:
    circle = Circle.objects.create(
        title=title, purpose="p", facilitator=org.expert, created_by=org.expert, **fields
    )
    circle.skills.add(org.extrude)
    return circle


def test_a_private_or_draft_circle_is_offered_only_to_the_people_it_concerns(org: Org) -> None:
    private = _circle(org, "Private", state=Circle.State.RUNNING, private=True)
    _circle(org, "Draft")
    public = _circle(org, "Public", state=Circle.State.OPEN)
    assert [w.title for w in _ways(org.newcomer, org.extrude, "communities.circle")] == ["Public"]
    CircleMember.objects.create(circle=private, person=org.learner)
    seen = {w.title for w in _ways(org.learner, org.extrude, "communities.circle")}
    assert seen == {"Public", "Private"}
    # the facilitator sees the draft too; a closed circle is not a way any more
    public.state = Circle.State.CLOSED
    public.save()
    assert {w.title for w in _ways(org.expert, org.extrude, "communities.circle")} == {"Private"}


def test_a_circle_says_its_places_its_format_and_its_next_session(org: Org) -> None:
    circle = _circle(org, "Open", state=Circle.State.OPEN, max_members=4, format="video")
    now = timezone.now()
    CircleSession.objects.create(circle=circle, number=1, starts_at=now - timedelta(days=1))
    CircleSession.objects.create(
        circle=circle, number=2, starts_at=now + timedelta(days=1), cancelled_at=now
    )
    nxt = CircleSession.objects.create(circle=circle, number=3, starts_at=now + timedelta(days=8))
    CircleMember.objects.create(circle=circle, person=org.learner)
    (way,) = _ways(org.newcomer, org.extrude, "communities.circle")
    assert way.when == nxt.starts_at
    assert "open to join: 3 places left" in way.conditions and "video" in way.conditions
    assert "facilitated by Karim Benali" in way.conditions
    for i in range(3):
        CircleMember.objects.create(
            circle=circle, person=Person.objects.get(user__username=f"operator{i}")
        )
    (full,) = _ways(org.newcomer, org.extrude, "communities.circle")
    assert "full" in full.conditions
    (mine,) = _ways(org.learner, org.extrude, "communities.circle")
    assert "you are in it" in mine.conditions


def test_communities_on_the_skill_say_how_to_join_and_never_their_posts(org: Org) -> None:
    open_ = Community.objects.create(slug="open", name="Open trade")
    open_.skills.add(org.extrude)
    closed = Community.objects.create(slug="closed", name="Closed", access="request")
    closed.skills.add(org.extrude)
    domain = Community.objects.create(slug="domain", name="The domain", domain=org.tech)
    archived = Community.objects.create(slug="old", name="Old", archived_at=timezone.now())
    archived.skills.add(org.extrude)
    Membership.objects.create(community=open_, person=org.learner)
    ways = _ways(org.newcomer, org.extrude, "communities.community")
    assert [w.title for w in ways] == ["Open trade", "Closed", "The domain"]
    assert "open to everyone: join in one click" in ways[0].conditions
    assert "1 member" in ways[0].conditions
    assert "on request: a host accepts" in ways[1].conditions
    assert "on its domain" in ways[2].conditions
    assert ways[0].url == "/communities/c/open/" and domain.slug in ways[2].url
    for community, title in ((open_, "Open question"), (closed, "Members' question")):
        q = Post.objects.create(
            kind=Post.Kind.QUESTION,
            community=community,
            author=org.expert,
            title=title,
            solved_at=timezone.now(),
            audience=Post.Audience.EVERYONE,
        )
        q.skills.add(org.extrude)
    hidden = Post.objects.create(
        kind=Post.Kind.QUESTION,
        community=open_,
        author=org.expert,
        title="Hidden",
        solved_at=timezone.now(),
        hidden_at=timezone.now(),
        audience="everyone",
    )
    hidden.skills.add(org.extrude)
    unsolved = Post.objects.create(
        kind=Post.Kind.QUESTION,
        community=open_,
        author=org.expert,
        title="Open still",
        audience="everyone",
    )
    unsolved.skills.add(org.extrude)
    (count,) = _ways(org.newcomer, org.extrude, "communities.questions")
    assert count.title == "1 question answered on it"
    assert all(
        "question" not in w.title.lower() or w.kind == "communities.questions"
        for w in _config().ways_to_learn(org.newcomer, org.extrude)
    )
    Membership.objects.create(community=closed, person=org.newcomer)
    (count,) = _ways(org.newcomer, org.extrude, "communities.questions")
    assert count.title == "2 questions answered on it"


def test_work_situations_that_develop_it_and_the_one_assigned_to_me(org: Org) -> None:
    mine = WorkSituation.objects.create(title="Start the line", task="t", author=org.designer)
    other = WorkSituation.objects.create(title="Adjust a die", task="t", author=org.designer)
    retired = WorkSituation.objects.create(
        title="Retired", task="t", author=org.designer, retired_at=timezone.now()
    )
    for s in (mine, other, retired):
        s.skills.add(org.extrude)
    Assignment.objects.create(
        situation=mine, learner=org.newcomer, tutor=org.expert, assigned_by=org.manager
    )
    ways = _ways(org.newcomer, org.extrude, "communities.situation")
    assert [w.title for w in ways] == ["Start the line", "Adjust a die"]
    assert "assigned to you" in ways[0].conditions
    assert "your manager assigns it" in ways[1].conditions


def test_nothing_on_a_skill_asks_a_question_instead(org: Org) -> None:
    config = _config()
    assert config.ways_to_learn(org.newcomer, org.facilitation) == []
    (ask,) = config.ways_to_ask(org.newcomer, org.facilitation)
    assert ask.url.startswith("/communities/")
