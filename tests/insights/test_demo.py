"""The demo company in insights: about half of it agreed to be named, the persona accounts
too, and some exchange reviews carry stories shared in the showcase."""

from __future__ import annotations

import pytest
from django.test import Client

from sylva.exchange import queries as exchange_queries
from sylva.exchange.demo import seed_demo as exchange_demo
from sylva.exchange.models import Review
from sylva.insights.demo import seed_demo
from sylva.insights.models import Snapshot
from sylva.people import seed
from sylva.people.models import Person


@pytest.fixture
def company(db: None) -> dict[str, int]:
    seed.generate_company(people=300, seed=5, events_per_person=6)
    stories = exchange_demo(seed=5)  # the exchange demo writes the showcase's stories
    return {**stories, **seed_demo(seed=5)}


def test_about_half_of_the_demo_company_is_named_and_every_persona(company) -> None:  # type: ignore[no-untyped-def]
    people = Person.objects.count()
    named = Person.objects.filter(visible_in_insights=True).count()
    assert company["people named in insights"] == named
    assert 0.35 * people <= named <= 0.65 * people
    personas = Person.objects.filter(user__username__in=[p.username for p in seed.PERSONAS])
    assert personas.exists() and all(p.visible_in_insights for p in personas)


def test_the_demo_animator_sees_named_people_and_shared_stories(company) -> None:  # type: ignore[no-untyped-def]
    assert company["stories shared in the showcase"] > 0
    assert Review.objects.filter(story_shared=False).exclude(story="").exists()  # some kept
    stories = exchange_queries.shared_stories(limit=500)
    assert len(stories) == company["stories shared in the showcase"]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(Person.objects.get(user__username="animator").user)
    page = client.get("/insights/visible/").content.decode()
    assert stories[0].author.full_name in page
    snapshot = Snapshot.objects.get()
    named = set(Person.objects.filter(visible_in_insights=True).values_list("pk", flat=True))
    holders = {r["person"] for r in snapshot.data["single_holder"]}
    assert holders & named  # the lists name some people …
    assert holders - named  # … and count the others


def test_the_demo_is_deterministic(company) -> None:  # type: ignore[no-untyped-def]
    named = list(Person.objects.filter(visible_in_insights=True).values_list("pk", flat=True))
    Person.objects.update(visible_in_insights=False)
    Review.objects.update(story="", story_shared=False)
    again = {**exchange_demo(seed=5), **seed_demo(seed=5)}
    assert again["people named in insights"] == company["people named in insights"]
    assert again["stories shared in the showcase"] == company["stories shared in the showcase"]
    assert (
        list(Person.objects.filter(visible_in_insights=True).values_list("pk", flat=True)) == named
    )


@pytest.mark.parametrize("people", [0, 2])
def test_the_demo_runs_on_an_empty_company(db: None, people: int) -> None:  # type: ignore[no-untyped-def]
    """No team, no skill, no event: a snapshot all the same (people without a team used to
    index an empty array of teams)."""
    from tests.factories import make_person

    for i in range(people):
        make_person(f"alone{i}")
    counts = seed_demo(seed=1)
    assert counts["insights snapshots"] == 1
    snapshot = Snapshot.objects.get()
    assert snapshot.people == people
