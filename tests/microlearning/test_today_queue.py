"""The today queue from the in-memory catalogue: it follows every change of content and
campaigns at once, and the nightly batch (all_queues) gives every learner the same queue as
their today page."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sylva.microlearning.models import Card, Learner
from sylva.microlearning.queries import catalogue
from sylva.microlearning.queries.today import all_queues, today
from sylva.microlearning.services import answers, campaigns
from sylva.microlearning.services import catalogue as content_token
from tests.microlearning.test_answers import _do_today


@pytest.fixture(autouse=True)
def _kept_catalogue(campaign) -> None:  # type: ignore[no-untyped-def]
    """A content token exists, so the catalogue is kept in memory between requests (and
    only the signals can tell it that the content changed)."""
    content_token.bump()
    assert catalogue.current(catalogue.token_now()) is catalogue.current(catalogue.token_now())


def _queues_match(people) -> None:  # type: ignore[no-untyped-def]
    batch = all_queues()
    for person in people:
        assert batch.get(person.pk, []) == [c.pk for c in today(person).cards], person


def test_a_card_added_to_a_published_module_reaches_today_at_once(org, campaign) -> None:  # type: ignore[no-untyped-def]
    before = today(org.learner).cards
    module = campaign.modules.first()
    card = Card.objects.create(
        module=module,
        position=99,
        kind="truefalse",
        title="Le carter se retire machine en marche.",
        options=[{"text": "Vrai"}, {"text": "Faux", "correct": True}],
    )
    after = today(org.learner).cards
    assert after == [*before, card]


def test_a_card_edit_shows_on_the_today_page(org, campaign, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(org.learner.user)
    first = today(org.learner).cards[0]
    assert first.title in client.get("/learn/").content.decode()
    first.title = "Avant de démarrer la ligne"
    first.save()
    assert "Avant de démarrer la ligne" in client.get("/learn/").content.decode()


def test_a_campaign_retargeted_leaves_today_at_once(org, campaign) -> None:  # type: ignore[no-untyped-def]
    assert today(org.learner).cards
    campaign.teams.set([org.printing])
    assert today(org.learner).done
    assert today(org.expert).cards  # the expert works in printing


def test_the_batch_gives_everyone_the_queue_of_their_today_page(org, campaign, clock) -> None:  # type: ignore[no-untyped-def]
    people = [org.learner, org.manager, org.expert, org.newcomer, org.designer]
    weekly = campaigns.save_campaign(
        creator=org.designer,
        name="Sécurité pour tous",
        modules=list(campaign.modules.all()),
        starts_on=timezone.localdate() - timedelta(days=3),
        new_cards=2,
        rhythm="weekly",
        departments=[org.prod],
    )
    assert weekly.pk
    _queues_match(people)
    _do_today(org.learner, wrong_kinds=("truefalse",))
    _queues_match(people)
    clock.advance(days=1)
    _queues_match(people)  # the failed card first, nothing new for the weekly campaign
    answers.pause(person=org.expert)
    assert Learner.objects.get(person=org.expert).is_paused
    assert org.expert.pk not in all_queues()
    _do_today(org.learner)
    _queues_match(people)


def test_the_batch_counts_what_was_answered_today_against_the_budget(org, campaign) -> None:  # type: ignore[no-untyped-def]
    first = today(org.learner).cards[0]
    answers.answer_card(
        person=org.learner,
        card_id=first.pk,
        answer_id=uuid.uuid4(),
        response=[],
        duration_ms=5000,
    )
    queue = today(org.learner)
    assert queue.answered_today == 1 and first not in queue.cards
    assert all_queues()[org.learner.pk] == [c.pk for c in queue.cards]


def test_the_rendez_vous_links_are_the_routes(org, module, campaign, client) -> None:  # type: ignore[no-untyped-def]
    # the fixed links come from a per-process table (context_processors.learn_urls)
    client.force_login(org.learner.user)
    page = client.get("/learn/").content.decode()
    for name in ("today", "memory", "challenges", "share", "manifest", "pause"):
        assert f'"{reverse(f"microlearning:{name}")}"' in page, name
    assert f'data-api="{reverse("api:learn_answers")}"' in page
    assert f'data-sw="{reverse("microlearning:service_worker")}"' in page
