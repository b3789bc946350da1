"""The shared record: what counts in the reciprocity ledger is what both participants said
took place, after its scheduled end; and every transition's learning event names the person
who acted (and the other one)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sylva.core.errors import ServiceError
from sylva.exchange import queries
from sylva.exchange.matching_data import balances
from sylva.exchange.models import Exchange
from sylva.exchange.services import exchanges
from sylva.people.models import LearningEvent, Person
from sylva.people.verbs import BY_CODE, verb
from tests.exchange.conftest import Board, accepted, ended, held, proposed, scheduled


def _events() -> list[tuple[str, int | None, int | None]]:
    code = {v.iri: v.code for v in BY_CODE.values()}
    return sorted(
        (code[e.verb], e.actor_id, e.other_id) for e in LearningEvent.objects.order_by("pk")
    )


def _new_events(before: list[tuple[str, int | None, int | None]]) -> list[tuple[Any, ...]]:
    after = _events()
    for row in before:
        after.remove(row)
    return sorted(after)


def test_one_person_alone_cannot_grow_their_given_time(xboard: Board) -> None:
    org = xboard.org
    x = accepted(xboard)
    x = exchanges.schedule(
        person=org.expert,
        exchange=x,
        starts_at=timezone.now() + timedelta(seconds=15),
        duration_minutes=480,
        mode="phone",
    )
    Exchange.objects.filter(pk=x.pk).update(starts_at=timezone.now() - timedelta(seconds=1))
    x.refresh_from_db()
    with pytest.raises(ServiceError) as caught:  # started, but 8 hours are not over
        exchanges.mark_held(person=org.expert, exchange=x)
    assert caught.value.status == 409
    Exchange.objects.filter(pk=x.pk).update(starts_at=timezone.now() - timedelta(hours=9))
    x.refresh_from_db()
    x = exchanges.mark_held(person=org.expert, exchange=x)  # the teacher's word alone
    assert x.state == "scheduled" and x.teacher_held_at and not x.learner_held_at
    assert queries.balance(org.expert).given_minutes == 0
    assert queries.balance(org.learner).received == 0
    assert balances()[0].get(org.expert.pk, 0) == 0  # what matching sees
    assert not LearningEvent.objects.filter(verb=verb("taught").iri).exists()  # insights
    with pytest.raises(ServiceError):  # saying it twice is still one word
        exchanges.mark_held(person=org.expert, exchange=x)
    exchanges.mark_held(person=org.learner, exchange=x)  # the other's word
    assert queries.balance(org.expert).given_minutes == 480
    assert queries.balance(org.learner).received_minutes == 480
    assert balances()[0][org.expert.pk] == 1


def test_a_disputed_exchange_counts_for_nobody(xboard: Board) -> None:
    org = xboard.org
    x = ended(xboard)
    exchanges.mark_held(person=org.expert, exchange=x)
    exchanges.mark_no_show(person=org.learner, exchange=x)
    x.refresh_from_db()
    assert x.state == "no_show"
    assert queries.balance(org.expert).given == 0
    with pytest.raises(ServiceError):  # one cannot say both
        y = ended_again(xboard)
        exchanges.mark_held(person=org.expert, exchange=y)
        exchanges.mark_no_show(person=org.expert, exchange=y)


def ended_again(xb: Board) -> Exchange:
    x = exchanges.propose(by=xb.org.learner, offer=xb.offer)
    exchanges.accept(person=xb.org.expert, exchange=x)
    exchanges.schedule(
        person=xb.org.expert,
        exchange=x,
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=30,
        mode="phone",
    )
    Exchange.objects.filter(pk=x.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    x.refresh_from_db()
    return x


def test_the_database_refuses_held_without_both_words(xboard: Board) -> None:
    from django.db import IntegrityError, transaction

    x = ended(xboard)
    with pytest.raises(IntegrityError), transaction.atomic():
        Exchange.objects.filter(pk=x.pk).update(state="held")


def test_rescheduling_takes_back_the_words_given(xboard: Board) -> None:
    org = xboard.org
    x = ended(xboard)
    exchanges.mark_held(person=org.expert, exchange=x)
    x = exchanges.schedule(
        person=org.learner,
        exchange=x,
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=60,
        mode="phone",
    )
    assert x.teacher_held_at is None and x.learner_held_at is None


def test_the_page_asks_the_other_for_their_word(xboard: Board, client: Client) -> None:
    org = xboard.org
    x = ended(xboard)
    client.force_login(org.expert.user)
    client.post(f"/exchange/x/{x.pk}/held/")
    page = client.get(f"/exchange/x/{x.pk}/").content.decode()
    assert f"/exchange/x/{x.pk}/held/" not in page  # no button that cannot work
    client.force_login(org.learner.user)
    page = client.get(f"/exchange/x/{x.pk}/").content.decode()
    assert f"/exchange/x/{x.pk}/held/" in page and 'id="held-asked"' in page


# --- every transition's actor ---------------------------------------------------------


def _cases(xb: Board) -> dict[str, list[Callable[[], None]]]:
    org = xb.org
    e, lrn, anim = org.expert, org.learner, org.animator

    def proposing(expected: list[tuple[str, Person, Person]], **kw: Any) -> Callable[[], None]:
        def run() -> None:
            before = _events()
            exchanges.propose(**kw)
            _check(before, expected)

        return run

    propose_as_learner = proposing(
        [("proposed", lrn, e)], by=lrn, offer=xb.offer, request=xb.request
    )
    propose_as_teacher = proposing([("proposed", e, lrn)], by=e, request=xb.request)
    propose_as_animator = proposing(
        [("put-in-touch", anim, e), ("put-in-touch", anim, lrn)],
        by=anim,
        offer=xb.offer,
        request=xb.request,
        origin="run",
    )
    propose_as_system = proposing([], by=None, offer=xb.offer, learner=lrn, origin="newcomer")

    def step(
        make: Callable[[Board], Exchange], action: str, who: Person, events: list[Any], **kw: Any
    ) -> Callable[[], None]:
        def run() -> None:
            x = make(xb)
            before = _events()
            getattr(exchanges, action)(person=who, exchange=x, **kw)
            _check(before, events)

        return run

    future = {
        "starts_at": timezone.now() + timedelta(days=3),
        "duration_minutes": 30,
        "mode": "phone",
    }

    def ended_with_teacher_word(b: Board) -> Exchange:
        x = ended(b)
        return exchanges.mark_held(person=e, exchange=x)

    return {
        "propose": [propose_as_learner, propose_as_teacher, propose_as_animator, propose_as_system],
        "accept": [step(proposed, "accept", e, [("accepted", e, lrn)])],
        "decline": [step(proposed, "decline", e, [("declined", e, lrn)], reason="Non")],
        "schedule": [
            step(accepted, "schedule", lrn, [("scheduled", lrn, e)], **future),
            step(scheduled, "schedule", e, [("scheduled", e, lrn)], **future),  # reschedule
        ],
        "confirm": [step(scheduled, "confirm", lrn, [])],  # not a transition: no event
        "mark_held": [
            step(ended, "mark_held", lrn, []),  # one word: nothing to the log yet
            step(
                ended_with_teacher_word,
                "mark_held",
                lrn,
                [("taught", e, lrn), ("learned-from", lrn, e)],  # each side's own word
            ),
        ],
        "mark_no_show": [step(ended, "mark_no_show", lrn, [("no-show", lrn, e)])],
        "cancel": [step(scheduled, "cancel", lrn, [("cancelled", lrn, e)], reason="Non")],
        "review": [
            step(held, "review", e, [("reviewed", e, lrn)], learned="Expliquer", usefulness=4)
        ],
        "post_message": [step(proposed, "post_message", lrn, [], body="Bonjour")],
    }


def _check(before: list[Any], expected: list[tuple[str, Person, Person]]) -> None:
    assert _new_events(before) == sorted((v, a.pk, o.pk) for v, a, o in expected)


#: the two steps of a transition that is mostly checks (``check_review`` then ``do_review``,
#: called by ``review`` under its lock): the transition itself has the case
STEPS = ("check_", "do_")


def _writes() -> set[str]:
    """Every public write of the state machine: a function taking ``exchange`` (or
    ``propose``)."""
    found = {"propose"}
    for name, fn in inspect.getmembers(exchanges, inspect.isfunction):
        parameters = inspect.signature(fn).parameters
        if (
            fn.__module__ == exchanges.__name__
            and not name.startswith(("_", *STEPS))
            and "exchange" in parameters
            and "person" in parameters
        ):
            found.add(name)
    return found


def test_each_check_and_do_step_belongs_to_a_transition() -> None:
    steps = [
        name
        for name, fn in inspect.getmembers(exchanges, inspect.isfunction)
        if fn.__module__ == exchanges.__name__ and name.startswith(STEPS)
    ]
    assert steps
    for name in steps:
        assert name.split("_", 1)[1] in _writes(), name


@pytest.mark.django_db
def test_every_transition_has_its_actor_case(xboard: Board) -> None:
    assert set(_cases(xboard)) == _writes()


def test_every_transition_names_the_right_actor_and_the_other(xboard: Board) -> None:
    """Each case from a fresh start (a savepoint rolled back after it)."""
    from django.db import transaction

    ran = 0
    for name, cases in _cases(xboard).items():
        for case in cases:
            savepoint = transaction.savepoint()
            try:
                case()
            except AssertionError as failure:
                raise AssertionError(f"{name}: {failure}") from failure
            finally:
                transaction.savepoint_rollback(savepoint)
            ran += 1
    assert ran == 15
