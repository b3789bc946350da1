"""Slack and Microsoft Teams (Workflows) incoming webhooks, posted to a local HTTP server:
the JSON each tool renders, what a webhook's refusal does (permanent for a deleted one,
retried for an error or a timeout, written on the channel for the administrator), and the
URLs an administrator may not save."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone

from sylva.core.errors import ServiceError
from sylva.notifications import channels
from sylva.notifications.models import Delivery, Hook, Notification
from sylva.notifications.services import notify_team, save_hook, sending
from sylva.notifications.services.hooks import check_hook
from tests.factories import Org
from tests.notifications.servers import HTTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _plain_http(settings: Any) -> None:
    settings.SYLVA_WEBHOOK_ALLOW_HTTP = True


def hook(http: HTTPServer, service: str, path: str, team: Any = None) -> Hook:
    return save_hook(
        Hook(
            name=f"{service} {path}",
            service=service,
            url=http.url(path),
            team=team,
            kinds=["test.proposed"],
        )
    )


def post(team: Any = None, key: str = "fair:1:open") -> int:
    return notify_team(
        team,
        "test.proposed",
        key=key,
        subject="Hook test: the fair <Extrusion> & co is open",
        lines=("Hook test until: %(until)s", "Hook test: ten people wait"),
        params={"until": "12:00"},
        url="/exchange/fairs/3/",
        action="Hook test: join",
    )


LINK = "https://sylva.example.org/exchange/fairs/3/"


def test_slack_gets_a_text_and_blocks_with_the_button(org: Org, http: HTTPServer) -> None:
    hook(http, "slack", "/slack", team=org.extrusion)
    assert post(org.extrusion) == 1
    assert sending.send_due() == 1

    (request,) = http.capture.of("/slack")
    assert request.headers["content-type"] == "application/json"
    body = json.loads(request.body)
    # Slack's mrkdwn escapes its three control characters
    subject = "Hook test: the fair &lt;Extrusion&gt; &amp; co is open"
    assert body["text"] == f"{subject} <{LINK}>"
    section, actions = body["blocks"]
    assert section["type"] == "section"
    assert section["text"] == {
        "type": "mrkdwn",
        "text": f"*{subject}*\nHook test until: 12:00\nHook test: ten people wait",
    }
    assert actions["type"] == "actions"
    (button,) = actions["elements"]
    assert button["type"] == "button"
    assert button["text"] == {"type": "plain_text", "text": "Hook test: join"}
    assert button["url"] == LINK


def test_teams_gets_an_adaptive_card_with_an_open_url_action(org: Org, http: HTTPServer) -> None:
    hook(http, "teams", "/teams")
    assert post(None) == 1
    assert sending.send_due() == 1

    body = json.loads(http.capture.of("/teams")[0].body)
    assert body["type"] == "message"
    (attachment,) = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["version"] == "1.4"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    texts = [block["text"] for block in card["body"]]
    assert texts == [
        "Hook test: the fair <Extrusion> & co is open",
        "Hook test until: 12:00",
        "Hook test: ten people wait",
    ]
    assert all(block["type"] == "TextBlock" and block["wrap"] for block in card["body"])
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Hook test: join", "url": LINK}]


def test_only_the_teams_channels_that_take_the_kind_get_it_once(org: Org, http: HTTPServer) -> None:
    hook(http, "slack", "/extrusion", team=org.extrusion)
    hook(http, "slack", "/printing", team=org.printing)
    hook(http, "slack", "/organisation")
    other = save_hook(
        Hook(name="other", service="slack", url=http.url("/other"), team=org.extrusion, kinds=[])
    )
    assert post(org.extrusion) == 1
    assert post(org.extrusion) == 0  # the same key: not composed again
    sending.send_due()
    assert [r.path for r in http.capture.requests] == ["/extrusion"]
    assert not Notification.objects.filter(hook=other).exists()


@pytest.mark.parametrize("status", [404, 410])
def test_a_deleted_webhook_fails_at_once_and_the_channel_says_why(
    org: Org, http: HTTPServer, status: int
) -> None:
    channel = hook(http, "teams", "/gone")
    http.capture.status["/gone"] = status
    post()
    assert sending.send_due() == 0

    delivery = Delivery.objects.get(notification__hook=channel)
    assert delivery.state == Delivery.State.FAILED
    assert delivery.attempts == 1
    assert delivery.error.startswith(
        f"the webhook answered {status} (the webhook was deleted or its URL is wrong)"
    )
    channel.refresh_from_db()
    assert channel.last_error == delivery.error
    assert channel.last_error_at is not None


def test_a_webhook_error_500_is_retried_and_a_success_clears_the_channels_error(
    org: Org, http: HTTPServer
) -> None:
    channel = hook(http, "slack", "/busy")
    http.capture.status["/busy"] = 500
    post()
    assert sending.send_due() == 0
    delivery = Delivery.objects.get(notification__hook=channel)
    assert delivery.state == Delivery.State.QUEUED
    assert "answered 500" in delivery.error
    channel.refresh_from_db()
    assert "answered 500" in channel.last_error

    http.capture.status.pop("/busy")
    Delivery.objects.filter(pk=delivery.pk).update(due_at=timezone.now())
    assert sending.send_due() == 1
    channel.refresh_from_db()
    assert channel.last_error == ""
    assert len(http.capture.of("/busy")) == 2


def test_a_webhook_that_does_not_answer_in_time_is_retried(
    org: Org, http: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(channels, "HTTP_TIMEOUT", 0.5)
    channel = hook(http, "teams", "/slow")
    http.capture.delay["/slow"] = 5
    post()
    assert sending.send_due() == 0
    delivery = Delivery.objects.get(notification__hook=channel)
    assert delivery.state == Delivery.State.QUEUED
    assert "did not answer within 0.5 s" in delivery.error
    channel.refresh_from_db()
    assert "did not answer" in channel.last_error


def test_a_webhook_nobody_listens_on_is_retried(org: Org, settings: Any) -> None:
    from tests.notifications.servers import free_port

    channel = save_hook(
        Hook(
            name="down",
            service="slack",
            url=f"http://127.0.0.1:{free_port()}/hook",
            kinds=["test.proposed"],
        )
    )
    post()
    sending.send_due()
    delivery = Delivery.objects.get(notification__hook=channel)
    assert delivery.state == Delivery.State.QUEUED
    assert "could not be reached" in delivery.error


@pytest.mark.parametrize(
    ("url", "allow_http"),
    [
        ("ftp://x", True),
        ("not a url", True),
        ("https://", True),
        ("https:///services/T000/B000", True),
        ("https://hooks.slack.com/services/with space", True),
        ("http://hooks.example.org/services/T000", False),
        ("", True),
        ("javascript:alert(1)", True),
    ],
)
def test_a_malformed_webhook_url_is_refused_and_nothing_is_saved(
    settings: Any, url: str, allow_http: bool, db: None
) -> None:
    settings.SYLVA_WEBHOOK_ALLOW_HTTP = allow_http
    with pytest.raises(ServiceError) as refused:
        save_hook(Hook(name="bad", service="slack", url=url, kinds=["test.proposed"]))
    assert "https://" in refused.value.message
    assert not Hook.objects.exists()


def test_an_unknown_service_or_kind_is_refused(db: None) -> None:
    url = "https://hooks.slack.com/services/T000/B000/XXXX"
    with pytest.raises(ServiceError):
        check_hook(Hook(name="x", service="discord", url=url, kinds=[]))
    with pytest.raises(ServiceError) as refused:
        save_hook(Hook(name="x", service="slack", url=url, kinds=["no.such.kind"]))
    assert "no.such.kind" in refused.value.message
    assert not Hook.objects.exists()


def test_a_good_url_is_kept_trimmed(db: None) -> None:
    saved = save_hook(
        Hook(
            name="x",
            service="teams",
            url="  https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual  ",
            kinds=["test.proposed"],
        )
    )
    assert saved.url == "https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual"


def test_a_webhook_url_longer_than_the_column_is_refused(db: None) -> None:
    url = "https://hooks.slack.com/services/" + "x" * 1000
    with pytest.raises(ServiceError):
        save_hook(Hook(name="x", service="slack", url=url, kinds=["test.proposed"]))
    assert not Hook.objects.exists()
