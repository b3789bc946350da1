"""The daily rendez-vous reminder: at the time each learner chose (their notification
preference's ``nudge_at``, in their time zone; 08:30 in the organisation's time zone for
who never chose), only when there is something to do today, never on a paused day, and
never twice on one local day.

``nudge`` runs every 15 minutes (the task ``send_nudges``): it reminds the learners whose
reminder time fell in the last ``NUDGE_WINDOW``. Who has something to do, and how much, is
``queries.today.all_queues`` for those learners (the same queues as their today page, in a
handful of set-based queries); the messages are composed in bulk (``notify_many``), with
the key ``nudge:<local date>`` so that a second run, a retried task or a reminder time
changed later in the day sends nobody a second reminder that day."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from sylva.microlearning.queries import catalogue
from sylva.microlearning.queries.today import all_queues
from sylva.notifications.services import notify_many
from sylva.people.models import Person

#: how far back a run looks for reminder times (the task runs every 15 minutes)
NUDGE_WINDOW = timedelta(minutes=15)
#: people read per query when composing (a bounded IN list on every database)
CHUNK = 2000

SUBJECT_ONE = gettext_noop("Your %(minutes)s-minute rendez-vous: 1 card today")
SUBJECT_MANY = gettext_noop("Your %(minutes)s-minute rendez-vous: %(count)s cards today")
LINES = (
    gettext_noop("Your daily rendez-vous is ready: %(count)s cards, about %(minutes)s minutes."),
    gettext_noop("Cards you are about to forget come first."),
)
ACTION = gettext_noop("Open my rendez-vous")


def _preference_field(name: str) -> Any:
    """A field of the notification preference, reached through the person's relation (the
    pillar reads the ground's preferences without importing its models)."""
    preference: Any = Person.notification_preference.related.related_model
    return preference._meta.get_field(name)


def default_nudge_time() -> time:
    """The reminder time of who never chose one: the preference's default (08:30)."""
    default = _preference_field("nudge_at").default
    return default() if callable(default) else default


def _zone(name: str | None) -> tzinfo:
    try:
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _moments(since: datetime, now: datetime, zone: tzinfo) -> list[tuple[date, time, time]]:
    """The window ``(since, now]`` as local (day, after, until) pieces in ``zone`` (two
    pieces when it crosses midnight)."""
    start, end = timezone.localtime(since, zone), timezone.localtime(now, zone)
    if start.date() == end.date():
        return [(end.date(), start.time(), end.time())]
    return [(start.date(), start.time(), time.max), (end.date(), time.min, end.time())]


def _in_piece(after: time, until: time, field: str = "notification_preference__nudge_at") -> Q:
    lower = {f"{field}__gt": after} if after != time.min else {f"{field}__gte": after}
    return Q(**lower, **{f"{field}__lte": until})


def due_for_reminder(now: datetime, since: datetime) -> dict[date, set[int]]:
    """The active people whose reminder time fell in ``(since, now]``, by their local day
    (set-based: one query per time zone people chose, and one for the default)."""
    found: dict[date, set[int]] = defaultdict(set)
    people = Person.objects.filter(user__is_active=True)
    chosen = people.filter(notification_preference__isnull=False)
    zones = set(chosen.values_list("notification_preference__time_zone", flat=True).distinct())
    for name in zones:
        for day, after, until in _moments(since, now, _zone(name)):
            ids = chosen.filter(_in_piece(after, until), notification_preference__time_zone=name)
            found[day].update(ids.values_list("pk", flat=True))
    usual = default_nudge_time()
    for day, after, until in _moments(since, now, _zone(None)):
        if usual is not None and (after < usual or after == time.min) and usual <= until:
            ids = people.filter(notification_preference__isnull=True)
            found[day].update(ids.values_list("pk", flat=True))
    return found


def already_reminded(ids: set[int], day: date) -> set[int]:
    """Who of ``ids`` was reminded on their local ``day`` already (read through the
    person's notifications, in bounded chunks): a second run skips them before counting
    their cards."""
    found: set[int] = set()
    ordered = sorted(ids)
    for i in range(0, len(ordered), CHUNK * 5):
        found.update(
            Person.objects.filter(
                pk__in=ordered[i : i + CHUNK * 5], notifications__key=f"nudge:{day.isoformat()}"
            ).values_list("pk", flat=True)
        )
    return found


def _people(ids: list[int]) -> Iterator[Person]:
    for i in range(0, len(ids), CHUNK):
        yield from Person.objects.filter(pk__in=ids[i : i + CHUNK]).select_related("user")


@transaction.atomic
def nudge(now: datetime | None = None) -> int:
    """Remind the learners whose reminder time has come and who have cards today (not
    paused, not already reminded this local day); returns how many were composed."""
    now = now or timezone.now()
    by_day = {
        day: ids - already_reminded(ids, day)
        for day, ids in due_for_reminder(now, now - NUDGE_WINDOW).items()
    }
    wanted = set().union(*by_day.values()) if by_day else set()
    queues = {pk: cards for pk, cards in all_queues(now, among=wanted).items() if cards}
    if not queues:
        return 0
    seconds = catalogue.current(catalogue.token_now()).seconds
    minutes = {
        pk: max(1, round(sum(seconds.get(card, 0) for card in cards) / 60))
        for pk, cards in queues.items()
    }

    def params_of(person: Person) -> dict[str, object]:
        return {"count": len(queues[person.pk]), "minutes": minutes[person.pk]}

    composed = 0
    url = reverse("microlearning:today")
    for day, ids in sorted(by_day.items()):
        for single in (True, False):
            chosen = sorted(pk for pk in ids if pk in queues and (len(queues[pk]) == 1) == single)
            if chosen:
                composed += notify_many(
                    _people(chosen),
                    "microlearning.nudge",
                    key=f"nudge:{day.isoformat()}",
                    subject=SUBJECT_ONE if single else SUBJECT_MANY,
                    lines=LINES,
                    params_of=params_of,
                    url=url,
                    action=ACTION,
                )
    return composed
