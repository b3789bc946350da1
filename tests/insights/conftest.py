from __future__ import annotations

from dataclasses import dataclass

import pytest

from sylva.core.xapi import Verb
from sylva.people import verbs
from sylva.people.models import Person
from sylva.people.services import record_event, skill_iri
from tests.factories import Org


@dataclass
class Activity:
    org: Org
    operators: list[Person]


def _pair(actor: Person, verb: Verb, other: Person | None, org: Org, **extra: object) -> None:
    record_event(
        actor=actor,
        verb=verb,
        object_id=skill_iri(org.extrude),
        object_name="Réglage",
        skill=org.extrude,
        other=other,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def activity(org: Org) -> Activity:
    """A few learning moments on the test organisation, small enough to count by hand:

    - Karim (Impression) taught Hélène (Extrusion): an exchange, both sides recorded;
    - Mathilde, the manager, gave feedback to Opérateur0;
    - Hélène answered Léa's question;
    - Anne (HR) taught Opérateur1: the only tie across departments;
    - Opérateur2 completed a three-hour course.
    """
    ops = list(Person.objects.filter(user__username__startswith="operator").order_by("pk"))
    _pair(org.expert, verbs.TAUGHT, org.learner, org)
    _pair(org.learner, verbs.LEARNED_FROM, org.expert, org)
    _pair(org.manager, verbs.GAVE_FEEDBACK, ops[0], org)
    _pair(org.learner, verbs.RESPONDED, org.newcomer, org)
    _pair(org.animator, verbs.TAUGHT, ops[1], org)
    _pair(ops[1], verbs.LEARNED_FROM, org.animator, org)
    record_event(
        actor=ops[2],
        verb=verbs.COURSE_COMPLETED,
        object_id="https://lms.example/course/1",
        object_name="Sécurité",
        result={"completion": True, "duration": "PT3H"},
    )
    return Activity(org=org, operators=ops)


@pytest.fixture
def login(client):  # type: ignore[no-untyped-def]
    """``login(person)`` signs a person in, reading the pages in English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def _login(person):  # type: ignore[no-untyped-def]
        client.force_login(person.user)
        return client

    return _login
