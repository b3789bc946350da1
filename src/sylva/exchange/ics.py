"""The iCalendar invite of a scheduled exchange (RFC 5545, with the icalendar package)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from sylva.exchange.models import Exchange


def invite(exchange: Exchange) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Sylva//exchange//EN")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"exchange-{exchange.pk}@sylva")
    event.add("sequence", exchange.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", exchange.starts_at)
    event.add("dtend", exchange.ends_at)
    skill = exchange.skill.name if exchange.skill else ""
    event.add(
        "summary",
        _("Exchange: %(skill)s (%(teacher)s → %(learner)s)")
        % {
            "skill": skill,
            "teacher": exchange.teacher.full_name,
            "learner": exchange.learner.full_name,
        },
    )
    event["location"] = vText(exchange.place or exchange.get_mode_display())
    event.add("description", f"{exchange.get_mode_display()} · {settings.SYLVA_ORGANISATION_NAME}")
    event.add("url", f"{settings.SYLVA_BASE_URL}{reverse('exchange:exchange', args=[exchange.pk])}")
    for person in (exchange.teacher, exchange.learner):
        email = getattr(person.user, "email", "") or f"person-{person.pk}@invalid"
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = vText(person.full_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    return cal.to_ical()
