"""Two people taking a circle's last seat at the same moment: exactly one has it (the seats
are counted under a lock on the circle's row). SQLite serialises writers anyway; the real
test needs PostgreSQL."""

from __future__ import annotations

import time

from django.db import connection

from sylva.communities.models import CircleMember
from sylva.communities.services import circles as services
from tests.concurrency import ON_POSTGRES, at_once, outcomes
from tests.factories import Org, make_person

pytestmark = ON_POSTGRES


def test_two_joins_for_the_last_seat_exactly_one_wins(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert connection.vendor == "postgresql"
    org = Org()
    circle = services.create_circle(person=org.expert, title="T", purpose="P", max_members=4)
    services.open_circle(person=org.expert, circle=circle)
    for p in (org.learner, org.newcomer):
        services.join(person=p, circle=circle)
    racers = [make_person(f"racer{i}", team=org.extrusion) for i in range(2)]
    # widen the race: each join pauses after counting the seats taken
    real = services.check_room

    def slow(found):  # type: ignore[no-untyped-def]
        real(found)
        time.sleep(0.3)

    monkeypatch.setattr(services, "check_room", slow)
    results = at_once([lambda p=p: services.join(person=p, circle=circle) for p in racers])
    assert outcomes(results) == ["refused 409", "won"]
    assert CircleMember.objects.filter(circle=circle, state="active").count() == 4
