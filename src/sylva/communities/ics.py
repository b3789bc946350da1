"""The iCalendar invitation of a learning circle's session (RFC 5545 and iTIP, RFC 5546),
built with the icalendar package as the exchange's (:mod:`sylva.exchange.ics`): the one
builder of the invitation attached to the notifications and of the ``.ics`` downloaded from
the circle's page or the API.

- ``METHOD:REQUEST`` when a session is scheduled or moved, ``METHOD:CANCEL`` (with
  ``STATUS:CANCELLED``) when it is cancelled;
- one ``UID`` per session and a ``SEQUENCE`` raised on every change
  (``CircleSession.sequence``), so that calendars update or remove the same event;
- the ``ORGANIZER`` is the circle's facilitator, every active member an ``ATTENDEE`` with
  ``ROLE=REQ-PARTICIPANT`` and ``RSVP=TRUE``;
- ``DTSTAMP``, ``DTSTART`` and ``DTEND`` in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from sylva.communities.models import FORMATS, CircleSession
from sylva.core.calendar import address
from sylva.people.models import Person

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def uid(session: CircleSession) -> str:
    return f"circle-session-{session.pk}@sylva"


def _event(session: CircleSession, attendees: Iterable[Person], method: str) -> Event:
    circle = session.circle
    event = Event()
    event.add("uid", uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", (session.starts_at + timedelta(minutes=session.minutes)).astimezone(UTC))
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add(
        "summary",
        _("Learning circle: %(title)s (session %(n)d)")
        % {"title": circle.title, "n": session.number},
    )
    mode = str(dict(FORMATS).get(session.format, session.format))
    event["location"] = vText(session.place or mode)
    event.add("description", f"{mode} · {settings.SYLVA_ORGANISATION_NAME}")
    url = reverse("communities:circle", args=[circle.pk])
    event.add("url", f"{settings.SYLVA_BASE_URL}{url}")
    event.add("organizer", address(circle.facilitator), encode=False)
    for person in attendees:
        attendee = address(person, "REQ-PARTICIPANT")
        attendee.params["partstat"] = vText(
            "ACCEPTED" if person.pk == circle.facilitator_id else "NEEDS-ACTION"
        )
        attendee.params["rsvp"] = vText("TRUE")
        event.add("attendee", attendee, encode=False)
    return event


def calendar(session: CircleSession, attendees: Iterable[Person], method: str = REQUEST) -> bytes:
    """The invitation (``REQUEST``) or cancellation (``CANCEL``) of a session, in the active
    language, for ``attendees`` (the circle's active members)."""
    cal = Calendar()
    cal.add("prodid", "-//Sylva//communities//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    cal.add_component(_event(session, attendees, method))
    return cal.to_ical()
