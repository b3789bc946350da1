"""The notifications API: a browser's push subscription kept and forgotten (own ones only),
the VAPID public key browsers subscribe with, the inbox; and the service worker the PWA
registers."""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from py_vapid import Vapid

from sylva.core.pillars import InboxAction, InboxItem
from sylva.notifications import queries
from sylva.notifications.models import PushSubscription
from sylva.notifications.services import preferences
from sylva.people.models import Person
from tests.factories import Org

pytestmark = pytest.mark.django_db

API = "/api/v1/notifications"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def browser_keys() -> dict[str, str]:
    public = ec.generate_private_key(ec.SECP256R1()).public_key()
    point = public.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"p256dh": b64url(point), "auth": b64url(os.urandom(16))}


def subscription(endpoint: str = "https://fcm.googleapis.com/fcm/send/abc:123") -> dict[str, Any]:
    """What ``JSON.stringify(subscription)`` gives in a browser."""
    return {"endpoint": endpoint, "expirationTime": None, "keys": browser_keys()}


def as_(client: Client, person: Person) -> Client:
    client.force_login(person.user)
    return client


def test_a_browser_subscribes_and_the_row_is_the_persons(org: Org, client: Client) -> None:
    body = subscription()
    response = as_(client, org.learner).post(
        f"{API}/push", body, content_type="application/json", HTTP_USER_AGENT="Firefox/140"
    )
    assert response.status_code == 201, response.content
    assert response.json()["endpoint"] == body["endpoint"]
    kept = PushSubscription.objects.get()
    assert kept.person == org.learner
    assert (kept.p256dh, kept.auth) == (body["keys"]["p256dh"], body["keys"]["auth"])
    assert kept.user_agent == "Firefox/140"

    # the same browser again (new keys): one row, updated
    again = {**body, "keys": browser_keys()}
    assert client.post(f"{API}/push", again, content_type="application/json").status_code == 201
    assert PushSubscription.objects.get().p256dh == again["keys"]["p256dh"]


def test_the_session_needs_the_csrf_token_to_subscribe(org: Org, api_client: Client) -> None:
    api_client.force_login(org.learner.user)
    response = api_client.post(f"{API}/push", subscription(), content_type="application/json")
    assert response.status_code == 403
    assert not PushSubscription.objects.exists()


