"""A fair closed while an animator pairs two people at it: the exchange is made before the
closing or not at all — never at a fair already closed. Needs PostgreSQL's row locks."""

from __future__ import annotations

import os
import threading
import time

import pytest
from django.db import connections
from django.test import Client

from sylva.exchange.models import Exchange, Fair
from sylva.exchange.services import board, fairs
from tests.factories import Org

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("SYLVA_DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (set SYLVA_DATABASE_URL=postgres://…)",
    ),
]


def test_pairing_at_a_fair_that_closes_meanwhile_makes_nothing_after_the_closing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    org = Org()
    fair = fairs.open_fair(animator=org.animator, title="Bourse", site=org.lyon)
    board.publish_offer(person=org.expert, skill_codes=["extrusion-setup"], fair=fair)
    board.publish_request(person=org.learner, skill_codes=["extrusion-setup"], fair=fair)
    real = fairs.check_open

    def slow(found: Fair, *, lock: bool = False) -> Fair:  # widen the race: check, then wait
        checked = real(found, lock=lock)
        if not lock:
            time.sleep(0.8)
        return checked

    monkeypatch.setattr(fairs, "check_open", slow)
    pairing, closing = Client(), Client()
    pairing.force_login(org.animator.user)
    closing.force_login(org.animator.user)

    def pair() -> None:
        try:
            pairing.post(
                f"/exchange/fairs/{fair.pk}/pair/",
                {"teacher": org.expert.pk, "learner": org.learner.pk, "skill": org.extrude.pk},
            )
        finally:
            connections.close_all()

    def close() -> None:
        try:
            time.sleep(0.3)  # once the pairing has found the fair open
            closing.post(f"/exchange/fairs/{fair.pk}/close/")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pair), threading.Thread(target=close)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    fair.refresh_from_db()
    assert fair.closed_at is not None
    late = Exchange.objects.filter(fair=fair, created_at__gt=fair.closed_at)
    assert not late.exists()
