"""The channels that carry a notification, each a subclass of :class:`Channel` (the shape
of healthchecks' ``Transport``): a channel turns one :class:`Message` into one sending and
says how it failed by raising :class:`DeliveryError`, permanent or worth a retry.

Personal channels (email, web push) reach a person; chat channels (Slack, Microsoft Teams)
post to a team's or the organisation's channel through an incoming webhook. The sending
task (``services.sending``) claims, retries and logs; channels only send."""

from __future__ import annotations

import base64
import binascii
import functools
import json
import smtplib
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlparse

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from sylva.notifications import queries
from sylva.notifications.models import Hook, Notification, PushSubscription

if TYPE_CHECKING:
    from sylva.people.models import Person

UNSUBSCRIBE_SALT = "sylva.notifications.unsubscribe"
#: seconds a webhook or push service has to answer (read at each sending)
HTTP_TIMEOUT: float = 10
#: how long a push service keeps a message for a device that is offline
PUSH_TTL = 24 * 3600


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


# --- the VAPID key ------------------------------------------------------------------------


def _b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@functools.lru_cache(maxsize=4)
def _parse_vapid(text: str) -> Vapid:
    """A VAPID private key as ``vapid --gen`` writes it (PEM, PKCS#8 or SEC1), or as
    base64url: the DER of the key or its raw 32-byte scalar."""
    text = text.strip().replace("\\n", "\n")
    try:
        if "-----BEGIN" in text:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            raw = _b64url_decode("".join(text.split()))
            if len(raw) == 32:
                key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
            else:
                key = serialization.load_der_private_key(raw, password=None)
    except (ValueError, TypeError, binascii.Error) as error:
        raise ValueError(f"not a private key: {error}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("a VAPID key is an elliptic-curve key on P-256 (prime256v1)")
    return Vapid(key)


def _vapid_text() -> str:
    text = settings.SYLVA_VAPID_PRIVATE_KEY
    path = getattr(settings, "SYLVA_VAPID_PRIVATE_KEY_FILE", "")
    if not text and path:
        try:
            text = Path(path).read_text()
        except OSError as error:
            raise ValueError(f"cannot read SYLVA_VAPID_PRIVATE_KEY_FILE: {error}") from None
    return str(text)


def push_configured() -> bool:
    """Whether web push has a VAPID key (in ``SYLVA_VAPID_PRIVATE_KEY`` or the PEM file of
    ``SYLVA_VAPID_PRIVATE_KEY_FILE``)."""
    return bool(
        settings.SYLVA_VAPID_PRIVATE_KEY or getattr(settings, "SYLVA_VAPID_PRIVATE_KEY_FILE", "")
    )


def vapid_key() -> Vapid:
    """The VAPID key that signs the pushes; ``ValueError`` when none is set or it is not a
    P-256 private key."""
    text = _vapid_text()
    if not text:
        raise ValueError("web push is not configured (SYLVA_VAPID_PRIVATE_KEY)")
    return _parse_vapid(text)


def vapid_public_key() -> str:
    """The browsers' ``applicationServerKey``: ``SYLVA_VAPID_PUBLIC_KEY``, or the public
    half of the private key (base64url of the uncompressed point); "" when push is off."""
    if not push_configured():
        return ""
    if settings.SYLVA_VAPID_PUBLIC_KEY:
        return str(settings.SYLVA_VAPID_PUBLIC_KEY)
    point = vapid_key().public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(point)


# --- channels -----------------------------------------------------------------------------


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


def _refusal(error: smtplib.SMTPRecipientsRefused) -> DeliveryError:
    """A refused recipient: permanent when the server said 5xx (no such mailbox), a
    retry when it said 4xx (greylisting, a full mailbox)."""
    codes = [code for code, _reply in error.recipients.values()]
    said = "; ".join(
        f"{address}: {code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
        for address, (code, reply) in error.recipients.items()
    )
    permanent = bool(codes) and all(code >= 500 for code in codes)
    return DeliveryError(f"the mail server refused the recipient ({said})", permanent=permanent)


def _smtp_error(error: smtplib.SMTPResponseException) -> DeliveryError:
    reply = (
        error.smtp_error.decode(errors="replace")
        if isinstance(error.smtp_error, bytes)
        else str(error.smtp_error)
    )
    what = "the sender" if isinstance(error, smtplib.SMTPSenderRefused) else "the message"
    # a refused sender is the configuration (DEFAULT_FROM_EMAIL): retried within bounds
    permanent = error.smtp_code >= 500 and not isinstance(error, smtplib.SMTPSenderRefused)
    return DeliveryError(
        f"the mail server refused {what}: {error.smtp_code} {reply}", permanent=permanent
    )


def _unreachable(error: Exception) -> DeliveryError:
    """A mail server that hung (smtplib reports a timeout while reading a reply as a lost
    connection) or could not be reached: both are retried."""
    if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
        where = f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
        return DeliveryError(
            f"the mail server {where} did not answer within {settings.EMAIL_TIMEOUT} s"
        )
    return DeliveryError(f"the mail server could not be reached: {error!r}")


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
        language = person.language or settings.LANGUAGE_CODE
        with translation.override(language):
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
                "X-Auto-Response-Suppress": "All",
                "Content-Language": language,
            },
        )
        mail.attach_alternative(html, "text/html")
        if notification.calendar:
            method = "CANCEL" if "METHOD:CANCEL" in notification.calendar else "REQUEST"
            # the part calendars act on (Accept / Decline), as Google and Outlook send it,
            # and the same invitation as a file for the others
            mail.attach_alternative(notification.calendar, f"text/calendar; method={method}")
            mail.attach("invite.ics", notification.calendar.encode(), "application/ics")
        return mail

    def send(self, message: Message) -> None:
        person = message.notification.person
        if person is None or not person.user.email:
            raise DeliveryError("no email address", permanent=True)
        mail = self.build(message)
        shared = getattr(_run, "connection", None)
        if shared is None:
            _send_on(mail, get_connection(timeout=settings.EMAIL_TIMEOUT))
            return
        try:
            _send_on(mail, shared, keep_open=True)
        except DeliveryError:
            _close_quietly(shared)  # the next message of the run opens a fresh one
            raise


