"""push.js and the service worker in Chromium, against the live Sylva of the browser tests.

What a browser cannot do offline is reach a push service: Chromium subscribes through
Google's servers, so ``pushManager.subscribe`` fails here and its failure is what the
person is told. The rest is real: the worker registers from /inbox/sw.js with the scope of
the whole site, and a push delivered to it through the DevTools protocol (what DevTools'
"Push" button does) is shown as a notification whose click opens the page it names. The
server side of a push (VAPID, encryption) is proved in test_push.py with a local push
service."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.browser.conftest import DESKTOP, new_page, sign_in

pytestmark = pytest.mark.browser

PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"></head>
<body><button id="push-toggle" type="button">…</button>
<script src="/static/notifications/push.js" defer></script></body></html>"""


NOTIFICATIONS = """navigator.serviceWorker.getRegistration('/')
  .then(r => r.getNotifications())
  .then(list => list.map(n => [n.title, n.body, n.data.url, n.tag]))"""


def public_key() -> str:
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


def page_with_button(browser: Any, live_sylva: str, lang: str, key: str | None) -> Any:
    page = new_page(browser, live_sylva, DESKTOP)
    sign_in(page, "field")
    page.context.grant_permissions(["notifications"], origin=live_sylva)
    page.route(
        "**/push-check/",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body=PAGE.format(lang=lang)
        ),
    )
    if key is not None:
        page.route(
            "**/api/v1/notifications/push/key",
            lambda route: route.fulfill(
                status=200, content_type="application/json", body=json.dumps({"public_key": key})
            ),
        )
    page.goto("/push-check/")
    page.wait_for_function("document.getElementById('push-toggle').textContent !== '…'")
    return page


def test_without_push_set_up_the_button_says_so(browser: Any, live_sylva: str) -> None:
    page = page_with_button(browser, live_sylva, "fr", key=None)
    button = page.locator("#push-toggle")
    assert button.text_content() == "Activer les notifications sur cet appareil"
    button.click()
    status = page.locator("#push-status")
    status.wait_for()
    page.wait_for_function("document.getElementById('push-status').textContent !== 'Un instant…'")
    assert "pas encore configurées" in (status.text_content() or "")
    assert status.get_attribute("role") == "status"
    page.context.close()


def test_the_worker_takes_the_whole_site_and_shows_a_push(browser: Any, live_sylva: str) -> None:
    page = page_with_button(browser, live_sylva, "en", key=public_key())
    page.locator("#push-toggle").click()
    page.wait_for_function(
        "!['One moment…', ''].includes(document.getElementById('push-status').textContent)"
    )
    # offline, Chromium's push service cannot be reached: the person is told it failed
    status = page.locator("#push-status").text_content() or ""
    assert status.startswith("The notifications could not be turned on"), status
    assert page.locator("#push-toggle").is_enabled()

    scope = page.evaluate("navigator.serviceWorker.getRegistration('/').then(r => r && r.scope)")
    assert scope == live_sylva + "/"
    script = page.evaluate(
        "navigator.serviceWorker.getRegistration('/').then(r => r.active.scriptURL)"
    )
    assert script == live_sylva + "/inbox/sw.js"

    # a push, delivered to the worker as DevTools' "Push" button does
    session = page.context.new_cdp_session(page)
    session.send("ServiceWorker.enable")
    registrations: list[dict[str, Any]] = []
    session.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    page.wait_for_timeout(300)
    registration = next(r for r in registrations if r["scopeURL"] == live_sylva + "/")
    payload = {
        "title": "Karim proposes Extruder setup",
        "body": "When: Monday 10:30",
        "url": live_sylva + "/inbox/",
        "action": "Accept or decline",
        "tag": "exchange:1",
    }
    session.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_sylva,
            "registrationId": registration["registrationId"],
            "data": json.dumps(payload),
        },
    )
    shown = None
    for _ in range(50):
        shown = page.evaluate(NOTIFICATIONS)
        if shown:
            break
        page.wait_for_timeout(100)
    assert shown == [[payload["title"], payload["body"], payload["url"], payload["tag"]]]
    page.context.close()
