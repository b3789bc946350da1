"""The channels that carry a notification, each a subclass of :class:`Channel` (the shape
of healthchecks' ``Transport``): a channel turns one :class:`Message` into one sending and
says how it failed by raising :class:`DeliveryError`, permanent or worth a retry.

Personal channels (email, web push) reach a person; chat channels (Slack, Microsoft Teams)
post to a team's or the organisation's channel through an incoming webhook. The sending
task (``services.sending``) claims, retries and logs; channels only send."""

from __future__ import annotations

import json
import smtplib
import socket
from dataclasses import dataclass
from email.mime.text import MIMEText
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlparse

import requests
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pywebpush import WebPushException, webpush

from sylva.notifications.models import Hook, Notification, PushSubscription

if TYPE_CHECKING:
    from sylva.people.models import Person

UNSUBSCRIBE_SALT = "sylva.notifications.unsubscribe"
#: seconds a webhook or push service has to answer
HTTP_TIMEOUT = 10


class DeliveryError(Exception):
    """A sending that failed: ``permanent`` ones are not retried (no address, a gone
    subscription, a webhook that does not exist); the others are, with backoff."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class Message:
    """What a channel sends: the notification, its delivery's id (the idempotency key the
    channel passes on, e.g. as the mail's Message-ID) and its absolute links."""

    notification: Notification
    delivery_id: int
    link: str
    unsubscribe: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.notification.body.splitlines() if line.strip()]


