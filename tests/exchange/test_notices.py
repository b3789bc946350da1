"""What each transition of an exchange tells, and to whom: the right people (both where the
page says "both of you"), the full content (who, what, when, the next action and its link)
in each recipient's language, once per key (a retried transition is silent, a reschedule
speaks again), and calendar invitations that calendars accept, parsed with icalendar."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from sylva.exchange import ics
from sylva.exchange.models import Exchange
from sylva.exchange.services import exchanges, notify, reminders
from sylva.notifications.models import Notification
from sylva.notifications.services import sending
from sylva.people.models import Person
from tests.exchange.conftest import Board, accepted, ended, proposed, scheduled


@pytest.fixture
def langs(xboard: Board) -> Board:
    """The learner reads French, the expert English; both have an email address."""
    org = xboard.org
    for person, language, email in (
        (org.learner, "fr", "helene@example.org"),
        (org.expert, "en", "karim@example.org"),
    ):
        person.language = language
        person.save()
        person.user.email = email
        person.user.save()
    return xboard


def told(person: Person, kind: str | None = None) -> list[Notification]:
    found = Notification.objects.filter(person=person).order_by("pk")
    return list(found.filter(kind=kind) if kind else found)


def kinds(person: Person) -> list[str]:
    return [n.kind for n in told(person)]


def event_of(notification: Notification) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(notification.calendar)
    [event] = calendar.walk("VEVENT")
    return calendar, event


# --- who is told ----------------------------------------------------------------------


def test_a_board_proposal_tells_the_other_person_in_their_language(langs: Board) -> None:
    org = langs.org
    x = proposed(langs)
    assert kinds(org.learner) == []  # the proposer knows
    [n] = told(org.expert, "exchange.proposed")
    assert n.subject == "Hélène Dupré proposes an exchange on Extruder setup"
    assert "With: Hélène Dupré" in n.body
    assert "Skill: Extruder setup (you teach)" in n.body
    assert "to agree together" in n.body  # no date yet
    assert n.url == f"/exchange/x/{x.pk}/" and n.action == "Accept or decline"


def test_a_run_proposal_asks_both_and_each_acceptance_tells_the_other(langs: Board) -> None:
    org = langs.org
    x = exchanges.propose(by=None, offer=langs.offer, request=langs.request, origin="run")
    [for_learner] = told(org.learner, "exchange.proposed")
    [for_expert] = told(org.expert, "exchange.proposed")
    assert (
        for_learner.subject
        == "Un échange sur Réglage d'extrudeuse avec Karim Benali vous est proposé"
    )
    assert "vous apprenez" in for_learner.body
    assert for_expert.subject.startswith("An exchange on Extruder setup with Hélène Dupré")
    exchanges.accept(person=org.learner, exchange=x)
    [waiting] = told(org.expert, "exchange.accepted")
    assert "your answer is awaited" in waiting.subject
    exchanges.accept(person=org.expert, exchange=x)
    [done] = told(org.learner, "exchange.accepted")
    assert "Karim Benali" in done.subject and done.url.endswith("#schedule")


def test_scheduling_invites_both_with_the_full_content(langs: Board) -> None:
    org = langs.org
    x = scheduled(langs)
    [fr] = told(org.learner, "exchange.scheduled")
    [en] = told(org.expert, "exchange.scheduled")
    assert fr.subject.startswith("Programmé : Réglage d'extrudeuse avec Karim Benali, ")
    assert "Avec : Karim Benali" in fr.body and "45 minutes" in fr.body
    assert "Comment : visio" in fr.body and "Où : https://visio.example/abc" in fr.body
    assert en.subject.startswith("Scheduled: Extruder setup with Hélène Dupré, ")
    assert "How: video" in en.body and "Where: https://visio.example/abc" in en.body
    assert fr.action == "Confirmer ou reprogrammer" and en.action == "Confirm or reschedule"
    for n in (fr, en):
        assert n.url == f"/exchange/x/{x.pk}/"
        calendar, _event = event_of(n)
        assert str(calendar["METHOD"]) == "REQUEST"


def test_declining_tells_the_proposer_only(langs: Board) -> None:
    org = langs.org
    x = proposed(langs)
    exchanges.decline(person=org.expert, exchange=x, reason="Pas ce mois-ci")
    [n] = told(org.learner, "exchange.declined")
    assert n.subject == "Karim Benali a décliné l'échange sur Réglage d'extrudeuse"
    assert told(org.expert, "exchange.declined") == []


def test_cancelling_before_the_date_is_agreed_tells_the_other(langs: Board) -> None:
    org = langs.org
    x = accepted(langs)
    exchanges.cancel(person=org.learner, exchange=x, reason="Changement d'équipe")
    [n] = told(org.expert, "exchange.cancelled")
    assert not n.calendar and told(org.learner, "exchange.cancelled") == []


def test_each_message_tells_the_other_once(langs: Board) -> None:
    org = langs.org
    x = proposed(langs)
    exchanges.post_message(person=org.learner, exchange=x, body="Bonjour !")
    exchanges.post_message(person=org.learner, exchange=x, body="Mardi ?")
    found = told(org.expert, "exchange.message")
    assert len(found) == 2 and found[0].url.endswith("#messages")
    assert "Hélène Dupré wrote to you" in found[0].subject
    assert "Bonjour" not in found[0].body  # the words stay on the exchange's page
    assert told(org.learner, "exchange.message") == []


def test_saying_it_took_place_asks_the_other_then_both_for_their_review(langs: Board) -> None:
    org = langs.org
    x = ended(langs)
    exchanges.mark_held(person=org.learner, exchange=x)
    [ask] = told(org.expert, "exchange.held")
    assert "took place: did it?" in ask.subject
    exchanges.mark_held(person=org.expert, exchange=x)
    assert [n.url for n in told(org.learner, "exchange.held")] == [f"/exchange/x/{x.pk}/#review"]
    assert len(told(org.expert, "exchange.held")) == 2


def test_a_no_show_tells_the_other(langs: Board) -> None:
    org = langs.org
    x = ended(langs)
    exchanges.mark_no_show(person=org.expert, exchange=x)
    [n] = told(org.learner, "exchange.held")
    assert "n'a pas eu lieu" in n.subject


# --- once per key -----------------------------------------------------------------------


def test_a_retried_transition_is_silent_and_a_reschedule_speaks_again(langs: Board) -> None:
    org = langs.org
    x = scheduled(langs)
    assert notify.tell(x, notify.SCHEDULED, to=notify.both(x)) == 0  # the same key: nothing
    assert len(told(org.learner)) == 2  # told it was accepted, then scheduled
    x = exchanges.schedule(
        person=org.learner,
        exchange=x,
        starts_at=timezone.now() + timedelta(days=6),
        duration_minutes=30,
        mode="phone",
    )
    [again] = told(org.expert, "exchange.rescheduled")
    assert "Rescheduled" in again.subject and "How: phone" in again.body
    assert len(told(org.learner, "exchange.rescheduled")) == 1
    assert notify.tell(x, notify.RESCHEDULED, to=notify.both(x)) == 0


def test_reminders_go_to_both_once_per_schedule(langs: Board) -> None:
    org = langs.org
    x = scheduled(langs, when=timedelta(hours=20))
    assert reminders.remind()["before"] == 1
    assert reminders.remind()["before"] == 0
    [fr] = told(org.learner, "exchange.reminder")
    assert fr.subject.startswith("Demain : Réglage d'extrudeuse avec Karim Benali")
    assert len(told(org.expert, "exchange.reminder")) == 1
    # rescheduled within the day: asked again, for the new date
    exchanges.schedule(
        person=org.expert,
        exchange=x,
        starts_at=timezone.now() + timedelta(hours=10),
        duration_minutes=30,
        mode="phone",
    )
    assert reminders.remind()["before"] == 1
    assert len(told(org.learner, "exchange.reminder")) == 2
    Exchange.objects.filter(pk=x.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    assert reminders.remind()["after"] == 1
    [after] = told(org.expert, "exchange.review")
    assert "take place" in after.subject


# --- calendar invitations -------------------------------------------------------------


def _attendees(event: object) -> dict[str, object]:
    found = event["ATTENDEE"]  # type: ignore[index]
    return {str(a): a for a in (found if isinstance(found, list) else [found])}


def test_the_invitation_is_one_event_with_organizer_attendees_and_utc_times(
    langs: Board,
) -> None:
    org = langs.org
    x = scheduled(langs)  # the expert agreed the date
    [n] = told(org.learner, "exchange.scheduled")
    calendar, event = event_of(n)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"exchange-{x.pk}@sylva" and int(event["SEQUENCE"]) == 1
    assert str(event["STATUS"]) == "CONFIRMED"
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:karim@example.org"
    assert str(organizer.params["CN"]) == "Karim Benali"
    attendees = _attendees(event)
    assert set(attendees) == {"mailto:karim@example.org", "mailto:helene@example.org"}
    for address in attendees.values():
        assert address.params["ROLE"] == "REQ-PARTICIPANT"  # type: ignore[attr-defined]
        assert address.params["RSVP"] == "TRUE"  # type: ignore[attr-defined]
    assert attendees["mailto:karim@example.org"].params["PARTSTAT"] == "ACCEPTED"  # type: ignore[attr-defined]
    assert attendees["mailto:helene@example.org"].params["PARTSTAT"] == "NEEDS-ACTION"  # type: ignore[attr-defined]
    for name in ("DTSTART", "DTEND", "DTSTAMP"):
        assert event.decoded(name).utcoffset() == timedelta(0), name
        assert event[name].to_ical().endswith(b"Z"), name
    assert event.decoded("DTSTART") == x.starts_at.astimezone(UTC).replace(microsecond=0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)
    assert "Réglage d'extrudeuse" in str(event["SUMMARY"])  # the learner's French


def test_a_reschedule_keeps_the_uid_and_organizer_and_raises_the_sequence(langs: Board) -> None:
    org = langs.org
    x = scheduled(langs)
    x = exchanges.schedule(
        person=org.learner,  # the other one moves it
        exchange=x,
        starts_at=timezone.now() + timedelta(days=3),
        duration_minutes=60,
        mode="in_person",
        place="Salle B",
    )
    for person in (org.learner, org.expert):
        [n] = told(person, "exchange.rescheduled")
        calendar, event = event_of(n)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert str(event["UID"]) == f"exchange-{x.pk}@sylva" and int(event["SEQUENCE"]) == 2
        assert str(event["ORGANIZER"]) == "mailto:karim@example.org"
        assert str(event["LOCATION"]) == "Salle B"


def test_cancelling_a_scheduled_exchange_sends_a_cancel_to_both(langs: Board) -> None:
    org = langs.org
    x = scheduled(langs)
    exchanges.cancel(person=org.learner, exchange=x, reason="Malade")
    x.refresh_from_db()
    assert x.sequence == 2
    for person in (org.learner, org.expert):
        [n] = told(person, "exchange.cancelled")
        calendar, event = event_of(n)
        assert str(calendar["METHOD"]) == "CANCEL"
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["UID"]) == f"exchange-{x.pk}@sylva" and int(event["SEQUENCE"]) == 2


def test_the_download_is_the_same_builder(langs: Board, client) -> None:  # type: ignore[no-untyped-def]
    org = langs.org
    x = scheduled(langs)
    client.force_login(org.learner.user)
    response = client.get(f"/exchange/x/{x.pk}/invite.ics")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["ORGANIZER"]) == "mailto:karim@example.org"
    assert int(event["SEQUENCE"]) == x.sequence
    assert ics.uid(x) == str(event["UID"])


def _calendar_parts(message: mail.EmailMessage) -> list[object]:
    return [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]


def test_the_emails_sent_carry_the_invitation_calendars_read(langs: Board, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    x = scheduled(langs)
    mail.outbox.clear()
    sending.send_due()
    invitations = [m for m in mail.outbox if _calendar_parts(m)]
    assert sorted(m.to[0] for m in invitations) == ["helene@example.org", "karim@example.org"]
    for message in invitations:
        expected = "Scheduled" if message.to == ["karim@example.org"] else "Programmé"
        assert expected in message.subject
        part = _calendar_parts(message)[0]
        assert part.get_param("method") == "REQUEST"  # type: ignore[attr-defined]
        event = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]  # type: ignore[attr-defined]
        assert str(event["UID"]) == f"exchange-{x.pk}@sylva"
        assert "ORGANIZER" in event and len(event["ATTENDEE"]) == 2
    sent = len(mail.outbox)
    sending.send_due()  # again: nothing is sent twice
    assert len(mail.outbox) == sent


def test_a_run_to_review_tells_the_animators_and_a_sent_run_tells_both(langs: Board) -> None:
    from sylva.exchange.services import runs

    org = langs.org
    run = runs.run_matching(started_by=org.animator)
    assert run.proposals.exists()
    [n] = Notification.objects.filter(kind="exchange.run", person=org.animator)
    assert n.url == f"/exchange/runs/{run.pk}/" and str(run.proposals.count()) in n.subject
    assert not Notification.objects.filter(kind="exchange.run", person=org.learner).exists()
    runs.send_run(run=run, by=org.animator)
    assert told(org.learner, "exchange.proposed") and told(org.expert, "exchange.proposed")
