"""Composing a notification: rendered once, in the recipient's language and time zone, and
stored with the deliveries its recipient's preferences call for. ``notify`` is what every
pillar calls, inside its transaction: if the transaction rolls back, nothing was composed;
once it commits, the sending task is queued."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django_tasks import task

from sylva.core.validation import limit_of
from sylva.notifications import queries
from sylva.notifications.channels import CHANNELS
from sylva.notifications.models import Delivery, Hook, Notification, Preference
from sylva.notifications.services import sending
from sylva.people.models import Person, Team

Params = Mapping[str, object]

DEFAULT_ACTION = gettext_noop("Open in Sylva")


def _formatted(value: object, zone: tzinfo) -> str:
    """A parameter as the recipient reads it: dates in their zone and language's format."""
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value, zone), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, time):
        return formats.time_format(value, "TIME_FORMAT")
    return str(value)


def _render(message: str | Promise, values: Mapping[str, str]) -> str:
    text = gettext(str(message)) if not isinstance(message, Promise) else str(message)
    return text % values if values else text


def render(
    language: str,
    zone: tzinfo,
    *,
    subject: str | Promise,
    lines: Sequence[str | Promise],
    params: Params,
    action: str | Promise,
) -> tuple[str, str, str]:
    """(subject, body, action) in ``language``; messages are msgids (``gettext_noop``) or
    lazy strings, with ``%(name)s`` placeholders filled from ``params``."""
    with translation.override(language):
        values = {name: _formatted(value, zone) for name, value in params.items()}
        return (
            _render(subject, values)[: limit_of(Notification, "subject")],
            "\n".join(_render(line, values) for line in lines),
            _render(action, values)[: limit_of(Notification, "action")],
        )


def _quiet(moment: time, start: time, end: time) -> bool:
    """Whether a wall-clock time falls in the window [start, end) (overnight when start >
    end)."""
    return start <= moment < end if start < end else (moment >= start or moment < end)


def after_quiet_hours(now: datetime, preference: Preference, zone: tzinfo) -> datetime:
    """``now``, or the end of the person's quiet hours (in their zone) when ``now`` falls
    inside them: the first end after ``now`` that is out of the window. Clock changes are
    reckoned with: an end that the autumn night passes twice is the one after ``now``; an
    end that the spring-forward skips is read on the clock of before the change (up to an
    hour later, never inside the window)."""
    start, end = preference.quiet_from, preference.quiet_until
    if start is None or end is None or start == end:
        return now

    def quiet(instant: datetime) -> bool:
        return _quiet(instant.astimezone(zone).time(), start, end)

    if not quiet(now):
        return now
    today = now.astimezone(zone).date()
    ends = (
        datetime.combine(today + timedelta(days=days), end, tzinfo=zone)
        .replace(fold=fold)
        .astimezone(UTC)
        for days in range(3)
        for fold in (0, 1)
    )
    later = (moment for moment in ends if moment >= now and not quiet(moment))
    return min(later, default=now + timedelta(days=1))


def check_kind(kind: str) -> None:
    if kind not in queries.notice_kinds():
        raise ValueError(f"{kind!r} is not a notice kind declared by a pillar (Pillar.notices)")


def _plan(
    notification: Notification,
    channels: list[str],
    preference: Preference,
    zone: tzinfo,
    now: datetime,
    reachable: Callable[[str], bool],
    *,
    urgent: bool,
) -> list[Delivery]:
    """The deliveries of a person's notification: one per chosen channel that reaches
    them, held for the digest when they asked for one (urgent kinds are never held)."""
    held = preference.digest != Preference.Digest.NONE and not urgent
    due = after_quiet_hours(now, preference, zone)
    return [
        Delivery(
            notification=notification,
            channel=channel,
            state=Delivery.State.HELD if held else Delivery.State.QUEUED,
            due_at=due,
        )
        for channel in channels
        if reachable(channel)
    ]


