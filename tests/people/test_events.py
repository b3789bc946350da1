"""The learning-event log: one shape for every pillar, the actor's context frozen in time."""

import inspect

import pytest

from sylva.core import xapi
from sylva.people import services, verbs
from sylva.people.models import LearningEvent


@pytest.mark.django_db
def test_an_event_is_an_xapi_statement_with_the_actors_context(org) -> None:
    event = services.record_event(
        actor=org.learner,
        verb=verbs.LEARNED_FROM,
        object_id="https://x.test/a",
        object_name="Réglage",
        skill=org.extrude,
        other=org.expert,
        result={"success": True},
    )
    stored = LearningEvent.objects.get(pk=event.pk)
    assert stored.verb == verbs.verb("learned-from").iri
    assert (stored.team, stored.department, stored.site) == (org.extrusion, org.prod, org.lyon)
    assert stored.other == org.expert
    statement = stored.statement
    assert statement["id"] == str(stored.pk)
    assert statement["verb"]["id"] == stored.verb
    assert statement["actor"]["account"]["name"] == str(org.learner.pk)
    assert statement["object"]["id"] == "https://x.test/a"
    assert statement["result"] == {"success": True}
    assert statement["context"]["instructor"]["name"] == org.expert.full_name
    assert statement["context"]["extensions"][xapi.EXT_DEPARTMENT] == org.prod.pk


@pytest.mark.django_db
def test_moving_team_later_does_not_rewrite_history(org) -> None:
    event = services.record_event(
        actor=org.learner, verb=verbs.ANSWERED, object_id="https://x.test/q1"
    )
    services.place_person(person=org.learner, team=org.people_team, site=org.lyon, manager=None)
    event.refresh_from_db()
    assert event.department == org.prod
    later = services.record_event(
        actor=org.learner, verb=verbs.ANSWERED, object_id="https://x.test/q2"
    )
    assert later.department == org.hr


def test_unknown_verbs_are_refused() -> None:
    with pytest.raises(KeyError, match="unknown Sylva verb"):
        verbs.verb("daydreamed")


def test_every_verb_has_a_distinct_iri_and_a_form() -> None:
    assert len(verbs.BY_IRI) == len(verbs.BY_CODE)
    assert all(v.iri.startswith("http") for v in verbs.BY_CODE.values())
    assert {v.form for v in verbs.BY_CODE.values()} == set(verbs.Form)


def test_record_event_takes_exactly_the_keywords_of_build_event() -> None:
    """One signature for the one write every pillar calls, typed (no ``**kwargs``)."""
    record = inspect.signature(services.record_event).parameters
    build = inspect.signature(services.build_event).parameters
    assert list(record) == list(build)
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in record.values())
    assert [(p.annotation, p.default) for p in record.values()] == [
        (p.annotation, p.default) for p in build.values()
    ]
    assert record["verb"].annotation == "Verb"
