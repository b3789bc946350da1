"""The iCalendar invitation of a scheduled exchange (RFC 5545 and iTIP, RFC 5546), built with
the icalendar package: the one builder of the invitation attached to the notifications and
of the ``.ics`` downloaded from the exchange's page or the API.

- ``METHOD:REQUEST`` when the exchange is scheduled or rescheduled, ``METHOD:CANCEL`` (with
  ``STATUS:CANCELLED``) when a scheduled exchange is cancelled;
- one ``UID`` per exchange, and a ``SEQUENCE`` raised on every change (``Exchange.sequence``),
  so that calendars update or remove the same event;
- the ``ORGANIZER`` is the person who first agreed the modalities (kept on reschedules: a
  calendar takes an update only from the event's organizer), both people ``ATTENDEE``s with
  ``ROLE=REQ-PARTICIPANT``, ``RSVP=TRUE`` and their ``PARTSTAT`` (accepted once they
  confirmed);
- ``DTSTAMP``, ``DTSTART`` and ``DTEND`` in UTC.
"""

from __future__ import annotations

from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from sylva.core.calendar import address
from sylva.exchange.models import Exchange
from sylva.people.models import Person

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def uid(exchange: Exchange) -> str:
    return f"exchange-{exchange.pk}@sylva"


def organizer_of(exchange: Exchange) -> Person:
    """The invitation's organizer: who first scheduled it (the teacher for exchanges
    scheduled before this was recorded)."""
    return exchange.scheduled_by or exchange.teacher


def _confirmed(exchange: Exchange, person: Person) -> bool:
    if person.pk == exchange.teacher_id:
        return exchange.teacher_confirmed
    return exchange.learner_confirmed


def _event(exchange: Exchange, method: str) -> Event:
    event = Event()
    event.add("uid", uid(exchange))
    event.add("sequence", exchange.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    if exchange.starts_at is None:
        raise ValueError(f"exchange {exchange.pk} is not scheduled: it has no invitation")
    event.add("dtstart", exchange.starts_at.astimezone(UTC))
    event.add("dtend", exchange.ends_at.astimezone(UTC))
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    skill = exchange.skill.name if exchange.skill else _("Exchange")
    event.add(
        "summary",
        _("Exchange: %(skill)s (%(teacher)s → %(learner)s)")
        % {
            "skill": skill,
            "teacher": exchange.teacher.full_name,
            "learner": exchange.learner.full_name,
        },
    )
    mode = exchange.get_mode_display()
    event["location"] = vText(exchange.place or mode)
    event.add("description", f"{mode} · {settings.SYLVA_ORGANISATION_NAME}")
    event.add("url", f"{settings.SYLVA_BASE_URL}{reverse('exchange:exchange', args=[exchange.pk])}")
    event.add("organizer", address(organizer_of(exchange)), encode=False)
    for person in (exchange.teacher, exchange.learner):
        attendee = address(person, "REQ-PARTICIPANT")
        attendee.params["partstat"] = vText(
            "ACCEPTED" if _confirmed(exchange, person) else "NEEDS-ACTION"
        )
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=False)
    return event


def calendar(exchange: Exchange, method: str = REQUEST) -> bytes:
    """The invitation (``REQUEST``) or cancellation (``CANCEL``) of a scheduled exchange, in
    the active language."""
    cal = Calendar()
    cal.add("prodid", "-//Sylva//exchange//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add_component(_event(exchange, method))
    return cal.to_ical()


def invite(exchange: Exchange) -> bytes:
    """The invitation of a scheduled exchange (the ``.ics`` download, the notifications)."""
    return calendar(exchange, REQUEST)


def cancellation(exchange: Exchange) -> bytes:
    return calendar(exchange, CANCEL)
