"""Web push, proved against a local push service: an HTTP server on 127.0.0.1 plays the
browser vendor's endpoint. The test holds the browser's side — its P-256 key pair and auth
secret — so it checks the VAPID signature (RFC 8292) and decrypts the payload (RFC 8291,
aes128gcm) as a browser would. A real browser cannot be used offline: Chromium's push goes
through Google's service, which a sandbox cannot reach."""

from __future__ import annotations

import base64
import json
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.utils import timezone
from py_vapid import Vapid

from sylva.notifications import channels
from sylva.notifications.models import Delivery, Notification, Preference, PushSubscription
from sylva.notifications.services import notify, sending
from sylva.people.models import Person
from tests.factories import Org
from tests.notifications.servers import HTTPServer

pytestmark = pytest.mark.django_db


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def point(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


class Browser:
    """The browser's half of a subscription: what ``PushManager.subscribe`` keeps."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    def subscribe(self, person: Person) -> PushSubscription:
        # subscribe_push requires https: the test's own endpoint is plain http, so the row
        # is written here as the service would write it
        return PushSubscription.objects.create(
            person=person,
            endpoint=self.endpoint,
            p256dh=b64url(point(self.key.public_key())),
            auth=b64url(self.auth),
        )

    def decrypt(self, body: bytes) -> dict[str, Any]:
        # aes128gcm carries the sender's ephemeral key in its header (keyid): a P-256 point,
        # which http_ece takes as the ``dh`` of the key agreement when none is passed
        id_length = body[20]
        sender = body[21 : 21 + id_length]
        assert len(sender) == 65 and sender[0] == 4
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender)
        plain = http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)  # type: ignore[no-any-return]


def verify_vapid(authorization: str, endpoint: str, public_key: str) -> dict[str, Any]:
    """The push service's check of ``Authorization: vapid t=<JWT>, k=<public key>``: an
    ES256 JWT signed by ``k``, for the endpoint's origin, not expired."""
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == public_key
    header, claims, signature = fields["t"].split(".")
    assert json.loads(unb64url(header)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64url(signature)
    assert len(raw) == 64
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(fields["k"]))
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    decoded: dict[str, Any] = json.loads(unb64url(claims))
    origin = urlparse(endpoint)
    assert decoded["aud"] == f"{origin.scheme}://{origin.netloc}"
    assert time.time() < decoded["exp"] <= time.time() + 24 * 3600
    return decoded


def push_to(person: Person, kind: str = "test.proposed", key: str = "k:1") -> Notification:
    Preference.objects.update_or_create(person=person, defaults={"channels": {kind: ["push"]}})
    notification = notify(
        person,
        kind,
        key=key,
        subject="Push test: %(who)s proposes %(skill)s",
        lines=("Push test when: %(when)s", "Push test how: by video"),
        params={"who": "Karim Benali", "skill": "Extruder setup", "when": "Monday 10:30"},
        url="/exchange/exchanges/7/",
        action="Push test: answer",
    )
    assert notification is not None
    return notification


def test_a_push_reaches_the_browser_signed_and_encrypted(
    org: Org, http: HTTPServer, vapid: Vapid
) -> None:
    browser = Browser(http.url("/push/device-1"))
    subscription = browser.subscribe(org.learner)
    notification = push_to(org.learner)
    delivery = notification.deliveries.get()
    assert delivery.channel == "push"

    assert sending.send_due() == 1

    (request,) = http.capture.of("/push/device-1")
    public_key = b64url(point(vapid.public_key))
    assert channels.vapid_public_key() == public_key  # derived from the private key
    claims = verify_vapid(request.headers["authorization"], browser.endpoint, public_key)
    assert claims["sub"] == "mailto:ops@example.org"
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["ttl"] == str(channels.PUSH_TTL)
    assert request.headers["urgency"] == "normal"
    payload = browser.decrypt(request.body)
    assert payload == {
        "title": "Push test: Karim Benali proposes Extruder setup",
        "body": "Push test when: Monday 10:30 · Push test how: by video",
        "url": "https://sylva.example.org/exchange/exchanges/7/",
        "action": "Push test: answer",
        "tag": "k:1",
    }
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    subscription.refresh_from_db()
    assert subscription.last_sent_at is not None


def test_an_urgent_kind_is_pushed_with_high_urgency(
    org: Org, http: HTTPServer, vapid: Vapid
) -> None:
    Browser(http.url("/push/urgent")).subscribe(org.learner)
    push_to(org.learner, kind="test.scheduled")
    sending.send_due()
    assert http.capture.of("/push/urgent")[0].headers["urgency"] == "high"


def test_every_browser_of_the_person_gets_it(org: Org, http: HTTPServer, vapid: Vapid) -> None:
    phone, laptop = Browser(http.url("/push/phone")), Browser(http.url("/push/laptop"))
    phone.subscribe(org.learner)
    laptop.subscribe(org.learner)
    push_to(org.learner)
    sending.send_due()
    assert phone.decrypt(http.capture.of("/push/phone")[0].body)["tag"] == "k:1"
    assert laptop.decrypt(http.capture.of("/push/laptop")[0].body)["tag"] == "k:1"


def test_an_expired_subscription_410_is_removed_and_the_delivery_fails_clearly(
    org: Org, http: HTTPServer, vapid: Vapid
) -> None:
    Browser(http.url("/push/gone")).subscribe(org.learner)
    http.capture.status["/push/gone"] = 410
    delivery = push_to(org.learner).deliveries.get()

    assert sending.send_due() == 0
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.attempts == 1
    assert delivery.error == (
        "the browser's subscription at 127.0.0.1 has expired (410): it was removed"
    )
    assert not PushSubscription.objects.filter(person=org.learner).exists()
    assert len(http.capture.of("/push/gone")) == 1


def test_one_gone_browser_among_two_is_removed_and_the_other_gets_it(
    org: Org, http: HTTPServer, vapid: Vapid
) -> None:
    Browser(http.url("/push/old")).subscribe(org.learner)
    Browser(http.url("/push/new")).subscribe(org.learner)
    http.capture.status["/push/old"] = 404
    delivery = push_to(org.learner).deliveries.get()
    assert sending.send_due() == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        http.url("/push/new")
    ]


