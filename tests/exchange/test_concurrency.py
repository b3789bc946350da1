"""Two acceptances of an offer's last place at the same moment: exactly one wins. SQLite
serialises writers anyway; the real test needs PostgreSQL's row locks."""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.db import connection, connections

from sylva.core.errors import ServiceError
from sylva.exchange.models import Exchange, Offer
from sylva.exchange.services import board, exchanges
from tests.factories import Org, make_person

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("SYLVA_DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (set SYLVA_DATABASE_URL=postgres://…)",
    ),
]


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
    barrier = threading.Barrier(len(proposals))
    outcomes: list[str] = []

    def accept(x: Exchange) -> None:
        try:
            barrier.wait()
            exchanges.accept(person=org.expert, exchange=x)
            outcomes.append("won")
        except ServiceError as exc:
            outcomes.append(f"refused {exc.status}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(x,)) for x in proposals]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused 409"] * 5 + ["won"]
    assert Exchange.objects.filter(offer=offer, state="accepted").count() == 1
    assert Offer.objects.get(pk=offer.pk).capacity == 1
