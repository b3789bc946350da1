"""Email, end to end into a real SMTP server on 127.0.0.1 (aiosmtpd): what a mail client
sees — the MIME parts in the recipient's language, the full content, the absolute link of
the next action, the one-click unsubscribe headers, a stable Message-ID, the invitation a
calendar acts on — and what happens when the server refuses or hangs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from sylva.notifications.channels import CHANNELS, read_unsubscribe_token
from sylva.notifications.models import Delivery, Notification
from sylva.notifications.services import notify, sending
from sylva.people.models import Person
from tests.factories import Org
from tests.notifications.servers import SilentServer, SMTPServer

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).parent / "locale"
WHEN = datetime(2026, 7, 14, 8, 30, tzinfo=UTC)  # 10:30 in Paris


@pytest.fixture(autouse=True)
def _test_catalogue(settings: Any) -> None:
    settings.LOCALE_PATHS = [LOCALE, *settings.LOCALE_PATHS]


def with_email(person: Person, address: str, language: str) -> Person:
    person.user.email = address
    person.user.save(update_fields=["email"])
    person.language = language
    person.save(update_fields=["language"])
    return person


def propose(person: Person, key: str = "exchange:1:proposed:1", **extra: Any) -> Notification:
    notification = notify(
        person,
        "test.proposed",
        key=key,
        subject="test: %(who)s proposes to learn %(skill)s with you",
        lines=("test: When: %(when)s", "test: How: %(mode)s"),
        params={"who": "Karim Benali", "skill": "Extruder setup", "when": WHEN, "mode": "video"},
        url="/exchange/exchanges/1/",
        action="test: Accept or decline",
        **extra,
    )
    assert notification is not None
    return notification


def parts(message: EmailMessage) -> dict[str, Any]:
    return {part.get_content_type(): part for part in message.walk() if not part.is_multipart()}


def test_an_email_reaches_the_smtp_server_in_french_for_a_french_person(
    org: Org, smtp: SMTPServer
) -> None:
    person = with_email(org.learner, "helene@example.org", "fr")
    notification = propose(person)
    delivery = notification.deliveries.get()

    assert sending.send_due() == 1

    assert len(smtp.received) == 1
    received = smtp.received[0]
    assert received.recipients == ["helene@example.org"]
    mail = received.message
    assert mail["To"] == "helene@example.org"
    assert mail["Subject"] == "test : Karim Benali vous propose d'apprendre Extruder setup ensemble"
    assert mail.get_content_type() == "multipart/alternative"
    found = parts(mail)
    assert set(found) == {"text/plain", "text/html"}
    text = found["text/plain"].get_content()
    html = found["text/html"].get_content()
    link = "https://sylva.example.org/exchange/exchanges/1/"
    for body in (text, html):
        # who, what and when, in French, the time in the person's zone (Paris by default)
        assert "Karim Benali" in body
        assert "test : Quand : 14 juillet 2026 10:30" in body
        assert "test : Comment : video" in body
        assert "test : Accepter ou refuser" in body
        assert link in body
    assert f'href="{link}"' in html
    assert 'lang="fr"' in html
    assert mail["Content-Language"] == "fr"

    # the one-click unsubscribe (RFC 8058): a signed link to this kind's email
    unsubscribe = str(mail["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<https://sylva.example.org/inbox/unsubscribe/")
    token = unsubscribe.strip("<>").rstrip("/").rsplit("/", 1)[1]
    assert read_unsubscribe_token(token) == (person.pk, "test.proposed")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["Message-ID"] == f"<sylva-delivery-{delivery.pk}@sylva.example.org>"

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.error) == (Delivery.State.SENT, 1, "")
    assert delivery.sent_at is not None


def test_an_english_person_gets_english(org: Org, smtp: SMTPServer) -> None:
    person = with_email(org.expert, "karim@example.org", "en")
    propose(person)
    sending.send_due()
    mail = smtp.received[0].message
    assert mail["Subject"] == "test: Karim Benali proposes to learn Extruder setup with you"
    text = parts(mail)["text/plain"].get_content()
    assert "test: When: July 14, 2026" in text
    assert 'lang="en"' in parts(mail)["text/html"].get_content()


def invitation(method: str, sequence: int = 0) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Sylva tests//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", "exchange-1@sylva.example.org")
    event.add("sequence", sequence)
    event.add("dtstamp", WHEN - timedelta(days=1))
    event.add("dtstart", WHEN)
    event.add("dtend", WHEN + timedelta(hours=1))
    event.add("summary", "Extruder setup")
    event.add("organizer", vCalAddress("mailto:sylva@example.org"))
    event.add("attendee", vCalAddress("mailto:helene@example.org"))
    event.add("attendee", vCalAddress("mailto:karim@example.org"))
    if method == "CANCEL":
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical()


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_an_invitation_carries_the_calendar_part_calendars_act_on(
    org: Org, smtp: SMTPServer, method: str
) -> None:
    person = with_email(org.learner, "helene@example.org", "fr")
    propose(person, calendar=invitation(method, sequence=2))
    sending.send_due()

    mail = smtp.received[0].message
    found = parts(mail)
    assert {"text/plain", "text/html", "text/calendar", "application/ics"} <= set(found)
    part = found["text/calendar"]
    assert part.get_param("method") == method
    parsed = Calendar.from_ical(part.get_content())
    assert parsed["METHOD"] == method
    (event,) = parsed.walk("VEVENT")
    assert str(event["UID"]) == "exchange-1@sylva.example.org"
    assert event["SEQUENCE"] == 2
    assert str(event["ORGANIZER"]) == "mailto:sylva@example.org"
    assert {str(a) for a in event["ATTENDEE"]} == {
        "mailto:helene@example.org",
        "mailto:karim@example.org",
    }
    # the same invitation as a file, for the mail clients that show attachments only
    attached = found["application/ics"]
    assert attached.get_filename() == "invite.ics"
    assert Calendar.from_ical(attached.get_content())["METHOD"] == method


def test_a_recipient_the_server_refuses_fails_at_once_with_the_servers_words(
    org: Org, smtp: SMTPServer
) -> None:
    person = with_email(org.learner, "nobody@example.org", "fr")
    delivery = propose(person).deliveries.get()
    smtp.refuse("550 5.1.1 <nobody@example.org>: no such mailbox")

    assert sending.send_due() == 0
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.attempts == 1
    assert "refused the recipient" in delivery.error
    assert "nobody@example.org: 550" in delivery.error
    assert "no such mailbox" in delivery.error
    assert smtp.received == []

    smtp.refuse("")
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now() - timedelta(days=1))
    assert sending.send_due() == 0  # a failed delivery is not tried again
    assert smtp.received == []


def test_a_temporary_refusal_is_retried_later_with_the_same_message_id(
    org: Org, smtp: SMTPServer
) -> None:
    person = with_email(org.learner, "helene@example.org", "fr")
    delivery = propose(person).deliveries.get()
    smtp.refuse("451 4.7.1 greylisted, try again later")

    before = timezone.now()
    assert sending.send_due() == 0
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.QUEUED
    assert delivery.attempts == 1
    assert "451" in delivery.error and "retried later" in delivery.error
    # the first retry waits 2 minutes: not sent by the next minute's run
    assert timedelta(minutes=2) <= delivery.due_at - before < timedelta(minutes=2, seconds=30)
    assert sending.send_due() == 0
    assert smtp.received == []

    smtp.refuse("")
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now())
    assert sending.send_due() == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.error) == (Delivery.State.SENT, 2, "")
    assert len(smtp.received) == 1
    assert smtp.received[0].message["Message-ID"] == (
        f"<sylva-delivery-{delivery.pk}@sylva.example.org>"
    )


def test_a_server_that_never_answers_is_retried_with_backoff_then_given_up(
    org: Org, silent_smtp: SilentServer
) -> None:
    person = with_email(org.learner, "helene@example.org", "fr")
    delivery = propose(person).deliveries.get()
    waits = []
    for attempt in range(1, sending.MAX_ATTEMPTS + 1):
        started = timezone.now()
        assert sending.send_due() == 0
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        if attempt < sending.MAX_ATTEMPTS:
            assert delivery.state == Delivery.State.QUEUED
            assert "did not answer within 1 s" in delivery.error, delivery.error
            waits.append(round((delivery.due_at - started).total_seconds() / 60))
            Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now())
    assert waits == [2, 4, 8, 16, 32]
    assert delivery.state == Delivery.State.FAILED
    assert delivery.error.startswith(f"gave up after {sending.MAX_ATTEMPTS} attempts:")
    assert "did not answer within 1 s" in delivery.error, delivery.error
    assert len(silent_smtp.connections) == sending.MAX_ATTEMPTS


def test_an_unreachable_server_is_retried(org: Org, settings: Any) -> None:
    from tests.notifications.servers import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    delivery = propose(with_email(org.learner, "helene@example.org", "fr")).deliveries.get()
    sending.send_due()
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.QUEUED
    assert "could not be reached" in delivery.error


def test_send_due_twice_sends_once(org: Org, smtp: SMTPServer) -> None:
    propose(with_email(org.learner, "helene@example.org", "fr"))
    assert sending.send_due() == 1
    assert sending.send_due() == 0
    assert len(smtp.received) == 1


def test_a_run_that_starts_while_another_is_sending_does_not_send_it_again(
    org: Org, smtp: SMTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two claims racing: while the first run is inside the channel, a second run (and a
    retried ``send_notification`` task) find nothing to claim."""
    notification = propose(with_email(org.learner, "helene@example.org", "fr"))
    channel = CHANNELS["email"]
    send = channel.send
    inner: list[int] = []

    def racing(message: Any) -> None:
        inner.append(sending.send_due())
        inner.append(sending.send_deliveries([message.delivery_id]))
        send(message)

    monkeypatch.setattr(channel, "send", racing)
    assert sending.send_due() == 1
    assert inner == [0, 0]
    assert len(smtp.received) == 1
    ids = list(notification.deliveries.values_list("pk", flat=True))
    assert sending.claim(ids, timezone.now()) == []


