"""Reads of the notifications ground: what people chose, what waits on them, what was sent."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from sylva.core.counting import count_together
from sylva.core.pillars import InboxItem, NoticeKind, pillars
from sylva.notifications.models import Delivery, Notification, Preference, PushSubscription
from sylva.people.models import Person

#: channels a person can be reached on, in the order the preferences page shows them
PERSONAL_CHANNELS = ("email", "push")
#: the persona whose default is web push (a phone, no desk): the rest get email
PUSH_FIRST_POPULATION = "field"


def notice_kinds() -> dict[str, NoticeKind]:
    """Every kind of notification the installed pillars send, by key."""
    return {kind.key: kind for config in pillars() for kind in config.notices}


def preference_of(person: Person) -> Preference:
    """The person's preferences: their row, or unsaved defaults (a read never writes)."""
    found = Preference.objects.filter(person=person).first()
    return found if found is not None else Preference(person=person)


def zone_of(preference: Preference) -> tzinfo:
    name = preference.time_zone or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def default_channels(person: Person) -> list[str]:
    """The persona's default: web push for field staff who have subscribed on a phone,
    email for everyone else (and for field staff with no subscription yet)."""
    field = person.populations.filter(code=PUSH_FIRST_POPULATION).exists()
    if field and PushSubscription.objects.filter(person=person).exists():
        return ["push"]
    return ["email"]


def channels_for(person: Person, kind: str, preference: Preference | None = None) -> list[str]:
    """The channels that carry ``kind`` to ``person``: their choice, else their default."""
    chosen = (preference or preference_of(person)).channels.get(kind)
    if isinstance(chosen, list):
        return [c for c in chosen if c in PERSONAL_CHANNELS]
    return default_channels(person)


def inbox_items(person: Person) -> list[InboxItem]:
    """What waits on the person (and on whom they wait), from every pillar; theirs first,
    the oldest first."""
    items = [item for config in pillars() for item in config.inbox_items(person)]
    return sorted(items, key=lambda item: (not item.mine, item.since))


def inbox_count(person: Person) -> int:
    """How many things wait on the person's action, summed over the pillars: the pillars'
    ``waiting`` querysets counted together in one query, plus the others' ``count``."""
    waiting: list[QuerySet[Any]] = []
    total = 0
    for config in pillars():
        found = config.inbox_waiting(person)
        if found is None:
            total += config.inbox_count(person)
        else:
            waiting.extend(found)
    return total + sum(count_together(waiting))


def notifications_of(person: Person) -> QuerySet[Notification]:
    """The person's notifications with their deliveries, the newest first (their log)."""
    return (
        Notification.objects.filter(person=person)
        .prefetch_related("deliveries")
        .order_by("-created_at", "-pk")
    )


def due_deliveries(now: datetime) -> QuerySet[Delivery]:
    return Delivery.objects.filter(state=Delivery.State.QUEUED, due_at__lte=now)


def subscriptions_of(person: Person) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(person=person).order_by("pk")


class Reach:
    """What decides the channels of many people at once (the daily nudge), read in bulk."""

    def __init__(self, people: list[Person]) -> None:
        ids = [person.pk for person in people]
        self.preferences = {p.person_id: p for p in Preference.objects.filter(person_id__in=ids)}
        self.subscribed = set(
            PushSubscription.objects.filter(person_id__in=ids).values_list("person_id", flat=True)
        )
        self.field = set(
            Person.populations.through.objects.filter(
                person_id__in=ids, population__code=PUSH_FIRST_POPULATION
            ).values_list("person_id", flat=True)
        )
        self.emails = {person.pk: bool(person.user.email) for person in people}
        self.push_on = bool(settings.SYLVA_VAPID_PRIVATE_KEY)

    def defaults(self, person: Person) -> list[str]:
        if person.pk in self.field and person.pk in self.subscribed:
            return ["push"]
        return ["email"]

    def reaches_of(self, person: Person) -> Callable[[str], bool]:
        def reaches(channel: str) -> bool:
            if channel == "email":
                return self.emails.get(person.pk, False)
            return channel == "push" and self.push_on and person.pk in self.subscribed

        return reaches


def reach_of(people: list[Person]) -> Reach:
    return Reach(people)