def notify(
    person: Person,
    kind: str,
    *,
    key: str,
    subject: str | Promise,
    url: str,
    lines: Sequence[str | Promise] = (),
    params: Params | None = None,
    action: str | Promise = DEFAULT_ACTION,
    calendar: bytes | str = b"",
) -> Notification | None:
    """Tell ``person`` something of ``kind`` (declared in a pillar's ``notices``), once per
    ``key``: the same key to the same person is never composed twice, so a retried service
    or task cannot send it twice. ``subject``, ``lines`` and ``action`` are msgids
    (``gettext_noop``) rendered in the person's language, with ``params`` (dates shown in
    their time zone); ``url`` is the path of the next action; ``calendar`` an iCalendar
    invitation or cancellation. Returns the notification, or None when it already was."""
    check_kind(kind)
    key = key[: limit_of(Notification, "key")]
    if Notification.objects.filter(person=person, key=key).exists():
        return None
    preference = queries.preference_of(person)
    zone = queries.zone_of(preference)
    language = person.language or settings.LANGUAGE_CODE
    rendered_subject, body, rendered_action = render(
        language, zone, subject=subject, lines=lines, params=params or {}, action=action
    )
    ics = calendar.decode() if isinstance(calendar, bytes) else calendar
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                person=person,
                kind=kind,
                key=key,
                subject=rendered_subject,
                body=body,
                url=url,
                action=rendered_action,
                calendar=ics,
            )
    except IntegrityError:  # the same key, composed at the same moment by another request
        return None
    deliveries = _plan(
        notification,
        queries.channels_for(person, kind, preference),
        preference,
        zone,
        timezone.now(),
        lambda channel: CHANNELS[channel].reaches(person),
        urgent=queries.notice_kinds()[kind].urgent,
    )
    Delivery.objects.bulk_create(deliveries)
    if any(d.state == Delivery.State.QUEUED for d in deliveries):
        transaction.on_commit(lambda: send_notification.enqueue(notification.pk))
    return notification


def notify_many(
    people: Iterable[Person],
    kind: str,
    *,
    key: str,
    subject: str | Promise,
    url: str,
    lines: Sequence[str | Promise] = (),
    params_of: Callable[[Person], Params] | None = None,
    action: str | Promise = DEFAULT_ACTION,
    batch: int = 2000,
) -> int:
    """:func:`notify` for many people at once (the daily nudge; pass them with
    ``select_related("user")``): the same ``key`` for each
    (one message per person and key), rendered once per language when ``params_of`` is
    None, written in bulk; returns how many were composed. The sending is queued in tasks
    of ``batch`` deliveries."""
    check_kind(kind)
    key = key[: limit_of(Notification, "key")]
    composed = 0
    chunk: list[Person] = []
    for person in people:
        chunk.append(person)
        if len(chunk) >= batch:
            composed += _notify_chunk(chunk, kind, key, subject, url, lines, params_of, action)
            chunk = []
    if chunk:
        composed += _notify_chunk(chunk, kind, key, subject, url, lines, params_of, action)
    if composed:
        transaction.on_commit(lambda: send_due.enqueue())
    return composed


