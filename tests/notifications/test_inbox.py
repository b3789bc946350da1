"""The inbox page: what waits on me ("your turn") and what I wait for ("waiting on
others"), from the pillars' real items (an exchange proposal) and, for the page's own
mechanics (pagination, the two kinds of inline action), from items given to it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sylva.core.pillars import InboxAction, InboxItem
from sylva.exchange.models import Exchange
from sylva.notifications import queries
from tests.exchange.conftest import proposed
from tests.exchange.conftest import xboard as xboard
from tests.factories import Org

__all__ = ["xboard"]


def _section(html: str, ident: str) -> str:
    match = re.search(rf'<section[^>]*id="{ident}".*?</section>', html, re.S)
    assert match, f"no section #{ident}"
    return match.group(0)


def _items(n: int, *, mine: bool = True) -> list[InboxItem]:
    now = timezone.now()
    return [
        InboxItem(
            kind="test.proposed",
            title=f"Thing {i:02d}",
            detail=f"Paul waits on you ({i})",
            url=f"/things/{i}/",
            since=now - timedelta(minutes=i),
            mine=mine,
            actions=(
                InboxAction("Do it", f"/things/{i}/do/", fields=(("answer", "yes"),), primary=True),
                InboxAction("Look", f"/things/{i}/", method="get", fields=(("tab", "review"),)),
            ),
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_the_inbox_asks_to_sign_in(client: Client) -> None:
    response = client.get("/inbox/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_empty_inbox_says_what_will_appear_there(
    org: Org, login, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(queries, "inbox_items", lambda person: [])
    client = login(org.newcomer)
    page = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nothing waits on you" in page and "proposals to accept" in page
    assert 'id="mine"' not in page
    french = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Rien ne vous attend" in french


def test_an_exchange_proposal_is_the_teacher_s_turn_and_the_learner_waits(xboard, login) -> None:  # type: ignore[no-untyped-def]
    exchange = proposed(xboard)
    org = xboard.org
    teacher = login(org.expert).get("/inbox/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    mine = _section(teacher, "mine")
    assert f"/exchange/exchanges/{exchange.pk}/" in mine or f"/{exchange.pk}/" in mine
    accept = re.search(
        r'<form method="post" action="([^"]+)" class="inline">(.*?)</form>', mine, re.S
    )
    assert accept, mine
    assert 'name="csrfmiddlewaretoken"' in accept.group(2)
    assert '<input type="hidden" name="next" value="/inbox/">' in accept.group(2)
    assert 'class="primary"' in accept.group(2)
    assert "You are not waiting on anyone here." in _section(teacher, "theirs")

    learner = Client()
    learner.force_login(org.learner.user)
    page = learner.get("/inbox/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    theirs = _section(page, "theirs")
    assert org.expert.full_name in theirs
    assert "<form" not in theirs  # waiting on the other: nothing to do here

    # the inline action really acts, and comes back to the inbox
    client = login(org.expert)
    response = client.post(
        accept.group(1), dict(re.findall(r'name="(\w+)" value="([^"]*)"', accept.group(2)))
    )
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    exchange.refresh_from_db()
    assert exchange.state != Exchange.State.PROPOSED


def test_the_nav_badge_counts_what_waits_on_me(xboard, login) -> None:  # type: ignore[no-untyped-def]
    proposed(xboard)
    page = login(xboard.org.expert).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'href="/inbox/"[^>]*>Inbox <span class="badge" data-count="1">', page), page
    nothing = Client()
    nothing.force_login(xboard.org.newcomer.user)
    assert 'class="badge"' not in nothing.get("/").content.decode()


def test_items_carry_their_detail_age_and_both_kinds_of_action(
    org: Org, login, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    items = _items(1) + _items(1, mine=False)
    monkeypatch.setattr(queries, "inbox_items", lambda person: items)
    page = login(org.learner).get("/inbox/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    mine, theirs = _section(page, "mine"), _section(page, "theirs")
    assert (
        "Thing 00" in mine and "Paul waits on you (0)" in mine and '<p class="since"><time' in mine
    )
    assert '<input type="hidden" name="answer" value="yes">' in mine
    assert 'action="/things/0/do/"' in mine
    assert 'href="/things/0/?tab=review"' in mine  # a get action is a link
    assert "Thing 00" in theirs


def test_a_long_inbox_is_paginated(
    org: Org, login, settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    settings.SYLVA_PAGE_SIZE = 20
    items = _items(25)
    monkeypatch.setattr(queries, "inbox_items", lambda person: items)
    client = login(org.learner)
    first = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Thing 19" in first and "Thing 20" not in first
    assert 'rel="next"' in first
    second = client.get("/inbox/", {"page": 2}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Thing 24" in second and "Thing 00" not in second
    assert client.get("/inbox/", {"page": "10**30"}).status_code == 200


# --- the delivery log (/inbox/log/) ------------------------------------------------------


def _told(person, key: str, subject: str):  # type: ignore[no-untyped-def]
    from sylva.notifications.services import notify

    person.user.email = f"{person.user.username}@example.org"
    person.user.save(update_fields=["email"])
    return notify(person, "test.proposed", key=key, subject=subject, url=f"/{key}/")


def test_the_log_shows_only_my_own_notifications_and_how_they_went(org: Org, login) -> None:  # type: ignore[no-untyped-def]
    from sylva.notifications.models import Delivery

    mine = _told(org.learner, "mine", "Karim proposes extruder setup")
    _told(org.expert, "theirs", "A secret proposal to someone else")
    Delivery.objects.filter(notification=mine).update(
        state=Delivery.State.FAILED, error="the mail server refused the address"
    )
    client = login(org.learner)
    page = client.get("/inbox/log/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Karim proposes extruder setup" in page
    assert "could not be delivered" in page and "the mail server refused the address" in page
    assert "Email" in page
    assert "A secret proposal to someone else" not in page
    assert not Delivery.objects.filter(state=Delivery.State.SENT).exists()  # a read, no write
    french = client.get("/inbox/log/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "n'a pas pu être remis" in french


def test_an_empty_log_says_what_it_will_hold(org: Org, login) -> None:  # type: ignore[no-untyped-def]
    _told(org.expert, "theirs", "Someone else's")
    page = login(org.learner).get("/inbox/log/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nothing was sent to you yet" in page and "Someone else" not in page


def test_the_log_is_paginated(org: Org, login, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SYLVA_PAGE_SIZE = 20
    for i in range(23):
        _told(org.learner, f"n{i}", f"Message number {i:02d}")
    client = login(org.learner)
    first = client.get("/inbox/log/").content.decode()
    assert "Message number 22" in first and "Message number 02" not in first  # newest first
    second = client.get("/inbox/log/", {"page": 2}).content.decode()
    assert "Message number 00" in second and "Message number 22" not in second
