"""Adaptability reads the exchange board's requests (through exchange.queries): time from a
request to its first exchange, the share answered within 14 days, time to level 3 in a
requested skill; the learning-circle suggestion reads the open requests nobody answered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sylva.exchange import queries as exchange_queries
from sylva.exchange.models import Exchange, Request
from sylva.exchange.services import board, exchanges
from sylva.insights import services
from sylva.insights.models import ScopeFigure
from sylva.people.models import LearningWish, Person, PersonSkill
from tests.factories import Org

ASKED = timedelta(days=30)


def _request(person: Person, skill: str, asked_days_ago: float) -> Request:
    request = board.publish_request(person=person, skill_codes=[skill], formats=["video"])
    Request.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=asked_days_ago)
    )
    request.refresh_from_db()
    return request


def _answer(teacher: Person, request: Request, after_days: float) -> Exchange:
    x = exchanges.propose(by=teacher, request=request)
    Exchange.objects.filter(pk=x.pk).update(
        created_at=request.created_at + timedelta(days=after_days)
    )
    return x


@pytest.fixture
def extrusion(org: Org) -> list[Person]:
    """The six people of Extrusion, each with one request on extruder setup posted 30 days
    ago; the expert answered five of them after 1, 3, 10, 15 and 20 days; the sixth got only
    a proposal that was declined. Two reached level 3: after 8 and 4 days."""
    people = list(Person.objects.filter(team=org.extrusion).order_by("pk"))
    assert len(people) == 6
    waits = [1, 3, 10, 15, 20]
    requests = [_request(p, "extrusion-setup", 30) for p in people]
    for request, wait in zip(requests, waits, strict=False):
        _answer(org.expert, request, wait)
    declined = exchanges.propose(by=org.expert, request=requests[5])
    exchanges.decline(person=people[5], exchange=declined, reason="Pas maintenant")
    for person, days in ((people[0], 8), (people[3], 4)):
        PersonSkill.objects.update_or_create(
            person=person, skill=org.extrude, defaults={"level": 3}
        )
        PersonSkill.objects.filter(person=person, skill=org.extrude).update(
            updated_at=requests[people.index(person)].created_at + timedelta(days=days)
        )
    # a wish on the profile is not a request: it does not count here
    LearningWish.objects.create(person=people[1], skill=org.safety)
    return people


@pytest.mark.django_db
def test_the_exchange_queries_give_each_request_its_first_answer(extrusion, org: Org) -> None:  # type: ignore[no-untyped-def]
    answers = {a.person_id: a for a in exchange_queries.request_answers()}
    first = answers[extrusion[0].pk]
    assert first.skill_ids == (org.extrude.pk,)
    assert (first.first_exchange_at - first.created_at) == timedelta(days=1)
    assert answers[extrusion[5].pk].first_exchange_at is None  # only a declined proposal
    assert all(a.open for a in answers.values())


@pytest.mark.django_db
def test_adaptability_of_a_team_from_its_requests(extrusion, org: Org) -> None:  # type: ignore[no-untyped-def]
    services.compute_snapshot(window_days=90)
    team = ScopeFigure.objects.get(kind="team", key=org.extrusion.pk).data
    assert team["requests"] == 6
    # waits 1, 3, 10, 15, 20 and never: the median, an observed value ("lower"), is 10
    assert team["wait_days"] == pytest.approx(10.0)
    assert team["answered_14d_share"] == pytest.approx(0.5)  # 1, 3 and 10 days out of 6
    assert team["level3_days"] == pytest.approx(4.0)  # 8 and 4 days: the lower median


@pytest.mark.django_db
def test_requests_older_than_the_window_are_left_out(extrusion, org: Org) -> None:  # type: ignore[no-untyped-def]
    services.compute_snapshot(window_days=30)  # posted 30 days ago: just outside
    team = ScopeFigure.objects.get(kind="team", key=org.extrusion.pk).data
    assert "requests" not in team and "wait_days" in team["few"]


@pytest.mark.django_db
def test_a_learning_circle_is_suggested_where_open_requests_cluster(org: Org) -> None:
    """Five people in two teams ask for machine safety and nobody answered: a circle. Their
    answered requests on extruder setup do not call for one."""
    people = list(Person.objects.filter(team=org.extrusion).order_by("pk"))[:4]
    people.append(org.animator)  # another team
    for p in people:
        _request(p, "machine-safety", 3)
        answered = _request(p, "extrusion-setup", 3)
        _answer(org.expert, answered, 1)
    snapshot = services.compute_snapshot(window_days=30)
    circles = [s for s in snapshot.data["structures"] if s["kind"] == "circle"]
    assert circles == [{"kind": "circle", "skill": org.safety.pk, "people": 5, "teams": 2}]
    # once one of them is answered, only four wait: no circle any more
    _answer(org.designer, Request.objects.filter(skills=org.safety).first(), 1)  # type: ignore[arg-type]
    snapshot = services.compute_snapshot(window_days=30)
    assert not [s for s in snapshot.data["structures"] if s["kind"] == "circle"]
