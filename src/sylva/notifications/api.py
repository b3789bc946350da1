"""Notifications under /api/v1/notifications/: the signed-in person's browser push
subscriptions (what the PWA's "Turn on notifications on this device" sends), the VAPID
public key browsers subscribe with, and the inbox of what waits on them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from sylva.core.errors import NotFound
from sylva.core.pillars import InboxItem
from sylva.notifications import channels, queries
from sylva.notifications.schemas import (
    EndpointIn,
    InboxOut,
    PushKeyOut,
    PushSubscriptionIn,
    PushSubscriptionOut,
)
from sylva.notifications.services import subscribe_push, unsubscribe_push
from sylva.people.web import current_person

router = Router(tags=["notifications"])


@router.get(
    "/push/key",
    response=PushKeyOut,
    summary="The VAPID public key to subscribe with (404 when web push is not set up)",
)
def push_key(request: HttpRequest) -> Any:
    key = channels.vapid_public_key() if channels.push_configured() else ""
    if not key:
        raise NotFound(_("Notifications on devices are not set up on this Sylva."))
    return {"public_key": key}


@router.post(
    "/push",
    response={201: PushSubscriptionOut},
    summary="Keep this browser's push subscription (PushSubscription.toJSON())",
)
def subscribe(request: HttpRequest, payload: PushSubscriptionIn) -> Any:
    subscription = subscribe_push(
        current_person(request),
        endpoint=payload.endpoint,
        p256dh=payload.keys.p256dh,
        auth=payload.keys.auth,
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201, subscription)


@router.delete(
    "/push",
    response={204: None},
    summary="Forget one of my browsers' push subscriptions",
)
def unsubscribe(request: HttpRequest, payload: EndpointIn) -> Any:
    if not unsubscribe_push(current_person(request), payload.endpoint):
        raise NotFound(_("No push subscription of yours has this endpoint."), field="endpoint")
    return Status(204, None)


def _item(item: InboxItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "title": str(item.title),
        "detail": str(item.detail),
        "url": item.url,
        "since": item.since,
        "mine": item.mine,
        "actions": [
            {
                "label": str(action.label),
                "url": action.url,
                "method": action.method,
                "fields": dict(action.fields),
                "primary": action.primary,
            }
            for action in item.actions
        ],
    }


@router.get("/inbox", response=InboxOut, summary="What waits on me (mine first), and how many")
def inbox(request: HttpRequest) -> Any:
    person = current_person(request)
    return {
        "count": queries.inbox_count(person),
        "items": [_item(item) for item in queries.inbox_items(person)],
    }
