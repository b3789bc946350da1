"""A manager's field feedback: to their team only, texts never in the event, the person
answers once then edits, shares with their team; the rhythm is counts for 5 or more."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from sylva.communities.models import FieldFeedback
from sylva.communities.queries import feedback as queries
from sylva.communities.services import feedback as services
from sylva.core.errors import ServiceError
from sylva.notifications.models import Notification
from sylva.people import verbs
from sylva.people.models import LearningEvent, Person
from tests.factories import Org, make_person


def give(org: Org, person: Person | None = None, **kwargs: object) -> FieldFeedback:
    texts = {
        "situation": "Changement de série du mardi",
        "went_well": "Tu as vérifié le profil avant de lancer.",
        "to_improve": "Annonce les réglages à l'équipe.",
        "next_step": "La prochaine fois, seule.",
    }
    return services.give(
        manager=org.manager,
        person=person or org.learner,
        **{**texts, **kwargs},  # type: ignore[arg-type]
    )


def _refused(call: object, status: int) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.status == status, caught.value.message
    return caught.value


def test_feedback_goes_to_the_team_with_an_event_without_texts(org: Org) -> None:
    f = give(org, skill=org.extrude)
    event = LearningEvent.objects.get(verb=verbs.GAVE_FEEDBACK.iri)
    assert (event.actor, event.other, event.skill) == (org.manager, org.learner, org.extrude)
    for text in (f.situation, f.went_well, f.to_improve, f.next_step):
        assert text not in str(event.statement)
    told = Notification.objects.get(kind="communities.feedback")
    assert told.person == org.learner
    assert f.went_well not in told.subject + told.body


def test_nobody_gives_feedback_outside_their_team(org: Org) -> None:
    other = make_person("chef", team=org.printing, roles=("manager",))
    _refused(lambda: give(org, person=org.expert), 403)  # not in the manager's team
    _refused(lambda: give(org, person=org.manager), 400)  # oneself
    _refused(
        lambda: services.give(manager=other, person=org.learner, situation="s", went_well="w"),
        403,
    )
    _refused(
        lambda: services.give(
            manager=org.learner, person=org.newcomer, situation="s", went_well="w"
        ),
        403,
    )
    assert _refused(lambda: give(org, went_well="  "), 400).field == "went_well"
    assert _refused(lambda: give(org, situation="x" * 2001), 400).field == "situation"
    assert not FieldFeedback.objects.exists()
    assert not LearningEvent.objects.filter(verb=verbs.GAVE_FEEDBACK.iri).exists()


def test_the_person_answers_once_then_edits(org: Org) -> None:
    f = give(org)
    for third in (org.manager, org.newcomer, org.admin):
        _refused(lambda third=third: services.answer(person=third, feedback=f, text="x"), 403)
    _refused(lambda: services.answer(person=org.learner, feedback=f, text=" "), 400)
    services.answer(person=org.learner, feedback=f, text="Merci, je note.")
    services.answer(person=org.learner, feedback=f, text="Merci, je note bien.")
    f.refresh_from_db()
    assert f.answer == "Merci, je note bien." and f.answered_at is not None
    answered = Notification.objects.filter(kind="communities.feedback", person=org.manager)
    assert answered.count() == 1  # the manager is told of the first answer only
    assert not queries.to_answer(org.learner).exists()


def test_shared_feedback_is_read_by_the_persons_team_only(org: Org) -> None:
    f = give(org)
    colleague = org.newcomer  # same team
    assert not queries.may_read(colleague, f)
    assert not queries.may_read(org.expert, f)
    _refused(lambda: services.share(person=org.manager, feedback=f, shared=True), 403)
    services.share(person=org.learner, feedback=f, shared=True)
    f.refresh_from_db()
    assert queries.may_read(colleague, f) and f in queries.shared_with(colleague)
    assert not queries.may_read(org.expert, f) and not queries.may_read(org.animator, f)
    readers = set(queries.readers_when_shared(f))
    assert colleague in readers and org.learner not in readers and org.manager not in readers
    services.share(person=org.learner, feedback=f, shared=False)
    f.refresh_from_db()
    assert not queries.may_read(colleague, f)


def test_another_managers_feedback_is_not_read_by_this_manager(org: Org) -> None:
    other = make_person("chef", team=org.printing, roles=("manager",))
    org.learner.manager = other  # the learner moved under another manager
    org.learner.save()
    f = services.give(manager=other, person=org.learner, situation="s", went_well="w")
    assert not queries.may_read(org.manager, f)
    assert f not in queries.given(org.manager)


def test_the_rhythm_is_counts_for_five_people_or_more(org: Org) -> None:
    today = timezone.localdate()
    give(org)
    give(org)
    give(org, person=org.newcomer)
    old = give(org, person=org.newcomer)
    FieldFeedback.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    rhythm = queries.rhythm(org.manager, today=today)
    assert rhythm is not None and rhythm.team_size == 5
    assert len(rhythm.months) == 6 and rhythm.months[-1].start == date(today.year, today.month, 1)
    assert rhythm.total == 3 and rhythm.people_reached == 2
    # a team of four: no aggregate at all
    Person.objects.filter(user__username="operator0").update(manager=None, team=None)
    assert queries.rhythm(org.manager, today=today) is None


def test_the_months_run_back_over_a_new_year() -> None:
    starts = queries._month_starts(date(2026, 2, 14), 6)
    assert starts[0] == date(2025, 9, 1) and starts[-1] == date(2026, 2, 1)
    assert isinstance(datetime.now(), datetime)