def unsubscribe_token(person_id: int, kind: str) -> str:
    """A signed token for the one-click unsubscribe of ``kind`` by email (never expires: an
    old message's link must still work; it can only turn a kind's email off)."""
    return signing.dumps({"p": person_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """The (person id, kind) of a token; raises ``signing.BadSignature`` when forged."""
    value: Any = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(value, dict) or not isinstance(value.get("p"), int):
        raise signing.BadSignature("malformed unsubscribe token")
    return value["p"], str(value.get("k", ""))


def message_for(notification: Notification, delivery_id: int) -> Message:
    base = settings.SYLVA_BASE_URL
    unsubscribe = ""
    if notification.person_id is not None:
        token = unsubscribe_token(notification.person_id, notification.kind)
        unsubscribe = base + reverse("notifications:unsubscribe", args=[token])
    return Message(notification, delivery_id, base + notification.url, unsubscribe)


class Channel:
    """One way of carrying a message. Subclasses set ``name`` and ``label`` and implement
    :meth:`send`; personal channels also say whether they can reach a person at all."""

    name: ClassVar[str]
    label: ClassVar[Promise | str]
    personal: ClassVar[bool] = True

    def reaches(self, person: Person) -> bool:
        return True

    def send(self, message: Message) -> None:
        raise NotImplementedError


class EmailChannel(Channel):
    """An email in HTML and text, in the recipient's language, with the full content, the
    next action's link, a signed one-click unsubscribe (RFC 8058) and, for an invitation,
    the iCalendar part that calendars act on (``text/calendar; method=…``)."""

    name = "email"
    label = _("Email")

    def reaches(self, person: Person) -> bool:
        return bool(person.user.email)

    def build(self, message: Message) -> EmailMultiAlternatives:
        notification = message.notification
        person = notification.person
        assert person is not None
        context = {
            "notification": notification,
            "lines": message.lines,
            "link": message.link,
            "unsubscribe": message.unsubscribe,
            "person": person,
            "organisation_name": settings.SYLVA_ORGANISATION_NAME,
            "preferences": settings.SYLVA_BASE_URL + reverse("notifications:preferences"),
        }
        with translation.override(person.language or settings.LANGUAGE_CODE):
            text = render_to_string("notifications/email.txt", context)
            html = render_to_string("notifications/email.html", context)
        host = urlparse(settings.SYLVA_BASE_URL).hostname or "sylva"
        mail = EmailMultiAlternatives(
            notification.subject,
            text,
            to=[person.user.email],
            headers={
                "Message-ID": f"<sylva-delivery-{message.delivery_id}@{host}>",
                "List-Unsubscribe": f"<{message.unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        mail.attach_alternative(html, "text/html")
        if notification.calendar:
            method = "CANCEL" if "METHOD:CANCEL" in notification.calendar else "REQUEST"
            part = MIMEText(notification.calendar, "calendar", "utf-8")
            part.set_param("method", method)
            part.add_header("Content-Disposition", "attachment", filename="invite.ics")
            mail.attach(part)
        return mail

    def send(self, message: Message) -> None:
        person = message.notification.person
        if person is None or not person.user.email:
            raise DeliveryError("no email address", permanent=True)
        mail = self.build(message)
        try:
            connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
            mail.connection = connection
            mail.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            raise DeliveryError(f"the mail server refused the address: {error}", permanent=True)
        except (smtplib.SMTPException, OSError, socket.timeout) as error:
            raise DeliveryError(f"the mail server did not take it: {error!r}") from error


class PushChannel(Channel):
    """Web push (RFC 8030) to every browser the person subscribed, signed with the VAPID
    key of ``SYLVA_VAPID_PRIVATE_KEY``; a subscription the push service says is gone (404,
    410) is deleted."""

    name = "push"
    label = _("Notifications on my phone (web push)")

    def reaches(self, person: Person) -> bool:
        return bool(settings.SYLVA_VAPID_PRIVATE_KEY) and person.push_subscriptions.exists()

    def payload(self, message: Message) -> str:
        notification = message.notification
        return json.dumps(
            {
                "title": notification.subject,
                "body": " · ".join(message.lines)[:300],
                "url": message.link,
                "action": notification.action,
                "tag": notification.key[:64],
            }
        )

    def send(self, message: Message) -> None:
        if not settings.SYLVA_VAPID_PRIVATE_KEY:
            raise DeliveryError("web push is not configured (SYLVA_VAPID_PRIVATE_KEY)", permanent=True)
        person = message.notification.person
        subscriptions = list(PushSubscription.objects.filter(person=person))
        if not subscriptions:
            raise DeliveryError("no push subscription", permanent=True)
        data, failures, reached = self.payload(message), [], 0
        for subscription in subscriptions:
            try:
                self.push(subscription, data)
            except DeliveryError as error:
                failures.append(error)
            else:
                reached += 1
        if not reached and failures:
            permanent = all(error.permanent for error in failures)
            raise DeliveryError("; ".join(error.reason for error in failures), permanent=permanent)

    def push(self, subscription: PushSubscription, data: str) -> None:
        try:
            webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=data,
                vapid_private_key=settings.SYLVA_VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.SYLVA_VAPID_SUBJECT},
                ttl=24 * 3600,
                timeout=HTTP_TIMEOUT,
            )
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            if status in (404, 410):
                subscription.delete()
                raise DeliveryError(f"the subscription is gone ({status}): removed", permanent=True)
            raise DeliveryError(f"the push service answered {status}: {error}") from error
        except requests.RequestException as error:
            raise DeliveryError(f"the push service did not answer: {error!r}") from error
        PushSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now())


class HookChannel(Channel):
    """A chat channel's incoming webhook: subclasses shape the JSON."""

    personal = False

    def body(self, message: Message) -> dict[str, Any]:
        raise NotImplementedError

    def send(self, message: Message) -> None:
        hook = message.notification.hook
        if hook is None:
            raise DeliveryError("no chat channel", permanent=True)
        try:
            response = requests.post(hook.url, json=self.body(message), timeout=HTTP_TIMEOUT)
        except requests.RequestException as error:
            raise DeliveryError(f"the webhook did not answer: {error!r}") from error
        if response.status_code >= 400:
            permanent = 400 <= response.status_code < 500 and response.status_code != 429
            raise DeliveryError(
                f"the webhook answered {response.status_code}: {response.text[:200]}",
                permanent=permanent,
            )


class SlackChannel(HookChannel):
    """Slack's incoming webhooks (and the chat tools that accept their JSON): a text for
    notifications and blocks for the channel."""

    name = Hook.Service.SLACK.value
    label = "Slack"

    def body(self, message: Message) -> dict[str, Any]:
        notification = message.notification
        text = "\n".join([f"*{notification.subject}*", *message.lines])
        return {
            "text": f"{notification.subject} {message.link}",
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": text}},
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "text": {"type": "plain_text", "text": notification.action},
                            "url": message.link,
                        }
                    ],
                },
            ],
        }


class TeamsChannel(HookChannel):
    """Microsoft Teams through a Workflows webhook ("Post to a channel when a webhook request
    is received"), with an Adaptive Card: the Office 365 connectors are retired."""

    name = Hook.Service.TEAMS.value
    label = "Microsoft Teams"

    def body(self, message: Message) -> dict[str, Any]:
        notification = message.notification
        blocks: list[dict[str, Any]] = [
            {"type": "TextBlock", "text": notification.subject, "weight": "Bolder", "wrap": True}
        ]
        blocks += [{"type": "TextBlock", "text": line, "wrap": True} for line in message.lines]
        return {
            "type": "message",
            "attachments": [
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "contentUrl": None,
                    "content": {
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "type": "AdaptiveCard",
                        "version": "1.4",
                        "body": blocks,
                        "actions": [
                            {
                                "type": "Action.OpenUrl",
                                "title": notification.action,
                                "url": message.link,
                            }
                        ],
                    },
                }
            ],
        }


#: every channel, by name
CHANNELS: dict[str, Channel] = {
    channel.name: channel
    for channel in (EmailChannel(), PushChannel(), SlackChannel(), TeamsChannel())
}
