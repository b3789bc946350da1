"""Every one-click action of insights sent twice at the same moment by two real clients
(a double tap, two animators): one effect, the other told. Needs PostgreSQL's locks."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from sylva.insights.models import Introduction, StructureDecision
from sylva.people.models import LearningEvent, Person
from sylva.people.verbs import verb
from tests.factories import Org, make_person

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("SYLVA_DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (set SYLVA_DATABASE_URL=postgres://…)",
    ),
]

N = 6


def _at_once(people: list[Person], path: str, data: dict[str, Any]) -> list[int]:
    clients = []
    for person in people:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(person.user)
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def send(client: Client) -> None:
        try:
            barrier.wait()
            statuses.append(client.post(path, data, content_type="application/json").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(statuses)


def _animators(org: Org) -> list[Person]:
    return [org.animator] + [
        make_person(f"animator{i}", team=org.people_team, roles=("animator",)) for i in range(N - 1)
    ]


def test_the_same_introduction_at_once_is_made_once() -> None:
    assert connection.vendor == "postgresql"
    org = Org()
    Person.objects.update(visible_in_insights=True)
    statuses = _at_once(
        _animators(org),
        "/api/v1/insights/introductions",
        {"person_a": org.expert.pk, "person_b": org.learner.pk},
    )
    assert statuses == [201] + [409] * (N - 1)
    assert Introduction.objects.count() == 1
    assert LearningEvent.objects.filter(verb=verb("introduced").iri).count() == 2


def test_the_same_two_teams_at_once_are_introduced_once() -> None:
    org = Org()
    org.printing.manager = org.expert
    org.printing.save()
    statuses = _at_once(
        _animators(org),
        "/api/v1/insights/introductions",
        {"team_a": org.extrusion.pk, "team_b": org.printing.pk},
    )
    assert statuses == [201] + [409] * (N - 1)
    assert Introduction.objects.count() == 1
    assert LearningEvent.objects.filter(verb=verb("introduced").iri).count() == 2


def test_the_same_structure_accepted_at_once_is_one_decision() -> None:
    org = Org()
    statuses = _at_once(
        _animators(org), "/api/v1/insights/structures", {"kind": "circle", "skill": org.safety.pk}
    )
    assert statuses == [201] * N  # accepting is idempotent: each is told it is accepted
    assert StructureDecision.objects.count() == 1


def test_recomputations_asked_at_once_queue_one(settings) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    org = Org()
    statuses = _at_once(_animators(org), "/api/v1/insights/recompute", {"window": 90})
    assert statuses == [202] * N
    assert DBTaskResult.objects.filter(status="READY").count() == 1
