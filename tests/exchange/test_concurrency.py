"""Two acceptances of an offer's last place at the same moment: exactly one wins. SQLite
serialises writers anyway; the real test needs PostgreSQL's row locks."""

from __future__ import annotations

import time

from django.db import connection

from sylva.exchange.models import Exchange, Offer
from sylva.exchange.services import board, exchanges
from tests.concurrency import ON_POSTGRES, at_once, outcomes
from tests.factories import Org, make_person

pytestmark = ON_POSTGRES


def test_concurrent_acceptances_of_the_last_place_exactly_one_wins(monkeypatch) -> None:
    assert connection.vendor == "postgresql"
    # widen the race: every acceptance pauses just before counting the places taken
    from sylva.exchange.services import exchanges as module

    real_start = module.capacity_window_start

    def slow_start():  # type: ignore[no-untyped-def]
        time.sleep(0.3)
        return real_start()

    monkeypatch.setattr(module, "capacity_window_start", slow_start)
    org = Org()
    offer = board.publish_offer(person=org.expert, skill_codes=["extrusion-setup"], capacity=1)
    learners = [make_person(f"learner{i}", team=org.extrusion) for i in range(6)]
    proposals = [exchanges.propose(by=p, offer=offer, learner=p) for p in learners]
    results = at_once(
        [lambda x=x: exchanges.accept(person=org.expert, exchange=x) for x in proposals]
    )
    assert outcomes(results) == ["refused 409"] * 5 + ["won"]
    assert Exchange.objects.filter(offer=offer, state="accepted").count() == 1
    assert Offer.objects.get(pk=offer.pk).capacity == 1


def _race(monkeypatch, module, name: str, calls, n: int = 6) -> list[str]:  # type: ignore[no-untyped-def]
    """Run ``calls`` (one per thread, each on its own connection) at the same moment, with
    the check ``module.name`` slowed down so that every one passes it before any writes."""
    real = getattr(module, name)

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = real(*args, **kwargs)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(module, name, slow)
    return outcomes(at_once(calls))


def test_concurrent_proposals_for_the_same_pair_make_one_exchange(monkeypatch) -> None:
    """Six clicks on "ask for this exchange" at once (two browsers, a double tap): one
    exchange under way, the others are told it exists (the partial unique index)."""
    org = Org()
    offer = board.publish_offer(person=org.expert, skill_codes=["extrusion-setup"])
    wanted = board.publish_request(person=org.learner, skill_codes=["extrusion-setup"])
    calls = [
        (lambda: exchanges.propose(by=org.learner, offer=offer, request=wanted)) for _ in range(3)
    ] + [(lambda: exchanges.propose(by=org.expert, offer=offer, request=wanted)) for _ in range(3)]
    outcomes = _race(monkeypatch, exchanges, "under_way", calls)
    assert outcomes == ["refused 409"] * 5 + ["won"]
    assert Exchange.objects.filter(teacher=org.expert, learner=org.learner).count() == 1


def test_concurrent_publications_of_the_same_request_make_one(monkeypatch) -> None:
    """A double tap on "publish": one request, the others point at it."""
    from sylva.exchange.models import ExchangeSettings

    org = Org()
    ExchangeSettings.load()  # (its first creation would serialise the publications)
    calls = [
        (lambda: board.publish_request(person=org.learner, skill_codes=["extrusion-setup"]))
        for _ in range(6)
    ]
    outcomes = _race(monkeypatch, board, "_twin", calls)
    assert outcomes == ["refused 409"] * 5 + ["won"]
    from sylva.exchange.models import Request

    assert Request.objects.filter(person=org.learner).count() == 1


def test_concurrent_held_words_make_one_held_exchange_and_one_pair_of_events() -> None:
    """Both say "it took place" at the same moment: held once, taught and learned-from once."""
    from datetime import timedelta

    from django.utils import timezone

    from sylva.people.models import LearningEvent
    from sylva.people.verbs import verb

    org = Org()
    offer = board.publish_offer(person=org.expert, skill_codes=["extrusion-setup"])
    x = exchanges.propose(by=org.learner, offer=offer)
    exchanges.accept(person=org.expert, exchange=x)
    exchanges.schedule(
        person=org.expert,
        exchange=x,
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=30,
        mode="phone",
    )
    Exchange.objects.filter(pk=x.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    results = at_once(
        [lambda p=p: exchanges.mark_held(person=p, exchange=x) for p in (org.expert, org.learner)]
    )
    assert outcomes(results) == ["won", "won"]
    assert Exchange.objects.get(pk=x.pk).state == "held"
    assert LearningEvent.objects.filter(verb=verb("taught").iri).count() == 1
    assert LearningEvent.objects.filter(verb=verb("learned-from").iri).count() == 1


def test_concurrent_welcomes_of_a_newcomer_propose_once(monkeypatch) -> None:
    """The daily task run twice at the same moment: three proposals, not six."""
    from sylva.exchange.services import welcome

    org = Org()
    teachers = [make_person(f"teacher{i}", team=org.people_team) for i in range(4)]
    for i, teacher in enumerate(teachers):
        board.publish_offer(
            person=teacher,
            skill_codes=["extrusion-setup"],
            text=str(i),
            levels={"extrusion-setup": 3},
        )
        board.publish_request(person=teacher, skill_codes=["excel"])
    real = welcome.in_first_week

    def slow(person):  # type: ignore[no-untyped-def]
        found = real(person)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(welcome, "in_first_week", slow)
    newcomer = org.newcomer
    from django.utils import timezone

    newcomer.hire_date = timezone.localdate()
    newcomer.save()
    made = at_once([lambda: welcome.welcome_newcomer(person=newcomer)] * 2)
    assert sorted(len(m) for m in made) == [0, 3]  # type: ignore[arg-type]
    assert Exchange.objects.filter(learner=newcomer, origin="newcomer").count() == 3


def test_concurrent_reviews_by_the_same_person_make_one() -> None:
    """A double tap on "send my review": one review, one event; the other is told."""
    from datetime import timedelta

    from django.utils import timezone

    from sylva.exchange.models import Review

    org = Org()
    offer = board.publish_offer(person=org.expert, skill_codes=["extrusion-setup"])
    x = exchanges.propose(by=org.learner, offer=offer)
    exchanges.accept(person=org.expert, exchange=x)
    exchanges.schedule(
        person=org.expert,
        exchange=x,
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=30,
        mode="phone",
    )
    Exchange.objects.filter(pk=x.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    exchanges.mark_held(person=org.expert, exchange=x)
    exchanges.mark_held(person=org.learner, exchange=x)
    calls = [
        (lambda: exchanges.review(person=org.learner, exchange=x, learned="ok", usefulness=4))
        for _ in range(4)
    ]
    assert outcomes(at_once(calls)) == ["refused 409"] * 3 + ["won"]
    assert Review.objects.filter(exchange=x).count() == 1