def test_a_claim_taken_over_as_stale_is_not_overwritten_by_the_late_worker(
    org: Org, smtp: SMTPServer
) -> None:
    delivery = propose(with_email(org.learner, "helene@example.org", "fr")).deliveries.get()
    (late,) = sending.claim([delivery.pk], timezone.now())
    # the worker hangs past STALE_CLAIM: the next run queues the delivery again and sends it
    Delivery.objects.filter(pk=delivery.pk).update(
        claimed_at=timezone.now() - sending.STALE_CLAIM - timedelta(seconds=1)
    )
    assert sending.send_due() == 1
    # the late worker's outcome (a failure) does not overwrite what the other one logged
    from sylva.notifications.channels import DeliveryError

    sending._outcome(late, DeliveryError("late", permanent=True), timezone.now())
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    assert delivery.error == ""


def test_nobody_without_an_address_is_emailed(org: Org, smtp: SMTPServer) -> None:
    person = with_email(org.learner, "", "fr")
    notification = propose(person)
    assert not notification.deliveries.filter(channel="email").exists()

    # an address removed after the message was composed: a clear, permanent failure
    person = with_email(org.expert, "karim@example.org", "en")
    delivery = propose(person).deliveries.get()
    with_email(person, "", "en")
    sending.send_due()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.error) == (Delivery.State.FAILED, "no email address")
    assert smtp.received == []


