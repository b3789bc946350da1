"""What every iCalendar invitation of Sylva shares (the exchange's, a circle session's)."""

from __future__ import annotations

from typing import Any

from icalendar import vCalAddress, vText


def address(person: Any, role: str | None = None) -> vCalAddress:
    """A person as an ORGANIZER or ATTENDEE: their email (or a per-person ``.invalid``
    address when they have none), their name, and the participation role if given."""
    email = getattr(person.user, "email", "") or f"person-{person.pk}@invalid"
    found = vCalAddress(f"mailto:{email}")
    found.params["cn"] = vText(person.full_name)
    if role is not None:
        found.params["role"] = vText(role)
    return found
