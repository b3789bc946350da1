"""The life of an exchange: each transition, its learning event, and each refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from sylva.core.errors import ServiceError
from sylva.exchange.models import Exchange, Review
from sylva.exchange.services import exchanges
from sylva.notifications.services import sending
from sylva.people.models import LearningEvent, PersonSkill
from sylva.people.verbs import verb
from tests.exchange.conftest import accepted, held, proposed, reviewed, scheduled


def events(code: str) -> list[LearningEvent]:
    return list(LearningEvent.objects.filter(verb=verb(code).iri))


def test_asking_an_offer_proposes_it_to_the_teacher_only(xboard) -> None:
    x = proposed(xboard)
    assert x.state == "proposed" and x.learner_accepted and not x.teacher_accepted
    assert x.skill == xboard.org.extrude
    [event] = events("proposed")  # the proposer's own act, naming the other person
    assert event.actor == xboard.org.learner and event.other == xboard.org.expert


def test_teacher_accepts_and_the_exchange_is_accepted(xboard) -> None:
    x = accepted(xboard)
    assert x.state == "accepted" and x.accepted_at is not None
    assert [e.actor for e in events("accepted")] == [xboard.org.expert]


def test_nobody_accepts_twice(xboard) -> None:
    x = proposed(xboard)
    with pytest.raises(ServiceError) as caught:
        exchanges.accept(person=xboard.org.learner, exchange=x)
    assert caught.value.status == 409


def test_accepting_someone_else_s_proposal_is_forbidden(xboard) -> None:
    x = proposed(xboard)
    with pytest.raises(ServiceError) as caught:
        exchanges.accept(person=xboard.org.manager, exchange=x)
    assert caught.value.status == 403
    x.refresh_from_db()
    assert x.state == "proposed" and not events("accepted")


def test_declining_needs_a_reason_and_records_it(xboard) -> None:
    x = proposed(xboard)
    with pytest.raises(ServiceError) as caught:
        exchanges.decline(person=xboard.org.expert, exchange=x, reason="  ")
    assert caught.value.field == "reason"
    exchanges.decline(person=xboard.org.expert, exchange=x, reason="Pas disponible ce mois-ci")
    x.refresh_from_db()
    assert x.state == "declined" and x.declined_by == xboard.org.expert
    assert len(events("declined")) == 1


def test_scheduling_agrees_modalities_and_invites_both(
    xboard, settings, django_capture_on_commit_callbacks
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SYLVA_BASE_URL = "https://sylva.example.com"
    xboard.org.expert.user.email = "karim@example.org"
    xboard.org.expert.user.save()
    xboard.org.learner.user.email = "helene@example.org"
    xboard.org.learner.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        x = scheduled(xboard)
    assert x.state == "scheduled" and x.mode == "video" and x.sequence == 1
    assert x.teacher_confirmed and not x.learner_confirmed
    sending.send_due()
    invites = [m for m in mail.outbox if "BEGIN:VEVENT" in m.message().as_string()]
    # the page says "an invitation is on its way to both of you": both are invited
    assert sorted(m.to[0] for m in invites) == ["helene@example.org", "karim@example.org"]
    text = invites[0].message().as_string()
    assert f"https://sylva.example.com/exchange/x/{x.pk}/" in invites[0].body  # a working link
    assert f"URL:https://sylva.example.com/exchange/x/{x.pk}/" in text
    assert len(events("scheduled")) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"starts_at": timezone.now() - timedelta(hours=1)}, "starts_at"),
        ({"mode": "carrier-pigeon"}, "mode"),
        ({"mode": "in_person", "place": ""}, "place"),
        ({"duration_minutes": 1000}, "duration_minutes"),
    ],
)
def test_bad_modalities_are_refused(xboard, change, field) -> None:
    x = accepted(xboard)
    args = {
        "starts_at": timezone.now() + timedelta(days=1),
        "duration_minutes": 60,
        "mode": "video",
        "place": "",
        **change,
    }
    with pytest.raises(ServiceError) as caught:
        exchanges.schedule(person=xboard.org.learner, exchange=x, **args)
    assert caught.value.field == field
    x.refresh_from_db()
    assert x.state == "accepted" and x.starts_at is None


def test_rescheduling_keeps_the_exchange_and_bumps_the_invite(xboard) -> None:
    x = scheduled(xboard)
    x = exchanges.schedule(
        person=xboard.org.learner,
        exchange=x,
        starts_at=timezone.now() + timedelta(days=5),
        duration_minutes=60,
        mode="phone",
    )
    assert x.state == "scheduled" and x.sequence == 2
    assert x.learner_confirmed and not x.teacher_confirmed
    exchanges.confirm(person=xboard.org.expert, exchange=x)
    x.refresh_from_db()
    assert x.teacher_confirmed


def test_an_exchange_cannot_be_held_before_it_starts(xboard) -> None:
    x = scheduled(xboard)
    with pytest.raises(ServiceError) as caught:
        exchanges.mark_held(person=xboard.org.learner, exchange=x)
    assert caught.value.status == 409


def test_held_writes_taught_and_learned_from(xboard) -> None:
    x = held(xboard)
    assert x.state == "held"
    [taught] = events("taught")
    [learned] = events("learned-from")
    assert (taught.actor, taught.other) == (xboard.org.expert, xboard.org.learner)
    assert (learned.actor, learned.other) == (xboard.org.learner, xboard.org.expert)
    assert taught.skill == xboard.org.extrude


def test_both_reviews_make_it_reviewed_and_events_carry_no_text(xboard) -> None:
    x = reviewed(xboard)
    assert x.state == "reviewed"
    recorded = events("reviewed")
    assert len(recorded) == 2
    for event in recorded:
        assert "Régler" not in str(event.statement) and "Expliquer" not in str(event.statement)
        assert event.result["score"]["max"] == 5


def test_reviewing_twice_is_refused(xboard) -> None:
    x = held(xboard)
    exchanges.review(person=xboard.org.learner, exchange=x, learned="Beaucoup", usefulness=4)
    with pytest.raises(ServiceError) as caught:
        exchanges.review(person=xboard.org.learner, exchange=x, learned="Encore", usefulness=5)
    assert caught.value.status == 409
    assert Review.objects.count() == 1


def test_the_learner_may_raise_their_level_in_their_review(xboard) -> None:
    x = held(xboard)
    exchanges.review(
        person=xboard.org.learner, exchange=x, learned="Les profils", usefulness=5, new_level=2
    )
    held_skill = PersonSkill.objects.get(person=xboard.org.learner, skill=xboard.org.extrude)
    assert held_skill.level == 2


@pytest.mark.parametrize("new_level", [1, 5])
def test_a_level_not_above_the_current_one_is_refused(xboard, new_level) -> None:
    x = held(xboard)
    with pytest.raises(ServiceError) as caught:
        exchanges.review(
            person=xboard.org.learner, exchange=x, learned="x", usefulness=3, new_level=new_level
        )
    assert caught.value.field == "new_level"
    assert not Review.objects.exists()


def test_the_teacher_cannot_raise_a_level_through_a_review(xboard) -> None:
    x = held(xboard)
    with pytest.raises(ServiceError):
        exchanges.review(
            person=xboard.org.expert, exchange=x, learned="x", usefulness=3, new_level=4
        )


def test_usefulness_is_1_to_5(xboard) -> None:
    x = held(xboard)
    with pytest.raises(ServiceError) as caught:
        exchanges.review(person=xboard.org.learner, exchange=x, learned="x", usefulness=6)
    assert caught.value.field == "usefulness"


def test_cancel_and_no_show_paths(xboard) -> None:
    x = scheduled(xboard)
    exchanges.cancel(person=xboard.org.learner, exchange=x, reason="Changement de planning")
    x.refresh_from_db()
    assert x.state == "cancelled" and len(events("cancelled")) == 1
    with pytest.raises(ServiceError):
        exchanges.cancel(person=xboard.org.learner, exchange=x, reason="encore")


def test_no_show_once_the_time_has_passed(xboard) -> None:
    x = scheduled(xboard)
    Exchange.objects.filter(pk=x.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    x.refresh_from_db()
    exchanges.mark_no_show(person=xboard.org.expert, exchange=x)
    x.refresh_from_db()
    assert x.state == "no_show" and len(events("no-show")) == 1


@pytest.mark.parametrize(
    ("stage", "action"),
    [
        (proposed, "schedule"),
        (proposed, "mark_held"),
        (proposed, "review"),
        (accepted, "accept"),
        (accepted, "mark_held"),
        (accepted, "decline"),
        (held, "schedule"),
        (held, "cancel"),
        (reviewed, "review"),
        (reviewed, "cancel"),
    ],
)
def test_transitions_out_of_order_are_refused_and_change_nothing(xboard, stage, action) -> None:
    x = stage(xboard)
    before = (x.state, LearningEvent.objects.count())
    kwargs: dict = {
        "schedule": {
            "starts_at": timezone.now() + timedelta(days=1),
            "duration_minutes": 30,
            "mode": "phone",
        },
        "review": {"learned": "x", "usefulness": 3},
        "decline": {"reason": "non"},
        "cancel": {"reason": "non"},
    }.get(action, {})
    with pytest.raises(ServiceError) as caught:
        getattr(exchanges, action)(person=xboard.org.learner, exchange=x, **kwargs)
    assert caught.value.status == 409
    x.refresh_from_db()
    assert (x.state, LearningEvent.objects.count()) == before


def test_nobody_exchanges_with_themself(xboard) -> None:
    with pytest.raises(ServiceError):
        exchanges.propose(by=xboard.org.expert, offer=xboard.offer, learner=xboard.org.expert)
    assert not Exchange.objects.exists()


def test_the_same_offer_cannot_be_asked_twice_while_under_way(xboard) -> None:
    proposed(xboard)
    with pytest.raises(ServiceError) as caught:
        proposed(xboard)
    assert caught.value.status == 409


def test_the_last_place_of_an_offer_goes_to_one_learner_only(xboard) -> None:
    org = xboard.org
    xboard.offer.capacity = 1
    xboard.offer.save()
    first = exchanges.propose(by=org.learner, offer=xboard.offer, learner=org.learner)
    second = exchanges.propose(by=org.newcomer, offer=xboard.offer, learner=org.newcomer)
    exchanges.accept(person=org.expert, exchange=first)
    with pytest.raises(ServiceError) as caught:
        exchanges.accept(person=org.expert, exchange=second)
    assert caught.value.status == 409
    second.refresh_from_db()
    assert second.state == "proposed" and not second.teacher_accepted


def test_messages_belong_to_the_participants(xboard) -> None:
    x = proposed(xboard)
    exchanges.post_message(person=xboard.org.learner, exchange=x, body="Bonjour !")
    with pytest.raises(ServiceError) as caught:
        exchanges.post_message(person=xboard.org.manager, exchange=x, body="Je m'invite")
    assert caught.value.status == 403
    with pytest.raises(ServiceError):
        exchanges.post_message(person=xboard.org.learner, exchange=x, body="   ")
    assert x.messages.count() == 1


def test_the_invite_is_one_event_for_both_updated_on_reschedule(xboard) -> None:
    from icalendar import Calendar

    from sylva.exchange.ics import invite

    x = scheduled(xboard)
    first = Calendar.from_ical(invite(x)).walk("VEVENT")[0]
    assert first["UID"] == f"exchange-{x.pk}@sylva" and int(first["SEQUENCE"]) == 1
    attendees = {str(a.params["CN"]) for a in first["ATTENDEE"]}
    assert attendees == {xboard.org.expert.full_name, xboard.org.learner.full_name}
    assert first.decoded("DTEND") - first.decoded("DTSTART") == timedelta(minutes=45)
    x = exchanges.schedule(
        person=xboard.org.learner,
        exchange=x,
        starts_at=timezone.now() + timedelta(days=4),
        duration_minutes=30,
        mode="phone",
    )
    again = Calendar.from_ical(invite(x)).walk("VEVENT")[0]
    assert again["UID"] == first["UID"] and int(again["SEQUENCE"]) == 2