def test_the_same_key_is_composed_and_sent_once(org: Org, smtp: SMTPServer) -> None:
    person = with_email(org.learner, "helene@example.org", "fr")
    propose(person)
    again = notify(
        person, "test.proposed", key="exchange:1:proposed:1", subject="x", url="/exchange/"
    )
    assert again is None
    sending.send_due()
    assert len(smtp.received) == 1
    assert Notification.objects.filter(person=person).count() == 1


def test_a_run_sends_its_emails_on_one_connection_and_a_refusal_does_not_stop_it(
    org: Org, smtp: SMTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = with_email(org.learner, "helene@example.org", "fr")
    for i in range(5):
        propose(person, key=f"batch:{i}")
    # the refusal comes last, then a message after it on a fresh connection
    refused = propose(with_email(org.expert, "karim@example.org", "en"), key="batch:refused")
    propose(person, key="batch:after")
    recorder = smtp.recorder
    accept = recorder.handle_RCPT

    async def refuse_karim(
        server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address == "karim@example.org":
            return "550 5.1.1 no such mailbox"
        return await accept(server, session, envelope, address, options)

    monkeypatch.setattr(recorder, "handle_RCPT", refuse_karim)
    assert sending.send_due() == 6
    assert len(smtp.received) == 6
    assert refused.deliveries.get().state == Delivery.State.FAILED
    # the five first (the oldest are sent first) on one connection, the last on a new one
    peers = [received.peer for received in smtp.received]
    assert len(set(peers[:5])) == 1
    assert peers[5] != peers[0]
