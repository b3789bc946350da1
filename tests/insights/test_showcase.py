"""The showcase ("make visible"): stories that an exchange's participants wrote for others
and agreed to share, readable by every employee — and nothing else of the review."""

from __future__ import annotations

import pytest
from django.test import Client

from sylva.core.errors import ServiceError
from sylva.exchange import queries as exchange_queries
from sylva.exchange.models import Review
from sylva.exchange.services import exchanges
from tests.exchange.conftest import held, xboard  # noqa: F401  (xboard: a fixture)

SECRET_LEARNED = "ce-que-j-ai-vraiment-appris"
SECRET_NEXT = "prochaine-etape-privee"
SECRET_MESSAGE = "mon-secret-de-fabrication"
SECRET_UNSHARED = "histoire-gardee-pour-moi"
STORY = "Grâce à Karim, je règle seule la ligne 3 et je l'ai montré à deux collègues."
ROLES = ["learner", "expert", "newcomer", "manager", "animator", "designer", "admin"]


def _as(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(person.user)
    return client


@pytest.fixture
def stories(xboard):  # type: ignore[no-untyped-def]  # noqa: F811
    """One exchange reviewed by both: the learner shares a story, the expert writes one and
    keeps it; both reviews carry confidential texts, and a message was exchanged."""
    x = held(xboard)
    exchanges.post_message(person=xboard.org.learner, exchange=x, body=SECRET_MESSAGE)
    exchanges.review(
        person=xboard.org.learner,
        exchange=x,
        learned=SECRET_LEARNED,
        usefulness=5,
        next_step=SECRET_NEXT,
        story=STORY,
        story_shared=True,
    )
    exchanges.review(
        person=xboard.org.expert,
        exchange=x,
        learned=SECRET_LEARNED + "-expert",
        usefulness=4,
        story=SECRET_UNSHARED,
        story_shared=False,
    )
    return xboard


@pytest.mark.django_db
def test_only_stories_whose_authors_shared_them_are_returned(stories) -> None:  # type: ignore[no-untyped-def]
    [story] = exchange_queries.shared_stories()
    assert story.story == STORY
    assert story.author == stories.org.learner
    assert story.skill == stories.org.extrude
    assert story.role == "learner"
    assert exchange_queries.shared_stories(author=stories.org.expert) == []
    assert exchange_queries.shared_stories(skill_id=stories.org.safety.pk) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_the_showcase_never_shows_what_stays_in_the_exchange(stories, role: str) -> None:  # type: ignore[no-untyped-def]
    """Every role reads the story with its author's name, on the page, on the animator's
    lever page when they may see it, and through the API; never a review text, a message
    or a story its author kept."""
    client = _as(stories.org.person(role))
    bodies = [
        client.get("/insights/showcase/").content.decode(),
        client.get("/api/v1/insights/showcase").content.decode(),
    ]
    visible = client.get("/insights/visible/")
    if visible.status_code == 200:
        bodies.append(visible.content.decode())
    for body in bodies:
        assert "Karim" in body or "Gr\\u00e2ce" in body or "Grâce" in body
        for secret in (SECRET_LEARNED, SECRET_NEXT, SECRET_MESSAGE, SECRET_UNSHARED):
            assert secret not in body
    page = bodies[0]
    assert "Grâce à Karim" in page or "Grâce à Karim".replace("'", "&#x27;") in page
    assert stories.org.learner.full_name in page
    api = client.get("/api/v1/insights/showcase").json()
    assert [s["story"] for s in api] == [STORY]
    assert api[0]["author"]["full_name"] == stories.org.learner.full_name
    assert set(api[0]) == {"story", "author", "skill", "skill_name", "role", "date"}


@pytest.mark.django_db
def test_the_showcase_says_so_when_there_is_no_story(xboard) -> None:  # noqa: F811
    page = _as(xboard.org.newcomer).get("/insights/showcase/").content.decode()
    assert "No story shared yet" in page


@pytest.mark.django_db
def test_the_showcase_is_in_french_too(stories) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(stories.org.newcomer.user)
    page = client.get("/insights/showcase/").content.decode()
    assert "Vitrine" in page and "Histoires" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("story", "shared", "field"),
    [
        ("x" * 1001, True, "story"),
        ("", True, "story"),
        ("   ", True, "story"),
        ("Une histoire", "yes", "story_shared"),
    ],
)
def test_a_bad_story_is_refused_and_nothing_is_stored(xboard, story, shared, field) -> None:  # noqa: F811
    x = held(xboard)
    with pytest.raises(ServiceError) as caught:
        exchanges.review(
            person=xboard.org.learner,
            exchange=x,
            learned="Les profils",
            usefulness=4,
            story=story,
            story_shared=shared,
        )
    assert caught.value.field == field
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_a_story_kept_private_is_stored_but_not_shown(xboard) -> None:  # noqa: F811
    x = held(xboard)
    exchanges.review(
        person=xboard.org.learner, exchange=x, learned="Les profils", usefulness=4, story="À moi"
    )
    review = Review.objects.get()
    assert (review.story, review.story_shared) == ("À moi", False)
    assert exchange_queries.shared_stories() == []


@pytest.mark.django_db
def test_the_review_form_carries_the_story_and_the_consent(xboard) -> None:  # noqa: F811
    x = held(xboard)
    client = _as(xboard.org.learner)
    form = client.get(f"/exchange/x/{x.pk}/").content.decode()
    assert 'name="story"' in form and 'name="story_shared"' in form
    refused = client.post(
        f"/exchange/x/{x.pk}/review/",
        {"learned": "Les profils", "usefulness": 4, "story": "", "story_shared": "on"},
    )
    assert refused.status_code == 200 and not Review.objects.exists()
    assert "Write the story you want to share first." in refused.content.decode()
    client.post(
        f"/exchange/x/{x.pk}/review/",
        {"learned": "Les profils", "usefulness": 4, "story": STORY, "story_shared": "on"},
    )
    assert Review.objects.get().story_shared is True
    assert [s.story for s in exchange_queries.shared_stories()] == [STORY]


@pytest.mark.django_db
def test_the_api_takes_a_story_and_refuses_a_bad_one(xboard) -> None:  # noqa: F811
    x = held(xboard)
    client = _as(xboard.org.learner)
    url = f"/api/v1/exchange/exchanges/{x.pk}/reviews"
    bad = client.post(
        url,
        {"learned": "Les profils", "usefulness": 4, "story_shared": True},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "story"
    ok = client.post(
        url,
        {"learned": "Les profils", "usefulness": 4, "story": STORY, "story_shared": True},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert ok.json()["story"] == STORY and ok.json()["story_shared"] is True
