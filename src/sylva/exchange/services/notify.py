"""Telling both people of an exchange what happened: an email (the integrations pillar
adds other channels), with an iCalendar invite once modalities are agreed. Sent after the
transaction commits; a failing mail server never undoes a transition."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from sylva.exchange.ics import invite as build_invite
from sylva.exchange.models import Exchange
from sylva.people.models import Person


def _send(exchange_id: int, subject: str, exclude_id: int | None, invite: bool) -> None:
    exchange = Exchange.objects.select_related("teacher__user", "learner__user", "skill").get(
        pk=exchange_id
    )
    for person in (exchange.teacher, exchange.learner):
        if person.pk == exclude_id or not person.user.email:
            continue
        with translation.override(person.language or settings.LANGUAGE_CODE):
            body = (
                f"{translation.gettext(subject)}\n\n"
                f"{settings.SYLVA_ORGANISATION_NAME} · "
                f"{settings.SYLVA_BASE_URL}{reverse('exchange:exchange', args=[exchange.pk])}\n"
            )
            mail = EmailMessage(
                f"Sylva · {translation.gettext(subject)}", body, to=[person.user.email]
            )
            if invite and exchange.starts_at:
                mail.attach("exchange.ics", build_invite(exchange), "text/calendar")
            mail.send(fail_silently=True)


def notify(
    exchange: Exchange, subject: str, *, exclude: Person | None, invite: bool = False
) -> None:
    exclude_id = exclude.pk if exclude else None
    transaction.on_commit(lambda: _send(exchange.pk, subject, exclude_id, invite))
