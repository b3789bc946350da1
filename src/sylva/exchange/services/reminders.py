"""Reminders around a scheduled exchange: the day before, reconfirm (or reschedule); an hour
after its end, say whether it took place (both words are needed for it to count) and write
the review. Each exchange is reminded once of each: a reminder is claimed by an update of
its row, so that two runs at the same moment send it once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from sylva.exchange.models import Exchange
from sylva.exchange.services.notify import notify


def remind_before(now: datetime) -> int:
    """Ask both people to reconfirm the exchanges starting within a day; how many asked."""
    soon = Exchange.objects.filter(
        state=Exchange.State.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=1),
        reminded_before_at__isnull=True,
    )
    sent = 0
    for exchange in soon:
        if Exchange.objects.filter(pk=exchange.pk, reminded_before_at__isnull=True).update(
            reminded_before_at=now
        ):
            notify(
                exchange,
                gettext_noop("Tomorrow: please confirm your exchange, or reschedule it"),
                exclude=None,
            )
            sent += 1
    return sent


def remind_after(now: datetime) -> int:
    """Ask both people of the exchanges over for an hour whether it took place and for
    their review; how many asked."""
    past = Exchange.objects.filter(
        Q(state=Exchange.State.SCHEDULED) | Q(state=Exchange.State.HELD),
        starts_at__lte=now - timedelta(hours=1),
        reminded_after_at__isnull=True,
    )
    sent = 0
    for exchange in past:
        if exchange.ends_at is None or exchange.ends_at > now - timedelta(hours=1):
            continue  # a long exchange, not over an hour ago yet
        if Exchange.objects.filter(pk=exchange.pk, reminded_after_at__isnull=True).update(
            reminded_after_at=now
        ):
            notify(
                exchange,
                gettext_noop("Did your exchange take place? Say so, and write your review"),
                exclude=None,
            )
            sent += 1
    return sent


def remind() -> dict[str, int]:
    """Both reminders, now (idempotent): how many of each were sent."""
    now = timezone.now()
    return {"before": remind_before(now), "after": remind_after(now)}
