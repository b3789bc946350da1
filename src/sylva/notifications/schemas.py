"""The shapes of the notifications API: a browser's push subscription (the JSON of
``PushSubscription.toJSON()``), the VAPID public key, the inbox."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from sylva.core.validation import limit_of
from sylva.notifications.models import PushSubscription

ENDPOINT = limit_of(PushSubscription, "endpoint")


class PushKeysIn(Schema):
    p256dh: str = Field(
        ...,
        max_length=limit_of(PushSubscription, "p256dh"),
        description="The browser's P-256 public key, base64url (65 bytes uncompressed)",
    )
    auth: str = Field(
        ...,
        max_length=limit_of(PushSubscription, "auth"),
        description="The browser's authentication secret, base64url (16 bytes)",
    )


class PushSubscriptionIn(Schema):
    """``PushSubscription.toJSON()`` as the browser gives it (``expirationTime`` ignored)."""

    endpoint: str = Field(..., max_length=ENDPOINT, description="The push service's https:// URL")
    keys: PushKeysIn
    expirationTime: float | None = None  # the browser's own name


class EndpointIn(Schema):
    endpoint: str = Field(..., max_length=ENDPOINT)


class PushSubscriptionOut(Schema):
    endpoint: str
    created_at: datetime


class PushKeyOut(Schema):
    public_key: str = Field(
        ..., description="The VAPID public key: PushManager.subscribe's applicationServerKey"
    )


class InboxActionOut(Schema):
    label: str
    url: str
    method: str
    fields: dict[str, str]
    primary: bool


class InboxItemOut(Schema):
    kind: str
    title: str
    detail: str
    url: str
    since: datetime
    mine: bool = Field(..., description="True: waiting on my action; False: I wait on someone")
    actions: list[InboxActionOut]


class InboxOut(Schema):
    count: int = Field(..., description="How many items wait on my action")
    items: list[InboxItemOut]
