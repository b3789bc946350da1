"""The daily rendez-vous reminder (issue 11): at the time each learner chose, in their time
zone (08:30 in the organisation's for who never chose), only when something is to do today,
never while paused, never twice on one local day."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from sylva.microlearning.models import Card, Learner, Memory
from sylva.microlearning.queries.today import all_queues, today
from sylva.microlearning.services.nudges import default_nudge_time, nudge
from sylva.microlearning.tasks import send_nudges
from sylva.notifications.models import Notification, Preference

ORG_ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _at(hour: int, minute: int = 0, zone: zoneinfo.ZoneInfo = ORG_ZONE) -> datetime:
    return datetime.combine(timezone.localdate(), time(hour, minute), tzinfo=zone)


def _nudged(**filters) -> set[int]:  # type: ignore[no-untyped-def]
    return set(
        Notification.objects.filter(kind="microlearning.nudge", **filters).values_list(
            "person_id", flat=True
        )
    )


@pytest.fixture
def extrusion(org) -> set[int]:  # type: ignore[no-untyped-def]
    """The people the campaign fixture reaches (the extrusion team)."""
    return set(org.extrusion.members.values_list("pk", flat=True))


def test_the_default_time_is_half_past_eight() -> None:
    assert default_nudge_time() == time(8, 30)


def test_a_control_company_where_nothing_is_to_do_gets_no_reminder(org, module) -> None:  # type: ignore[no-untyped-def]
    assert nudge(_at(8, 30)) == 0  # a module, but no campaign and nothing due
    assert not Notification.objects.filter(kind="microlearning.nudge").exists()


def test_the_learners_with_cards_today_are_reminded_at_their_time_once(
    org, campaign, extrusion
) -> None:  # type: ignore[no-untyped-def]
    assert nudge(_at(8, 10)) == 0  # nobody's time yet
    assert nudge(_at(8, 30)) == len(extrusion) == 6
    assert _nudged() == extrusion  # the team the campaign reaches, nobody else
    assert nudge(_at(8, 30)) == 0  # a second run (a retried task) sends nobody again
    # someone who moves their reminder later the same day is not reminded twice
    Preference.objects.create(person=org.learner, nudge_at=time(9, 0))
    assert nudge(_at(9, 0)) == 0
    # the next day, again
    tomorrow = _at(8, 30) + timedelta(days=1)
    assert nudge(tomorrow) == len(extrusion) - 1  # the learner's time is 09:00 now
    assert nudge(tomorrow.replace(hour=9, minute=0)) == 1
    keys = set(Notification.objects.filter(person=org.learner).values_list("key", flat=True))
    assert keys == {
        f"nudge:{timezone.localdate()}",
        f"nudge:{timezone.localdate() + timedelta(days=1)}",
    }


def test_the_message_says_how_many_cards_in_the_learners_language(org, campaign) -> None:  # type: ignore[no-untyped-def]
    org.learner.language = "en"
    org.learner.save()
    org.newcomer.language = "fr"
    org.newcomer.save()
    nudge(_at(8, 30))
    cards = len(today(org.learner, _at(8, 30)).cards)
    assert cards == len(all_queues(_at(8, 30))[org.learner.pk]) > 1
    english = Notification.objects.get(kind="microlearning.nudge", person=org.learner)
    assert english.subject.endswith(f"rendez-vous: {cards} cards today")
    assert english.subject.startswith("Your ") and english.url == "/learn/"
    assert f"{cards} cards, about" in english.body
    french = Notification.objects.get(kind="microlearning.nudge", person=org.newcomer)
    assert french.subject.endswith(f": {cards} cartes aujourd'hui")
    assert french.action == "Ouvrir mon rendez-vous"


def test_paused_inactive_and_reminder_off_are_left_alone(org, campaign, extrusion) -> None:  # type: ignore[no-untyped-def]
    Learner.objects.create(person=org.learner, paused_since=timezone.now())
    Preference.objects.create(person=org.newcomer, nudge_at=None)  # no reminder, thanks
    org.manager.user.is_active = False
    org.manager.user.save()
    assert nudge(_at(8, 30)) == len(extrusion) - 3
    assert not _nudged() & {org.learner.pk, org.newcomer.pk, org.manager.pk}


def test_each_learners_own_time_and_time_zone(org, campaign, extrusion) -> None:  # type: ignore[no-untyped-def]
    Preference.objects.create(person=org.learner, nudge_at=time(12, 15))
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    Preference.objects.create(person=org.newcomer, nudge_at=time(7, 0), time_zone="Asia/Tokyo")
    nudge(_at(8, 30))
    assert org.learner.pk not in _nudged() and org.newcomer.pk not in _nudged()
    assert nudge(_at(12, 15)) == 1 and org.learner.pk in _nudged()
    seven_in_tokyo = datetime.combine(timezone.localdate(), time(7, 0), tzinfo=tokyo)
    assert nudge(seven_in_tokyo + timedelta(minutes=14)) == 1
    local_day = timezone.localtime(seven_in_tokyo, tokyo).date()
    assert Notification.objects.get(person=org.newcomer).key == f"nudge:{local_day}"
    assert nudge(seven_in_tokyo + timedelta(minutes=16)) == 0  # outside the window anyway


def test_cards_due_bring_a_reminder_without_any_campaign(org, module) -> None:  # type: ignore[no-untyped-def]
    card = Card.objects.filter(module=module, kind="single").first()
    Memory.objects.create(
        person=org.expert, card=card, due=_at(7, 0), stability=1.0, difficulty=5.0, reps=1
    )
    Memory.objects.create(  # due tomorrow: nothing today
        person=org.animator, card=card, due=_at(7, 0) + timedelta(days=1), reps=1
    )
    assert nudge(_at(8, 30)) == 1
    assert _nudged() == {org.expert.pk}
    told = Notification.objects.get(person=org.expert)
    assert "1 card today" in told.subject or "1 carte aujourd'hui" in told.subject


def test_the_task_runs_the_nudge(org, campaign, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    moment = _at(8, 31)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert send_nudges.call() == 6
    assert send_nudges.call() == 0