def _notify_chunk(
    people: list[Person],
    kind: str,
    key: str,
    subject: str | Promise,
    url: str,
    lines: Sequence[str | Promise],
    params_of: Callable[[Person], Params] | None,
    action: str | Promise,
) -> int:
    ids = [person.pk for person in people]
    already = set(
        Notification.objects.filter(person_id__in=ids, key=key).values_list("person_id", flat=True)
    )
    people = [person for person in people if person.pk not in already]
    if not people:
        return 0
    facts = queries.reach_of(people)
    now = timezone.now()
    urgent = queries.notice_kinds()[kind].urgent
    # a nudge has a few hundred distinct texts for thousands of people: render each once
    cache: dict[tuple[object, ...], tuple[str, str, str]] = {}
    notifications, plans = [], []
    for person in people:
        preference = facts.preferences.get(person.pk) or Preference(person=person)
        zone = queries.zone_of(preference)
        language = person.language or settings.LANGUAGE_CODE
        params = params_of(person) if params_of is not None else {}
        text_key = (language, str(zone), *sorted((k, str(v)) for k, v in params.items()))
        text = cache.get(text_key)
        if text is None:
            text = cache[text_key] = render(
                language, zone, subject=subject, lines=lines, params=params, action=action
            )
        notifications.append(
            Notification(
                person=person,
                kind=kind,
                key=key,
                subject=text[0],
                body=text[1],
                url=url,
                action=text[2],
            )
        )
        plans.append((preference, zone))
    created = _insert(notifications, key)
    deliveries = []
    for notification, (preference, zone) in zip(notifications, plans, strict=True):
        recipient = notification.person
        assert recipient is not None
        if created is not None and recipient.pk not in created:
            continue
        if created is not None:
            notification.pk = created[recipient.pk]
        chosen = (preference.channels or {}).get(kind)
        channels = chosen if isinstance(chosen, list) else facts.defaults(recipient)
        reaches = facts.reaches_of(recipient)
        deliveries += _plan(notification, channels, preference, zone, now, reaches, urgent=urgent)
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return len(notifications) if created is None else len(created)


def _insert(notifications: list[Notification], key: str) -> dict[int, int] | None:
    """Insert the chunk's notifications in one statement: None when their ids are set on
    them; else {person id: notification id} of those this run made (another run may have
    composed some of them meanwhile: the rest are inserted)."""
    ids = [n.person_id for n in notifications]
    before: set[int | None] = set()
    try:
        with transaction.atomic():
            Notification.objects.bulk_create(notifications)
    except IntegrityError:
        before = set(
            Notification.objects.filter(person_id__in=ids, key=key).values_list(
                "person_id", flat=True
            )
        )
        for notification in notifications:
            notification.pk = None
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    else:
        if all(n.pk is not None for n in notifications):
            return None
    made = Notification.objects.filter(person_id__in=ids, key=key).values_list("person_id", "pk")
    return {person_id: pk for person_id, pk in made if person_id not in before}


def notify_team(
    team: Team | None,
    kind: str,
    *,
    key: str,
    subject: str | Promise,
    url: str,
    lines: Sequence[str | Promise] = (),
    params: Params | None = None,
    action: str | Promise = DEFAULT_ACTION,
) -> int:
    """Post to the chat channels (Slack, Teams) of ``team`` (None: the organisation's
    channels) that take ``kind``, once per ``key``; in the organisation's language.
    Returns how many channels it was composed for."""
    check_kind(kind)
    hooks = [
        hook for hook in Hook.objects.filter(active=True, team=team) if kind in (hook.kinds or [])
    ]
    if not hooks:
        return 0
    text = render(
        settings.LANGUAGE_CODE,
        timezone.get_default_timezone(),
        subject=subject,
        lines=lines,
        params=params or {},
        action=action,
    )
    key = key[: limit_of(Notification, "key")]
    composed = 0
    for hook in hooks:
        if Notification.objects.filter(hook=hook, key=key).exists():
            continue
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    hook=hook,
                    kind=kind,
                    key=key,
                    subject=text[0],
                    body=text[1],
                    url=url,
                    action=text[2],
                )
                Delivery.objects.create(notification=notification, channel=hook.service)
        except IntegrityError:  # the same key, posted at the same moment by another request
            continue
        transaction.on_commit(functools.partial(send_notification.enqueue, notification.pk))
        composed += 1
    return composed


@task()
def send_notification(notification_id: int) -> int:
    """Send the deliveries of one notification that are due (idempotent: a delivery sent
    is never sent again); returns how many were sent."""
    return sending.send_deliveries(
        list(
            Delivery.objects.filter(
                notification_id=notification_id, state=Delivery.State.QUEUED
            ).values_list("pk", flat=True)
        )
    )


@task()
def send_due() -> int:
    """Send every delivery that is due (cron runs it each minute: retries, the end of quiet
    hours); returns how many were sent."""
    return sending.send_due()