def test_a_push_service_error_500_is_retried(org: Org, http: HTTPServer, vapid: Vapid) -> None:
    browser = Browser(http.url("/push/busy"))
    browser.subscribe(org.learner)
    http.capture.status["/push/busy"] = 500
    delivery = push_to(org.learner).deliveries.get()

    assert sending.send_due() == 0
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.QUEUED
    assert "answered 500" in delivery.error
    assert delivery.due_at > timezone.now()
    assert PushSubscription.objects.filter(person=org.learner).exists()

    http.capture.status.pop("/push/busy")
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now())
    assert sending.send_due() == 1
    assert browser.decrypt(http.capture.of("/push/busy")[-1].body)["tag"] == "k:1"


def test_a_push_service_that_hangs_is_retried(
    org: Org, http: HTTPServer, vapid: Vapid, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(channels, "HTTP_TIMEOUT", 0.5)
    Browser(http.url("/push/slow")).subscribe(org.learner)
    http.capture.delay["/push/slow"] = 5
    delivery = push_to(org.learner).deliveries.get()
    sending.send_due()
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.QUEUED
    assert "did not answer" in delivery.error


@pytest.mark.parametrize("form", ["pem-file", "raw", "der"])
def test_the_key_is_read_as_vapid_gen_writes_it_or_in_base64url(
    org: Org, http: HTTPServer, settings: Any, tmp_path: Path, form: str
) -> None:
    key = Vapid()
    key.generate_keys()
    if form == "pem-file":  # what `vapid --gen` writes: private_key.pem
        key.save_key(str(tmp_path / "private_key.pem"))
        settings.SYLVA_VAPID_PRIVATE_KEY_FILE = str(tmp_path / "private_key.pem")
    elif form == "raw":
        settings.SYLVA_VAPID_PRIVATE_KEY = b64url(
            key.private_key.private_numbers().private_value.to_bytes(32, "big")
        )
    else:
        settings.SYLVA_VAPID_PRIVATE_KEY = b64url(
            key.private_key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    assert channels.push_configured()
    public_key = b64url(point(key.public_key))
    assert channels.vapid_public_key() == public_key
    browser = Browser(http.url("/push/any"))
    browser.subscribe(org.learner)
    push_to(org.learner)
    assert sending.send_due() == 1
    (request,) = http.capture.of("/push/any")
    verify_vapid(request.headers["authorization"], browser.endpoint, public_key)
    assert browser.decrypt(request.body)["url"].endswith("/exchange/exchanges/7/")


def test_a_public_key_given_in_the_settings_is_the_one_browsers_get(
    settings: Any, vapid: Vapid
) -> None:
    settings.SYLVA_VAPID_PUBLIC_KEY = "BGiven"
    assert channels.vapid_public_key() == "BGiven"
    settings.SYLVA_VAPID_PRIVATE_KEY = ""
    assert channels.vapid_public_key() == ""
    assert not channels.push_configured()


def test_a_key_that_is_not_a_p256_private_key_fails_the_delivery_clearly(
    org: Org, http: HTTPServer, settings: Any
) -> None:
    settings.SYLVA_VAPID_PRIVATE_KEY = "not-a-key"
    Browser(http.url("/push/x")).subscribe(org.learner)
    delivery = push_to(org.learner).deliveries.get()
    sending.send_due()
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.error.startswith("web push: not a private key")
    assert http.capture.requests == []


def test_without_a_vapid_key_or_a_subscription_push_is_not_planned(
    org: Org, http: HTTPServer
) -> None:
    Browser(http.url("/push/x")).subscribe(org.learner)
    notification = push_to(org.learner)  # no VAPID key: push does not reach anyone
    assert not notification.deliveries.exists()


def test_a_field_worker_with_a_phone_gets_push_by_default(
    org: Org, http: HTTPServer, vapid: Vapid
) -> None:
    org.learner.populations.add(org.field)
    browser = Browser(http.url("/push/field"))
    browser.subscribe(org.learner)
    notification = notify(
        org.learner, "test.proposed", key="field:1", subject="Push test: hello", url="/inbox/"
    )
    assert notification is not None
    assert [d.channel for d in notification.deliveries.all()] == ["push"]
    sending.send_due()
    assert browser.decrypt(http.capture.of("/push/field")[0].body)["title"] == "Push test: hello"
