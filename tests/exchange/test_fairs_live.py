"""Fairs announced ahead and live: an animator schedules one with a start time; its audience
(the network's members, on its site) and the organisation's chat channels are told when it
is announced and when it opens, once each; while open it is on the home page and the board;
its lists refresh every 5 s through a partial that writes nothing and stops polling once
the fair is closed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sylva.core.errors import ServiceError
from sylva.exchange.models import Fair
from sylva.exchange.services import board, fairs, reminders
from sylva.notifications.models import Hook, Notification
from tests.exchange.conftest import Board


def told(key_end: str) -> dict[str, Notification]:
    return {
        n.person.user.username: n
        for n in Notification.objects.filter(
            kind="exchange.fair", key__endswith=key_end, person__isnull=False
        ).select_related("person__user")
    }


@pytest.fixture
def channel(db: None) -> Hook:
    return Hook.objects.create(
        name="Organisation",
        service="slack",
        url="https://hooks.example/T0",
        kinds=["exchange.fair"],
    )


def _client(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person.user)
    return client


def test_an_animator_announces_a_fair_ahead_then_it_opens(xboard: Board, channel: Hook) -> None:
    org = xboard.org
    start = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = _client(org.animator).post(
        "/exchange/fairs/",
        {
            "title": "Bourse de Lyon",
            "site": org.lyon.pk,
            "minutes": 90,
            "opens_at": start.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    fair = Fair.objects.get()
    assert response.status_code == 302 and fair.is_ahead and not fair.is_open
    assert fair.opens_at == start and fair.closes_at == start + timedelta(minutes=90)
    announced = told(":announced")
    assert set(announced) == {"learner"}  # the members on its site (the expert is in Lille)
    assert "Bourse de Lyon" in announced["learner"].subject
    assert (
        "Lyon" in announced["learner"].body
        and announced["learner"].url == f"/exchange/fairs/{fair.pk}/"
    )
    assert Notification.objects.filter(hook=channel, key__endswith=":announced").count() == 1
    assert reminders.open_fairs(timezone.now()) == 0  # not open yet
    with pytest.raises(ServiceError) as caught:
        fairs.check_open(fair)  # what posting and matching at the fair check first
    assert caught.value.status == 409 and "ouvre le" in caught.value.message
    Fair.objects.filter(pk=fair.pk).update(
        opens_at=timezone.now() - timedelta(minutes=1),
        closes_at=timezone.now() + timedelta(hours=1),
    )
    assert reminders.open_fairs(timezone.now()) == 1
    assert reminders.open_fairs(timezone.now()) == 0  # once
    opened = told(":open")
    assert set(opened) == {"learner"} and "open" in opened["learner"].key
    assert Notification.objects.filter(hook=channel, key__endswith=":open").count() == 1


def test_a_fair_opened_now_is_told_open_at_once(xboard: Board, channel: Hook) -> None:
    org = xboard.org
    fairs.open_fair(animator=org.animator, title="En ligne", site=None)
    assert set(told(":open")) == {"learner", "expert"}  # an online fair: every member
    assert reminders.open_fairs(timezone.now()) == 0


@pytest.mark.parametrize(
    ("when", "message"), [(timedelta(hours=-2), "futur"), (timedelta(days=100), "90 jours")]
)
def test_a_fair_starts_in_the_future_within_90_days(xboard: Board, when, message) -> None:  # type: ignore[no-untyped-def]
    start = timezone.localtime(timezone.now() + when)
    response = _client(xboard.org.animator).post(
        "/exchange/fairs/",
        {"title": "Bourse", "minutes": 60, "opens_at": start.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Fair.objects.exists() and not Notification.objects.exists()


def test_an_open_fair_is_on_the_home_page_and_the_board(xboard: Board) -> None:
    org = xboard.org
    fair = fairs.open_fair(animator=org.animator, title="Bourse du jeudi", site=None)
    client = _client(org.learner)
    for url in ("/", "/exchange/"):
        page = client.get(url).content.decode()
        assert 'class="fair-banner"' in page and f"/exchange/fairs/{fair.pk}/" in page, url
    fairs.close_fair(fair=fair)
    for url in ("/", "/exchange/"):
        assert 'class="fair-banner"' not in client.get(url).content.decode(), url


def test_the_live_part_refreshes_without_writing_and_stops_when_closed(xboard: Board) -> None:
    org = xboard.org
    fair = fairs.open_fair(animator=org.animator, title="Bourse", site=None)
    client = _client(org.learner)
    page = client.get(f"/exchange/fairs/{fair.pk}/").content.decode()
    assert 'hx-trigger="every 5s"' in page and f"/exchange/fairs/{fair.pk}/live/?forms=1" in page
    live = f"/exchange/fairs/{fair.pk}/live/?forms=1"
    assert "Sécurité machine" not in client.get(live).content.decode()
    board.publish_offer(
        person=org.expert,
        skill_codes=["machine-safety"],
        fair=fair,
        formats=["video"],
        levels={"machine-safety": 3},
    )
    with CaptureQueriesContext(connection) as captured:
        part = client.get(live).content.decode()
    assert "Sécurité machine" in part and 'hx-trigger="every 5s"' in part  # a new offer, live
    writes = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]
    assert writes == []
    fairs.close_fair(fair=fair)
    closed = client.get(live).content.decode()
    assert 'id="live"' in closed and "hx-get" not in closed  # the polling stops


def test_a_fair_announced_ahead_polls_until_it_opens(xboard: Board) -> None:
    org = xboard.org
    fair = fairs.open_fair(
        animator=org.animator,
        title="Bourse",
        site=None,
        opens_at=timezone.now() + timedelta(hours=3),
    )
    client = _client(org.learner)
    page = client.get(f"/exchange/fairs/{fair.pk}/").content.decode()
    assert 'id="fair-ahead"' in page and 'hx-trigger="every 5s"' in page
    assert "fair_post" not in page and "/post/offer/" not in page  # not open for posts yet
    Fair.objects.filter(pk=fair.pk).update(opens_at=timezone.now() - timedelta(minutes=1))
    part = client.get(f"/exchange/fairs/{fair.pk}/live/").content.decode()
    assert 'id="fair-opened"' in part  # the page says it opened, with its link
