"""The digest: for people who asked for one, the messages held since the last one, sent as
one notification once a day (or on Mondays) after the time they chose, in their time zone.

Idempotent: a digest is composed once per person and local day (its key), the held
deliveries it gathers are closed in the same transaction as ``last_digest_at``, and the
preference row is locked, so a task run twice, or by two workers, sends one digest."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from sylva.notifications import queries
from sylva.notifications.models import Delivery, Notification, Preference
from sylva.notifications.services.compose import notify

DIGEST_KIND = "notifications.digest"
#: at most this many messages are listed one by one in a digest (the rest are counted)
LISTED = 40


def digest_moment(preference: Preference, now: datetime) -> datetime | None:
    """When today's digest of ``preference`` is due (in its zone), or None when no digest
    is due today (none asked, or a weekly one on another day than Monday)."""
    if preference.digest == Preference.Digest.NONE:
        return None
    zone = queries.zone_of(preference)
    local = timezone.localtime(now, zone)
    if preference.digest == Preference.Digest.WEEKLY and local.weekday() != 0:
        return None
    return datetime.combine(local.date(), preference.digest_at, tzinfo=zone)


def is_due(preference: Preference, now: datetime) -> bool:
    moment = digest_moment(preference, now)
    if moment is None or now < moment:
        return False
    return preference.last_digest_at is None or preference.last_digest_at < moment


def _lines(held: list[Notification]) -> tuple[list[str], dict[str, object]]:
    """The digest's lines (msgids with their params): each held message's subject and link."""
    lines: list[str] = []
    params: dict[str, object] = {}
    for index, notification in enumerate(held[:LISTED]):
        lines.append(f"• %(subject_{index})s — %(link_{index})s")
        params[f"subject_{index}"] = notification.subject
        params[f"link_{index}"] = settings.SYLVA_BASE_URL + notification.url
    if len(held) > LISTED:
        lines.append(gettext_noop("… and %(more)s more: see them all in Sylva."))
        params["more"] = len(held) - LISTED
    return lines, params


def _send_one(preference: Preference, now: datetime) -> bool:
    """Compose one person's digest if it is due and something is held; whether it was."""
    with transaction.atomic():
        locked = Preference.objects.select_for_update().get(pk=preference.pk)
        if not is_due(locked, now):
            return False
        deliveries = list(
            Delivery.objects.filter(
                notification__person_id=locked.person_id, state=Delivery.State.HELD
            )
            .select_related("notification")
            .order_by("notification__created_at", "pk")
        )
        if not deliveries:
            return False
        held = list({d.notification_id: d.notification for d in deliveries}.values())
        local_date: date = timezone.localtime(now, queries.zone_of(locked)).date()
        lines, params = _lines(held)
        params["date"] = local_date
        notify(
            preference.person,
            DIGEST_KIND,
            key=f"digest:{local_date.isoformat()}",
            subject=gettext_noop("Your Sylva digest of %(date)s"),
            lines=lines,
            params=params,
            url=reverse("notifications:log"),
            action=gettext_noop("See them in Sylva"),
        )
        Delivery.objects.filter(
            pk__in=[d.pk for d in deliveries], state=Delivery.State.HELD
        ).update(
            state=Delivery.State.SENT,
            sent_at=now,
            error=f"in the digest of {local_date.isoformat()}",
        )
        locked.last_digest_at = now
        locked.save(update_fields=["last_digest_at"])
    return True


def release_held(now: datetime) -> int:
    """Deliveries held for people who no longer want a digest go out as single messages
    (nothing held is lost when someone turns the digest off)."""
    return Delivery.objects.filter(
        state=Delivery.State.HELD,
        notification__person__notification_preference__digest=Preference.Digest.NONE,
    ).update(state=Delivery.State.QUEUED, due_at=now)


def send_digests(now: datetime | None = None) -> int:
    """Compose the digests due at ``now`` (default: now); how many were composed."""
    now = now or timezone.now()
    release_held(now)
    candidates = (
        Preference.objects.exclude(digest=Preference.Digest.NONE)
        .filter(person__notifications__deliveries__state=Delivery.State.HELD)
        .select_related("person__user")
        .distinct()
    )
    return sum(_send_one(preference, now) for preference in candidates if is_due(preference, now))


@task()
def send_digests_task() -> int:
    """Compose the daily and weekly digests that are due (cron runs it each hour); returns
    how many were composed."""
    return send_digests()
