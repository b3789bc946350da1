"""Reminders around a scheduled exchange: the day before, reconfirm (or reschedule); an hour
after its end, say whether it took place (both words are needed for it to count) and write
the review. Each exchange is reminded once of each: a reminder is claimed by an update of
its row, so that two runs at the same moment send it once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sylva.exchange.models import Exchange, Fair
from sylva.exchange.services import notify
from sylva.exchange.services.notify import both, tell
from sylva.people.models import Person


def remind_before(now: datetime) -> int:
    """Ask both people to reconfirm the exchanges starting within a day; how many asked."""
    soon = Exchange.objects.select_related("teacher__user", "learner__user", "skill").filter(
        state=Exchange.State.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=1),
        reminded_before_at__isnull=True,
    )
    sent = 0
    for exchange in soon:
        with transaction.atomic():  # the claim and the messages together, or neither
            if Exchange.objects.filter(pk=exchange.pk, reminded_before_at__isnull=True).update(
                reminded_before_at=now
            ):
                tell(exchange, notify.REMIND_BEFORE, to=both(exchange))
                sent += 1
    return sent


def remind_after(now: datetime) -> int:
    """Ask both people of the exchanges over for an hour whether it took place and for
    their review; how many asked."""
    past = Exchange.objects.select_related("teacher__user", "learner__user", "skill").filter(
        Q(state=Exchange.State.SCHEDULED) | Q(state=Exchange.State.HELD),
        starts_at__lte=now - timedelta(hours=1),
        reminded_after_at__isnull=True,
    )
    sent = 0
    for exchange in past:
        if exchange.ends_at is None or exchange.ends_at > now - timedelta(hours=1):
            continue  # a long exchange, not over an hour ago yet
        with transaction.atomic():
            if Exchange.objects.filter(pk=exchange.pk, reminded_after_at__isnull=True).update(
                reminded_after_at=now
            ):
                tell(exchange, notify.REMIND_AFTER, to=_not_said(exchange))
                sent += 1
    return sent


def _not_said(exchange: Exchange) -> list[Person]:
    """Who is still asked after an exchange: those who did not say whether it took place
    (both, usually), or, once it is held, both for their review."""
    if exchange.state == Exchange.State.HELD:
        return list(both(exchange))
    return [p for p in both(exchange) if not exchange.held_by(p)] or list(both(exchange))


def open_fairs(now: datetime) -> int:
    """Tell the audience of each fair that opened (announced ahead, or opened now) that it
    is open, once; how many fairs were announced open."""
    opened = Fair.objects.select_related("site").filter(
        closed_at__isnull=True,
        opens_at__lte=now,
        closes_at__gt=now,
        opening_told_at__isnull=True,
    )
    told = 0
    for fair in opened:
        with transaction.atomic():
            if Fair.objects.filter(pk=fair.pk, opening_told_at__isnull=True).update(
                opening_told_at=now
            ):
                notify.tell_fair(fair, opening=True)
                told += 1
    return told


def remind() -> dict[str, int]:
    """Both reminders and the fairs that opened, now (idempotent): how many of each."""
    now = timezone.now()
    return {"before": remind_before(now), "after": remind_after(now), "fairs": open_fairs(now)}
