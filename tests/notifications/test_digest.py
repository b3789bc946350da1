"""The digest: held messages gathered into one notification after the person's digest
time, in their time zone, daily or on Mondays; the held deliveries closed with it; once a
day whatever the number of runs."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time

import pytest
from django.core import mail

from sylva.notifications.models import Delivery, Notification, Preference
from sylva.notifications.services import notify, send_digests, sending, set_preferences
from sylva.notifications.services.digests import send_digests_task
from sylva.notifications.tasks import send_digests as listed_task
from tests.factories import Org

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# Tuesday 2 December 2025 / Monday 1 December 2025
TUESDAY_MORNING = datetime(2025, 12, 2, 7, 30, tzinfo=PARIS)
TUESDAY_AFTER = datetime(2025, 12, 2, 8, 5, tzinfo=PARIS)
MONDAY_AFTER = datetime(2025, 12, 1, 8, 5, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _learner_has_an_address(org: Org) -> None:
    org.learner.user.email = "helene@example.org"
    org.learner.user.save(update_fields=["email"])


def _held(org: Org, n: int = 3) -> list[Notification]:
    found = []
    for i in range(n):
        notification = notify(
            org.learner,
            "test.proposed",
            key=f"held-{i}",
            subject=f"Proposal number {i} (100% yours)",
            url=f"/things/{i}/",
        )
        assert notification is not None
        found.append(notification)
    assert Delivery.objects.filter(state=Delivery.State.HELD).count() == n
    return found


def _digests(org: Org) -> list[Notification]:
    return list(
        Notification.objects.filter(person=org.learner, kind="notifications.digest").order_by("pk")
    )


@pytest.fixture
def daily(org: Org) -> Preference:
    return set_preferences(org.learner, digest="daily", digest_at=time(8), time_zone="Europe/Paris")


def test_nothing_before_the_digest_time(org: Org, daily: Preference) -> None:
    _held(org)
    assert send_digests(now=TUESDAY_MORNING) == 0
    assert _digests(org) == []
    assert Delivery.objects.filter(state=Delivery.State.HELD).count() == 3


def test_after_the_digest_time_one_digest_lists_the_held_messages(
    org: Org, daily: Preference
) -> None:
    held = _held(org)
    assert send_digests(now=TUESDAY_AFTER) == 1
    (digest,) = _digests(org)
    assert digest.key == "digest:2025-12-02"
    for i in range(3):
        assert f"Proposal number {i} (100% yours)" in digest.body
        assert f"https://sylva.example.org/things/{i}/" in digest.body
    assert "2 d" in digest.subject  # the local date, in the recipient's language
    closed = Delivery.objects.filter(notification__in=held)
    assert {d.state for d in closed} == {Delivery.State.SENT}
    assert {d.error for d in closed} == {"in the digest of 2025-12-02"}
    assert {d.sent_at for d in closed} == {TUESDAY_AFTER}
    digest_delivery = Delivery.objects.get(notification=digest)
    assert digest_delivery.state == Delivery.State.QUEUED  # urgent: never held itself
    assert Preference.objects.get(pk=daily.pk).last_digest_at == TUESDAY_AFTER


def test_it_is_idempotent(org: Org, daily: Preference) -> None:
    _held(org)
    assert send_digests(now=TUESDAY_AFTER) == 1
    assert send_digests(now=TUESDAY_AFTER) == 0
    assert send_digests(now=datetime(2025, 12, 2, 20, 0, tzinfo=PARIS)) == 0
    _held_later = notify(org.learner, "test.proposed", key="late", subject="Later", url="/l/")
    assert send_digests(now=datetime(2025, 12, 2, 21, 0, tzinfo=PARIS)) == 0  # tomorrow's
    assert len(_digests(org)) == 1
    assert send_digests(now=datetime(2025, 12, 3, 8, 1, tzinfo=PARIS)) == 1
    assert len(_digests(org)) == 2 and "Later" in _digests(org)[-1].body


def test_no_digest_without_held_messages(org: Org, daily: Preference) -> None:
    assert send_digests(now=TUESDAY_AFTER) == 0
    assert _digests(org) == []


def test_weekly_is_on_mondays(org: Org) -> None:
    set_preferences(org.learner, digest="weekly", digest_at=time(8), time_zone="Europe/Paris")
    _held(org, 2)
    assert send_digests(now=TUESDAY_AFTER) == 0
    assert send_digests(now=MONDAY_AFTER) == 1


def test_the_person_s_time_zone_decides(org: Org) -> None:
    set_preferences(org.learner, digest="daily", digest_at=time(8), time_zone="America/New_York")
    _held(org, 1)
    assert send_digests(now=TUESDAY_AFTER) == 0  # 02:05 in New York
    assert (
        send_digests(now=datetime(2025, 12, 2, 8, 5, tzinfo=zoneinfo.ZoneInfo("America/New_York")))
        == 1
    )
    assert _digests(org)[0].key == "digest:2025-12-02"


def test_turning_the_digest_off_releases_what_was_held(org: Org, daily: Preference) -> None:
    _held(org, 2)
    set_preferences(org.learner, digest="none")
    assert send_digests(now=TUESDAY_AFTER) == 0
    assert Delivery.objects.filter(state=Delivery.State.QUEUED).count() == 2


def test_the_digest_is_emailed(
    org: Org, daily: Preference, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    org.learner.language = "en"
    org.learner.save()
    _held(org, 2)
    with django_capture_on_commit_callbacks(execute=False):
        send_digests(now=TUESDAY_AFTER)
    assert sending.send_due() == 1
    (sent,) = mail.outbox
    assert sent.subject == "Your Sylva digest of Dec. 2, 2025"
    assert "Proposal number 1 (100% yours)" in sent.body


def test_the_task_is_listed_for_cron() -> None:
    assert listed_task is send_digests_task
    from sylva.core.management.commands.enqueue import sylva_tasks

    assert "sylva.notifications.tasks.send_digests" in sylva_tasks()