def test_signed_out_nobody_subscribes(client: Client, db: None) -> None:
    response = client.post(f"{API}/push", subscription(), content_type="application/json")
    assert response.status_code == 401
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"endpoint": "http://push.example.org/abc"}, "endpoint", "https://"),
        ({"endpoint": "not a url"}, "endpoint", "https://"),
        ({"endpoint": "https:///abc"}, "endpoint", "https://"),
        ({"keys": {"p256dh": "short", "auth": b64url(os.urandom(16))}}, "keys.p256dh", "base64url"),
        (
            {"keys": {"p256dh": b64url(b"\x04" * 30), "auth": b64url(os.urandom(16))}},
            "keys.p256dh",
            "length",
        ),
        (
            {"keys": {"p256dh": b64url(b"\x04" + b"\x01" * 64), "auth": b64url(os.urandom(16))}},
            "keys.p256dh",
            "P-256",
        ),
        (
            {"keys": {"p256dh": browser_keys()["p256dh"], "auth": b64url(os.urandom(8))}},
            "keys.auth",
            "length",
        ),
        ({"keys": {"p256dh": browser_keys()["p256dh"], "auth": "@@@@"}}, "keys.auth", "auth"),
    ],
)
def test_a_bad_subscription_is_refused_with_its_reason_and_nothing_is_kept(
    org: Org, client: Client, change: dict[str, Any], field: str, words: str
) -> None:
    body = {**subscription(), **change}
    response = as_(client, org.learner).post(
        f"{API}/push", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.content
    detail = response.json()
    assert words in detail["detail"]
    assert detail["errors"][0]["field"] == field
    assert not PushSubscription.objects.exists()


def test_a_subscription_without_keys_is_a_validation_error(org: Org, client: Client) -> None:
    response = as_(client, org.learner).post(
        f"{API}/push", {"endpoint": "https://push.example.org/x"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert not PushSubscription.objects.exists()


def test_a_person_forgets_only_their_own_subscription(org: Org, client: Client) -> None:
    mine = subscription("https://push.example.org/mine")
    theirs = subscription("https://push.example.org/theirs")
    preferences.subscribe_push(
        org.learner,
        endpoint=mine["endpoint"],
        p256dh=mine["keys"]["p256dh"],
        auth=mine["keys"]["auth"],
    )
    preferences.subscribe_push(
        org.expert,
        endpoint=theirs["endpoint"],
        p256dh=theirs["keys"]["p256dh"],
        auth=theirs["keys"]["auth"],
    )
    as_(client, org.learner)
    refused = client.delete(
        f"{API}/push", {"endpoint": theirs["endpoint"]}, content_type="application/json"
    )
    assert refused.status_code == 404
    assert PushSubscription.objects.filter(person=org.expert).exists()

    done = client.delete(
        f"{API}/push", {"endpoint": mine["endpoint"]}, content_type="application/json"
    )
    assert done.status_code == 204
    assert list(PushSubscription.objects.values_list("person", flat=True)) == [org.expert.pk]


def test_a_person_keeps_at_most_ten_browsers(org: Org) -> None:
    for i in range(preferences.MAX_SUBSCRIPTIONS + 3):
        keys = browser_keys()
        preferences.subscribe_push(
            org.learner,
            endpoint=f"https://push.example.org/{i}",
            p256dh=keys["p256dh"],
            auth=keys["auth"],
        )
    kept = PushSubscription.objects.filter(person=org.learner)
    assert kept.count() == preferences.MAX_SUBSCRIPTIONS
    assert kept.filter(
        endpoint=f"https://push.example.org/{preferences.MAX_SUBSCRIPTIONS + 2}"
    ).exists()
    assert not kept.filter(endpoint="https://push.example.org/0").exists()


def test_the_public_key_is_given_when_push_is_set_up(
    org: Org, client: Client, settings: Any
) -> None:
    as_(client, org.learner)
    missing = client.get(f"{API}/push/key")
    assert missing.status_code == 404
    assert missing.json()["detail"]

    key = Vapid()
    key.generate_keys()
    settings.SYLVA_VAPID_PRIVATE_KEY = key.private_pem().decode()
    response = client.get(f"{API}/push/key")
    assert response.status_code == 200
    point = key.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert response.json() == {"public_key": b64url(point)}


def test_the_inbox_lists_what_waits_on_me_and_counts_it(
    org: Org, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    since = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    items = [
        InboxItem(
            "test.proposed",
            "Karim proposes Extruder setup",
            "Waiting on you",
            "/exchange/exchanges/1/",
            since,
            actions=(
                InboxAction("Accept", "/exchange/exchanges/1/accept/", primary=True),
                InboxAction("Decline", "/exchange/exchanges/1/decline/", fields=(("why", "x"),)),
            ),
        ),
        InboxItem(
            "test.proposed", "Duel with Léa", "Waiting on Léa", "/duels/2/", since, mine=False
        ),
    ]
    monkeypatch.setattr(queries, "inbox_items", lambda person: items)
    monkeypatch.setattr(queries, "inbox_count", lambda person: 1)
    response = as_(client, org.learner).get(f"{API}/inbox")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    first, second = body["items"]
    assert first["title"] == "Karim proposes Extruder setup" and first["mine"] is True
    assert first["actions"][0] == {
        "label": "Accept",
        "url": "/exchange/exchanges/1/accept/",
        "method": "post",
        "fields": {},
        "primary": True,
    }
    assert first["actions"][1]["fields"] == {"why": "x"}
    assert second["mine"] is False and second["actions"] == []


def test_an_empty_inbox(org: Org, client: Client) -> None:
    body = as_(client, org.newcomer).get(f"{API}/inbox").json()
    assert body["count"] == len([i for i in body["items"] if i["mine"]])


def test_the_service_worker_is_served_for_the_whole_site(client: Client, db: None) -> None:
    response = client.get("/inbox/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    assert 'addEventListener("push"' in script
    assert "showNotification" in script
    assert 'addEventListener("notificationclick"' in script
    assert "openWindow" in script
