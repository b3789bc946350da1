"""Sending: claim the deliveries that are due, hand each to its channel, log the outcome.

A delivery is claimed by one conditional update (``queued`` → ``sending`` with a fresh
claim), so two workers, or a task retried by the queue, never send it twice. A channel's
:class:`DeliveryError` says whether to retry: a transient one is retried with exponential
backoff (2, 4, 8… minutes, at most 6 hours apart) up to ``MAX_ATTEMPTS``; a permanent one
fails at once. A chat channel's failure is also written on its :class:`Hook`, where the
administrator sees it."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from sylva.notifications import queries
from sylva.notifications.channels import CHANNELS, DeliveryError, batch, message_for
from sylva.notifications.models import Delivery, Hook

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
#: a claim older than this is a worker that died mid-send: the delivery is queued again
STALE_CLAIM = timedelta(minutes=15)
BATCH = 500


def backoff(attempts: int) -> timedelta:
    """How long to wait before attempt ``attempts + 1``."""
    return min(timedelta(minutes=2**attempts), timedelta(hours=6))


def claim(ids: list[int], now: datetime) -> list[Delivery]:
    """Claim the queued, due deliveries among ``ids`` for this worker; the ones another
    worker claimed first are not returned."""
    token = uuid.uuid4().hex
    Delivery.objects.filter(pk__in=ids, state=Delivery.State.QUEUED, due_at__lte=now).update(
        state=Delivery.State.SENDING, claim=token, claimed_at=now, attempts=F("attempts") + 1
    )
    return list(
        Delivery.objects.filter(claim=token, state=Delivery.State.SENDING).select_related(
            "notification__person__user", "notification__hook"
        )
    )


def _outcome(delivery: Delivery, error: DeliveryError | None, now: datetime) -> None:
    """Log what came of a sending, on the delivery if this worker still holds its claim
    (a claim requeued as stale meanwhile is another worker's now), and on the chat channel's
    :class:`Hook` where the administrator sees it."""
    fields: dict[str, object] = {"claim": ""}
    if error is None:
        fields.update(state=Delivery.State.SENT, sent_at=now, error="")
    elif error.permanent or delivery.attempts >= MAX_ATTEMPTS:
        fields.update(
            state=Delivery.State.FAILED,
            error=(
                error.reason
                if error.permanent
                else f"gave up after {delivery.attempts} attempts: {error.reason}"
            ),
        )
    else:
        fields.update(
            state=Delivery.State.QUEUED,
            due_at=now + backoff(delivery.attempts),
            error=f"attempt {delivery.attempts} failed, retried later: {error.reason}",
        )
    Delivery.objects.filter(pk=delivery.pk, claim=delivery.claim).update(**fields)
    for name, value in fields.items():
        setattr(delivery, name, value)
    hook_id = delivery.notification.hook_id
    if hook_id is None:
        return
    if error is not None:
        Hook.objects.filter(pk=hook_id).update(last_error=error.reason[:2000], last_error_at=now)
    else:
        Hook.objects.filter(pk=hook_id).exclude(last_error="").update(last_error="")


def send_one(delivery: Delivery) -> bool:
    """Hand a claimed delivery to its channel and log what came of it; whether it was sent."""
    channel = CHANNELS.get(delivery.channel)
    error: DeliveryError | None
    if channel is None:
        error = DeliveryError(f"unknown channel {delivery.channel!r}", permanent=True)
    else:
        try:
            channel.send(message_for(delivery.notification, delivery.pk))
            error = None
        except DeliveryError as failed:
            error = failed
        except Exception as unexpected:  # a channel's bug must not lose the delivery
            log.exception("channel %s failed on delivery %s", delivery.channel, delivery.pk)
            error = DeliveryError(f"unexpected error: {unexpected!r}")
    _outcome(delivery, error, timezone.now())
    return error is None


def send_deliveries(ids: list[int]) -> int:
    """Send those of ``ids`` that are queued and due now; how many were sent."""
    with batch():
        return sum(send_one(delivery) for delivery in claim(ids, timezone.now()))


def requeue_stale(now: datetime) -> int:
    return Delivery.objects.filter(
        state=Delivery.State.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(state=Delivery.State.QUEUED, claim="", due_at=now)


def send_due(limit: int | None = None) -> int:
    """Send every delivery due now, batch by batch (at most ``limit``), the emails on one
    SMTP connection; how many were sent."""
    now = timezone.now()
    requeue_stale(now)
    with batch():
        return _send_batches(now, limit)


def _send_batches(now: datetime, limit: int | None) -> int:
    sent = done = 0
    while limit is None or done < limit:
        size = BATCH if limit is None else min(BATCH, limit - done)
        ids = list(
            queries.due_deliveries(now).order_by("due_at", "pk").values_list("pk", flat=True)[:size]
        )
        if not ids:
            break
        claimed = claim(ids, now)
        for delivery in claimed:
            sent += send_one(delivery)
        done += len(claimed)
    return sent
