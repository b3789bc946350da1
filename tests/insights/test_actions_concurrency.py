"""Every one-click action of insights sent twice at the same moment by two real clients
(a double tap, two animators): one effect, the other told. Needs PostgreSQL's locks."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client

from sylva.insights.models import Introduction, StructureDecision
from sylva.people.models import LearningEvent, Person
from sylva.people.verbs import verb
from tests.concurrency import ON_POSTGRES, at_once
from tests.factories import Org, make_person

pytestmark = ON_POSTGRES

N = 6


def _at_once(people: list[Person], path: str, data: dict[str, Any]) -> list[int]:
    clients = []
    for person in people:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(person.user)
        clients.append(client)
    responses = at_once(
        [lambda c=c: c.post(path, data, content_type="application/json") for c in clients]
    )
    return sorted(r.status_code for r in responses)  # type: ignore[attr-defined]


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
