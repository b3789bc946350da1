"""The preferences page: a GET shows the defaults without writing; a POST goes through
``services.set_preferences``; every refusal (a bad time zone, half quiet hours, a kind or a
channel that is not offered) is a form error with nothing changed."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.test import Client

from sylva.notifications import queries, services
from sylva.notifications.models import Preference, PushSubscription
from tests.factories import Org

URL = "/inbox/preferences/"


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channels": [f"{kind}|email" for kind in queries.notice_kinds()],
        "time_zone": "Europe/Paris",
        "quiet_from": "",
        "quiet_until": "",
        "digest": "none",
        "digest_at": "08:00",
        "nudge_at": "08:30",
    }
    data.update(changes)
    return data


def _snapshot(org: Org) -> list[dict[str, Any]]:
    return list(Preference.objects.filter(person=org.learner).values())


def test_the_page_shows_the_defaults_and_writes_nothing(org: Org, login) -> None:  # type: ignore[no-untyped-def]
    client = login(org.learner)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert not Preference.objects.exists()
    assert "Someone proposes something" in page  # a kind's row
    assert 'value="test.proposed|email" id="id_ch_' in page
    box = page.split('value="test.proposed|email"')[1].split(">")[0]
    assert "checked" in box  # email: the office default
    assert (
        "test.proposed|push" in page
        and "checked" not in page.split('value="test.proposed|push"')[1].split(">")[0]
    )
    assert "Default:" in page
    assert "no phone or browser subscribed" in page
    assert '<option value="Europe/Paris" selected>' in page
    assert 'value="America/New_York"' in page


def test_saving_sets_channels_hours_zone_digest_and_reminder(org: Org, login) -> None:  # type: ignore[no-untyped-def]
    client = login(org.learner)
    response = client.post(
        URL,
        _form(
            channels=[f"{k}|email" for k in queries.notice_kinds() if k != "test.proposed"],
            time_zone="America/Montreal",
            quiet_from="21:00",
            quiet_until="07:30",
            digest="daily",
            digest_at="18:15",
            nudge_at="",
        ),
    )
    assert response.status_code == 302 and response["Location"] == URL
    preference = Preference.objects.get(person=org.learner)
    assert preference.channels == {"test.proposed": []}  # the others stay on their default
    assert preference.time_zone == "America/Montreal"
    assert (preference.quiet_from, preference.quiet_until) == (time(21), time(7, 30))
    assert preference.digest == "daily" and preference.digest_at == time(18, 15)
    assert preference.nudge_at is None
    page = client.get(URL).content.decode()
    box = page.split('value="test.proposed|email"')[1].split(">")[0]
    assert "checked" not in box
    assert 'value="21:00"' in page


def test_a_kind_chosen_once_keeps_its_choice(org: Org, login) -> None:  # type: ignore[no-untyped-def]
    services.set_preferences(org.learner, channels={"test.proposed": ["push"]})
    client = login(org.learner)
    ticked = [f"{k}|email" for k in queries.notice_kinds() if k != "test.scheduled"]
    client.post(URL, _form(channels=[*ticked, "test.proposed|push"]))
    channels = Preference.objects.get(person=org.learner).channels
    assert channels["test.proposed"] == ["email", "push"]
    assert channels["test.scheduled"] == []  # unticked while its default is email: written
    assert "notifications.digest" not in channels  # left as its default: follows it


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "Select a valid choice"),
        ({"quiet_from": "22:00"}, "Quiet hours need a start and an end"),
        ({"quiet_until": "06:00"}, "Quiet hours need a start and an end"),
        ({"channels": ["nope.kind|email"]}, "Select a valid choice"),
        ({"channels": ["test.proposed|sms"]}, "Select a valid choice"),
        ({"channels": ["test.proposed|email|push"]}, "Select a valid choice"),
        ({"digest": "hourly"}, "Select a valid choice"),
        ({"digest_at": "25:00"}, "Enter a valid time"),
        ({"nudge_at": "soon"}, "Enter a valid time"),
    ],
)
def test_a_refused_form_changes_nothing(
    org: Org, login, changes: dict[str, Any], message: str
) -> None:  # type: ignore[no-untyped-def]
    services.set_preferences(org.learner, time_zone="Europe/Paris", digest="weekly")
    before = _snapshot(org)
    client = login(org.learner)
    response = client.post(URL, _form(**changes), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _snapshot(org) == before


def test_a_service_refusal_lands_on_the_form(
    org: Org, login, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from sylva.core.errors import ServiceError

    def refuse(person: Any, **kwargs: Any) -> None:
        raise ServiceError("Not now, the preferences are being moved.")

    monkeypatch.setattr(services, "set_preferences", refuse)
    response = login(org.learner).post(URL, _form())
    assert response.status_code == 200
    assert "Not now, the preferences are being moved." in response.content.decode()
    assert not Preference.objects.exists()


def test_the_push_column_is_explained_once_subscribed(org: Org, login) -> None:  # type: ignore[no-untyped-def]
    PushSubscription.objects.create(
        person=org.learner, endpoint="https://push.example/1", p256dh="x", auth="y"
    )
    page = login(org.learner).get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "no phone or browser subscribed" not in page


def test_preferences_are_one_s_own(org: Org) -> None:
    client = Client()
    client.force_login(org.expert.user)
    client.post(URL, _form(digest="daily", person=org.learner.pk))
    assert not Preference.objects.filter(person=org.learner).exists()
    assert Preference.objects.get(person=org.expert).digest == "daily"
