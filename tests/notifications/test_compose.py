"""Composing: once per key, in the recipient's language and zone, the deliveries their
preferences call for — held for the digest unless urgent, due after their quiet hours —
for one person, many at once, or a team's chat channels."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from sylva.notifications.models import Delivery, Hook, Notification, Preference
from sylva.notifications.services import notify, notify_many, notify_team, save_hook
from sylva.notifications.services.compose import render
from sylva.people.models import Person
from tests.factories import Org

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).parent / "locale"


@pytest.fixture(autouse=True)
def _test_catalogue(settings: Any) -> None:
    settings.LOCALE_PATHS = [LOCALE, *settings.LOCALE_PATHS]


def reachable(person: Person, address: str) -> Person:
    person.user.email = address
    person.user.save(update_fields=["email"])
    return person


def test_a_date_is_shown_in_the_persons_zone_and_language() -> None:
    when = datetime(2026, 7, 14, 8, 30, tzinfo=UTC)
    subject, body, action = render(
        "fr",
        zoneinfo.ZoneInfo("America/Montreal"),
        subject="test: %(who)s proposes to learn %(skill)s with you",
        lines=("test: When: %(when)s",),
        params={"who": "Karim", "skill": "Excel", "when": when},
        action="test: Accept or decline",
    )
    assert subject == "test : Karim vous propose d'apprendre Excel ensemble"
    assert body == "test : Quand : 14 juillet 2026 04:30"
    assert action == "test : Accepter ou refuser"


def test_an_unknown_kind_is_a_programming_error(org: Org) -> None:
    with pytest.raises(ValueError, match="not a notice kind"):
        notify(org.learner, "exchange.nothing", key="k", subject="x", url="/")


def test_quiet_hours_make_the_delivery_wait_for_their_end(org: Org) -> None:
    person = reachable(org.learner, "helene@example.org")
    Preference.objects.create(
        person=person, time_zone="Europe/Paris", quiet_from=time(0, 0), quiet_until=time(23, 59)
    )
    notification = notify(person, "test.proposed", key="q", subject="x", url="/")
    assert notification is not None
    delivery = notification.deliveries.get()
    assert delivery.state == Delivery.State.QUEUED
    assert delivery.due_at > timezone.now()
    local = delivery.due_at.astimezone(zoneinfo.ZoneInfo("Europe/Paris"))
    assert (local.hour, local.minute) == (23, 59)


def test_a_digest_holds_all_but_urgent_kinds(org: Org) -> None:
    person = reachable(org.learner, "helene@example.org")
    Preference.objects.create(person=person, digest=Preference.Digest.DAILY)
    held = notify(person, "test.proposed", key="a", subject="x", url="/")
    urgent = notify(person, "test.scheduled", key="b", subject="y", url="/")
    assert held is not None and urgent is not None
    assert held.deliveries.get().state == Delivery.State.HELD
    assert urgent.deliveries.get().state == Delivery.State.QUEUED


def test_a_person_who_chose_no_channel_for_a_kind_gets_it_in_the_log_only(org: Org) -> None:
    person = reachable(org.learner, "helene@example.org")
    Preference.objects.create(person=person, channels={"test.proposed": []})
    notification = notify(person, "test.proposed", key="a", subject="x", url="/")
    assert notification is not None
    assert not notification.deliveries.exists()


def test_a_rolled_back_service_composed_nothing(org: Org) -> None:
    person = reachable(org.learner, "helene@example.org")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(person, "test.proposed", key="a", subject="x", url="/")
        raise RuntimeError("the service refused after notifying")
    assert not Notification.objects.exists()


def test_notify_many_composes_once_per_person_in_each_language(org: Org) -> None:
    people = [reachable(org.learner, "h@example.org"), reachable(org.expert, "k@example.org")]
    org.expert.language = "en"
    org.expert.save(update_fields=["language"])
    org.learner.language = "fr"
    org.learner.save(update_fields=["language"])
    queryset = Person.objects.filter(pk__in=[p.pk for p in people]).select_related("user")

    def params(person: Person) -> dict[str, object]:
        return {"who": "Sylva", "skill": person.first_name, "when": "", "mode": ""}

    kwargs: dict[str, Any] = {
        "key": "nudge:2026-07-14",
        "subject": "test: %(who)s proposes to learn %(skill)s with you",
        "url": "/learn/",
        "params_of": params,
    }
    assert notify_many(queryset, "test.proposed", **kwargs) == 2
    assert notify_many(queryset, "test.proposed", **kwargs) == 0  # the same key: nobody twice
    subjects = dict(Notification.objects.values_list("person__user__username", "subject"))
    assert subjects == {
        "learner": "test : Sylva vous propose d'apprendre Hélène ensemble",
        "expert": "test: Sylva proposes to learn Karim with you",
    }
    assert Delivery.objects.filter(channel="email", state=Delivery.State.QUEUED).count() == 2


def test_notify_team_posts_in_the_organisations_language(org: Org, settings: Any) -> None:
    settings.LANGUAGE_CODE = "fr"
    save_hook(
        Hook(
            name="Extrusion",
            service="slack",
            url="https://hooks.slack.com/services/T0/B0/x",
            team=org.extrusion,
            kinds=["test.proposed"],
        )
    )
    assert (
        notify_team(
            org.extrusion,
            "test.proposed",
            key="t",
            subject="test: %(who)s proposes to learn %(skill)s with you",
            params={"who": "Karim", "skill": "Excel"},
            url="/",
        )
        == 1
    )
    notification = Notification.objects.get(hook__team=org.extrusion)
    assert notification.subject == "test : Karim vous propose d'apprendre Excel ensemble"
    assert notification.deliveries.get().channel == "slack"
    assert notify_team(org.printing, "test.proposed", key="t", subject="x", url="/") == 0
    assert notify_team(None, "test.proposed", key="t", subject="x", url="/") == 0


def test_a_long_key_is_cut_to_the_column_and_still_once(org: Org) -> None:
    person = reachable(org.learner, "helene@example.org")
    key = "k" * 500
    assert notify(person, "test.proposed", key=key, subject="x", url="/") is not None
    assert notify(person, "test.proposed", key=key, subject="x", url="/") is None
    people = Person.objects.filter(pk=person.pk).select_related("user")
    assert notify_many(people, "test.proposed", key=key, subject="x", url="/") == 0
    assert notify_many(people, "test.proposed", key="m" * 500, subject="x", url="/") == 1
    assert Notification.objects.count() == 2
    assert {len(n.key) for n in Notification.objects.all()} == {200}


def test_the_deliveries_are_due_now_outside_quiet_hours(org: Org) -> None:
    person = reachable(org.learner, "helene@example.org")
    before = timezone.now()
    notification = notify(person, "test.proposed", key="now", subject="x", url="/")
    assert notification is not None
    delivery = notification.deliveries.get()
    assert before <= delivery.due_at <= timezone.now() + timedelta(seconds=1)
