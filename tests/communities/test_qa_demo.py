"""The demo's posts: in every community, answered (an accepted answer, thanks) and
unanswered questions, experience reports, a resource, an announcement; the newcomer's
questions, one the expert is well placed to answer, the field worker's report, a reported
post on the animator's moderation page; idempotent."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sylva.communities.demo import qa as demo
from sylva.communities.demo import spaces
from sylva.communities.inbox import qa as inbox
from sylva.communities.models import Community, Flag, Post, Reply, Revision, Thanks
from sylva.core.counting import count_waiting
from sylva.people import seed
from sylva.people.models import Person, PersonSkill


@pytest.fixture
def company(db: None) -> None:
    seed.generate_company(people=150, seed=5, events_per_person=2)
    spaces.seed(seed=5)


def _p(username: str) -> Person:
    return Person.objects.get(user__username=username)


def test_every_community_has_posts_of_every_kind(company) -> None:
    counts = demo.seed(seed=5)
    assert counts["community posts"] > 0 and counts["reported posts"] == 1
    seeded = 0
    for community in Community.objects.all():
        posts = Post.objects.filter(community=community)
        if not posts.filter(kind="announcement").exists():
            continue
        seeded += 1
        assert {p.kind for p in posts} == {"question", "experience", "resource", "announcement"}
        assert Reply.objects.filter(post__community=community, accepted_at__isnull=False).exists()
        assert posts.filter(kind="question", replies__isnull=True).exists()
        assert {p.audience for p in posts.filter(kind="experience")} >= {"everyone"}
    assert seeded >= len(spaces.PLANS) - 2
    assert Thanks.objects.exists() and Revision.objects.exists()
    assert Post.objects.filter(author=_p("newcomer"), replies__isnull=True).exists()
    assert Post.objects.filter(author=_p("field"), kind="experience").exists()
    [for_expert] = Post.objects.filter(title=demo.FOR_EXPERT)
    held = PersonSkill.objects.filter(person=_p("expert"), level__gte=3).values_list(
        "skill", flat=True
    )
    assert set(for_expert.skills.values_list("pk", flat=True)) <= set(held)
    assert count_waiting(inbox.waiting(_p("newcomer"))) >= 1  # her question has an answer to accept
    assert Flag.objects.filter(resolved_at__isnull=True).count() == 1


def test_the_animator_moderates_the_reported_post(company, client: Client) -> None:
    demo.seed(seed=5)
    client.force_login(_p("animator").user)
    page = client.get(reverse("communities:moderation")).content.decode()
    assert demo.REPORTED in page
    assert any(i.kind == "communities.report" for i in inbox.items(_p("animator")))


def test_seeding_twice_doubles_nothing(company) -> None:
    demo.seed(seed=5)
    before = (Post.objects.count(), Reply.objects.count(), Flag.objects.count())
    assert demo.seed(seed=5) == {"community posts": 0, "reported posts": 0}
    assert (Post.objects.count(), Reply.objects.count(), Flag.objects.count()) == before
