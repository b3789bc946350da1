"""Background work of the exchange network (django-tasks). Every task is idempotent: run it
twice, nothing happens twice."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from sylva.exchange.models import Exchange
from sylva.exchange.services.notify import notify


@task()
def run_matching() -> int:
    """The scheduled global run; returns the id of the stored MatchRun."""
    from sylva.exchange.services.runs import run_matching as run

    return run().pk


@task()
def expire_requests() -> int:
    """Close requests past the organisation's delay; returns how many expired."""
    from sylva.exchange.services.board import expire_requests as expire

    return expire()


@task()
def welcome_newcomers() -> int:
    """Propose three cross-department exchanges to each newcomer in their first week."""
    from sylva.exchange.services.welcome import welcome_newcomers as welcome

    return welcome()


def remind() -> dict[str, int]:
    """Before: the day before, ask both people to reconfirm (or reschedule). After: an hour
    after its scheduled end, ask them to say whether it took place (both words are needed for
    it to count) and to write their review."""
    now = timezone.now()
    before = 0
    soon = Exchange.objects.filter(
        state=Exchange.State.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=1),
        reminded_before_at__isnull=True,
    )
    for exchange in soon:
        if Exchange.objects.filter(pk=exchange.pk, reminded_before_at__isnull=True).update(
            reminded_before_at=now
        ):
            notify(
                exchange,
                gettext_noop("Tomorrow: please confirm your exchange, or reschedule it"),
                exclude=None,
            )
            before += 1
    after = 0
    past = Exchange.objects.filter(
        Q(state=Exchange.State.SCHEDULED) | Q(state=Exchange.State.HELD),
        starts_at__lte=now - timedelta(hours=1),
        reminded_after_at__isnull=True,
    )
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
            after += 1
    return {"before": before, "after": after}


@task()
def send_reminders() -> dict[str, int]:
    """Ask for reconfirmation the day before an exchange, and for reviews after it."""
    return remind()