def _send_on(mail: EmailMultiAlternatives, connection: Any, *, keep_open: bool = False) -> None:
    mail.connection = connection
    try:
        if keep_open:
            connection.open()  # already open: nothing done; Django then leaves it open
        mail.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as error:
        raise _refusal(error) from error
    except smtplib.SMTPResponseException as error:
        raise _smtp_error(error) from error
    except (smtplib.SMTPException, OSError) as error:
        raise _unreachable(error) from error


def _close_quietly(connection: Any) -> None:
    with suppress(smtplib.SMTPException, OSError):
        connection.close()


#: the connections of the current run of sendings (per thread: workers run side by side)
_run = threading.local()


@contextmanager
def batch() -> Iterator[None]:
    """One SMTP connection for a whole run of sendings (``sending.send_due``) instead of one
    per message: opened by the first email, closed at the end; a message that fails closes
    it, and the next one opens another."""
    previous = getattr(_run, "connection", None)
    _run.connection = connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    try:
        yield
    finally:
        _run.connection = previous
        _close_quietly(connection)


class PushChannel(Channel):
    """Web push (RFC 8030, 8291, 8292) to every browser the person subscribed, signed with
    the VAPID key; a subscription the push service says is gone (404, 410) is deleted."""

    name = "push"
    label = _("Notifications on my phone (web push)")

    def reaches(self, person: Person) -> bool:
        return push_configured() and person.push_subscriptions.exists()

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
        try:
            key = vapid_key()
        except ValueError as error:
            raise DeliveryError(f"web push: {error}", permanent=True) from None
        subscriptions = list(PushSubscription.objects.filter(person=message.notification.person))
        if not subscriptions:
            raise DeliveryError("no push subscription", permanent=True)
        kind = queries.notice_kinds().get(message.notification.kind)
        urgency = "high" if kind is not None and kind.urgent else "normal"
        data, failures, reached = self.payload(message), [], 0
        for subscription in subscriptions:
            try:
                self.push(subscription, data, key, urgency)
            except DeliveryError as error:
                failures.append(error)
            else:
                reached += 1
        if not reached and failures:
            permanent = all(error.permanent for error in failures)
            raise DeliveryError("; ".join(error.reason for error in failures), permanent=permanent)

    def push(self, subscription: PushSubscription, data: str, key: Vapid, urgency: str) -> None:
        try:
            webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=data,
                vapid_private_key=key,
                vapid_claims={"sub": settings.SYLVA_VAPID_SUBJECT},
                ttl=PUSH_TTL,
                timeout=HTTP_TIMEOUT,
                headers={"Urgency": urgency},
            )
        except WebPushException as error:
            raise self._refused(subscription, error) from None
        except requests.RequestException as error:
            raise DeliveryError(f"the push service did not answer: {error!r}") from error
        PushSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now())

    def _refused(self, subscription: PushSubscription, error: WebPushException) -> DeliveryError:
        status = error.response.status_code if error.response is not None else None
        where = urlparse(subscription.endpoint).hostname
        if status in (404, 410):
            subscription.delete()
            return DeliveryError(
                f"the browser's subscription at {where} has expired ({status}): it was removed",
                permanent=True,
            )
        # 400 (malformed), 403 (VAPID refused), 413 (too large): a retry changes nothing
        permanent = status is not None and 400 <= status < 500 and status != 429
        return DeliveryError(f"the push service {where} answered {status}", permanent=permanent)


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
            response = requests.post(
                hook.url, json=self.body(message), timeout=HTTP_TIMEOUT, allow_redirects=False
            )
        except requests.Timeout as error:
            raise DeliveryError(f"the webhook did not answer within {HTTP_TIMEOUT} s") from error
        except requests.RequestException as error:
            raise DeliveryError(f"the webhook could not be reached: {error!r}") from error
        status = response.status_code
        if 300 <= status < 400:
            raise DeliveryError(
                f"the webhook answered a redirect ({status}): paste the URL the chat tool gives",
                permanent=True,
            )
        if status >= 400:
            permanent = 400 <= status < 500 and status not in (408, 429)
            gone = " (the webhook was deleted or its URL is wrong)" if status in (404, 410) else ""
            raise DeliveryError(
                f"the webhook answered {status}{gone}: {response.text[:200]}", permanent=permanent
            )


def slack_escape(text: str) -> str:
    """Text as Slack's mrkdwn shows it literally (its three control characters)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SlackChannel(HookChannel):
    """Slack's incoming webhooks (and the chat tools that accept their JSON): a text for
    notifications and blocks for the channel."""

    name = Hook.Service.SLACK.value
    label = "Slack"

    def body(self, message: Message) -> dict[str, Any]:
        notification = message.notification
        subject = slack_escape(notification.subject)
        text = "\n".join([f"*{subject}*", *map(slack_escape, message.lines)])
        return {
            "text": f"{subject} <{message.link}>",
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}},
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "text": {"type": "plain_text", "text": notification.action[:75]},
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
            {
                "type": "TextBlock",
                "text": notification.subject,
                "weight": "Bolder",
                "size": "Medium",
                "wrap": True,
            }
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
