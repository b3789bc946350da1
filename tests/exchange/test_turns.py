"""Whose turn it is, in one place (``queries.whose_turn``), read by the pages, the API and the
inbox: each state for each side; the inbox's items and count for each side (the count is
the "mine" items, in a few queries); the inline actions come back to a safe ``next`` only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sylva.exchange.models import Exchange, MatchRun, Proposal
from sylva.exchange.queries import whose_turn
from sylva.exchange.services import exchanges, fairs
from sylva.notifications.queries import inbox_count, inbox_items
from sylva.people.models import Person
from tests.exchange.conftest import (
    Board,
    accepted,
    held,
    proposed,
    reviewed,
    scheduled,
)

API = "/api/v1/exchange"


def sides(x: Exchange, xb: Board) -> tuple[tuple[str | None, str], tuple[str | None, str]]:
    x = Exchange.objects.prefetch_related("reviews").get(pk=x.pk)
    learner, expert = whose_turn(x, xb.org.learner), whose_turn(x, xb.org.expert)
    return (learner.side, learner.action), (expert.side, expert.action)


def test_whose_turn_in_each_state(xboard: Board) -> None:
    org = xboard.org
    x = proposed(xboard)  # the learner asked: the expert answers
    assert sides(x, xboard) == (("theirs", "accept"), ("mine", "accept"))
    assert whose_turn(x, org.learner).label == "À son tour : en attente de l'accord de Karim Benali"
    x = exchanges.accept(person=org.expert, exchange=x)
    assert sides(x, xboard) == (("mine", "schedule"), ("mine", "schedule"))
    x = exchanges.schedule(
        person=org.expert,
        exchange=x,
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=45,
        mode="video",
    )
    assert sides(x, xboard) == (("mine", "confirm"), ("theirs", "confirm"))
    x = exchanges.confirm(person=org.learner, exchange=x)
    assert sides(x, xboard) == ((None, ""), (None, ""))  # see you then
    Exchange.objects.filter(pk=x.pk).update(starts_at=timezone.now() - timedelta(minutes=10))
    x.refresh_from_db()
    assert sides(x, xboard) == ((None, ""), (None, ""))  # under way
    Exchange.objects.filter(pk=x.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    x.refresh_from_db()
    assert sides(x, xboard) == (("mine", "held"), ("mine", "held"))
    exchanges.mark_held(person=org.learner, exchange=x)
    assert sides(x, xboard) == (("theirs", "held"), ("mine", "held"))
    exchanges.mark_held(person=org.expert, exchange=x)
    assert sides(x, xboard) == (("mine", "review"), ("mine", "review"))
    exchanges.review(person=org.expert, exchange=x, learned="Expliquer", usefulness=4)
    assert sides(x, xboard) == (("mine", "review"), ("theirs", "review"))
    exchanges.review(person=org.learner, exchange=x, learned="Régler", usefulness=5)
    assert sides(x, xboard) == ((None, ""), (None, ""))


def test_nobody_s_turn_once_it_is_over(xboard: Board) -> None:
    x = proposed(xboard)
    exchanges.decline(person=xboard.org.expert, exchange=x, reason="Non")
    assert sides(x, xboard) == ((None, ""), (None, ""))


def _mine(person: Person) -> list[str]:
    return [i.kind for i in inbox_items(person) if i.kind.startswith("exchange") and i.mine]


def _theirs(person: Person) -> list[str]:
    return [i.detail for i in inbox_items(person) if i.kind.startswith("exchange") and not i.mine]


def test_the_inbox_has_each_side_s_items_and_counts_the_mine(xboard: Board) -> None:
    org = xboard.org
    assert _mine(org.expert) == [] and inbox_count(org.expert) == 0
    x = proposed(xboard)
    [item] = [i for i in inbox_items(org.expert) if i.kind == "exchange.accept"]
    assert item.mine and "Hélène Dupré" in item.title and item.url == f"/exchange/x/{x.pk}/"
    accept, decline = item.actions
    assert accept.url == f"/exchange/x/{x.pk}/accept/" and accept.method == "post"
    assert decline.method == "get" and decline.url.endswith("#decline")
    assert _theirs(org.learner) == ["À son tour : en attente de l'accord de Karim Benali"]
    assert inbox_count(org.expert) == 1 and inbox_count(org.learner) == 0
    exchanges.accept(person=org.expert, exchange=x)
    assert _mine(org.learner) == ["exchange.schedule"] == _mine(org.expert)
    assert inbox_count(org.learner) == inbox_count(org.expert) == 1


def test_the_count_follows_the_clock_of_a_scheduled_exchange(xboard: Board) -> None:
    org = xboard.org
    x = scheduled(xboard)
    assert _mine(org.learner) == ["exchange.confirm"] and inbox_count(org.learner) == 1
    assert inbox_count(org.expert) == 0 and len(_theirs(org.expert)) == 1
    Exchange.objects.filter(pk=x.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    assert _mine(org.learner) == ["exchange.held"] == _mine(org.expert)
    assert inbox_count(org.learner) == inbox_count(org.expert) == 1


def test_held_and_reviewed(xboard: Board) -> None:
    org = xboard.org
    x = held(xboard)
    assert _mine(org.learner) == ["exchange.review"] and inbox_count(org.learner) == 1
    [item] = [i for i in inbox_items(org.learner) if i.kind == "exchange.review"]
    assert item.actions[0].url == f"/exchange/x/{x.pk}/#review"
    Exchange.objects.all().delete()
    reviewed(xboard)
    assert _mine(org.learner) == [] and inbox_count(org.learner) == 0


def test_the_count_is_a_few_queries(xboard: Board) -> None:
    org = xboard.org
    proposed(xboard)
    inbox_count(org.expert)  # warm the permission cache, as a page does
    with CaptureQueriesContext(connection) as captured:
        assert inbox_count(org.expert) >= 1
    exchange_queries = [q for q in captured.captured_queries if "exchange_" in q["sql"]]
    assert len(exchange_queries) <= 4, [q["sql"][:80] for q in exchange_queries]


def test_animators_have_the_runs_to_review_and_everyone_the_open_fairs(xboard: Board) -> None:
    org = xboard.org
    run = MatchRun.objects.create(started_by=org.animator)
    Proposal.objects.create(
        run=run, request=xboard.request, offer=xboard.offer, score=1, reasons=[]
    )
    [item] = [i for i in inbox_items(org.animator) if i.kind == "exchange.run"]
    assert item.mine and item.url == f"/exchange/runs/{run.pk}/"
    assert not [i for i in inbox_items(org.learner) if i.kind == "exchange.run"]
    before = inbox_count(org.animator)
    fair = fairs.open_fair(animator=org.animator, title="Bourse de Lyon", site=org.lyon)
    assert inbox_count(org.animator) == before + 1  # the animator's team is in Lyon
    [item] = [i for i in inbox_items(org.learner) if i.kind == "exchange.fair"]
    assert "Bourse de Lyon" in item.title and item.url == f"/exchange/fairs/{fair.pk}/"
    assert not [i for i in inbox_items(org.expert) if i.kind == "exchange.fair"]  # in Lille
    Proposal.objects.update(state=Proposal.State.REJECTED)
    assert not [i for i in inbox_items(org.animator) if i.kind == "exchange.run"]


@pytest.mark.parametrize(
    ("next_url", "lands"),
    [("/inbox/", "/inbox/"), ("https://evil.example/", None), ("//evil.example/x", None)],
)
def test_the_inline_actions_come_back_to_a_safe_next_only(
    xboard: Board, next_url: str, lands: str | None
) -> None:
    x = proposed(xboard)
    client = Client()
    client.force_login(xboard.org.expert.user)
    response = client.post(f"/exchange/x/{x.pk}/accept/", {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == (lands or f"/exchange/x/{x.pk}/")
    x.refresh_from_db()
    assert x.state == "accepted"


def test_a_refused_inline_action_comes_back_too(xboard: Board) -> None:
    x = proposed(xboard)
    client = Client()
    client.force_login(xboard.org.learner.user)  # already accepted: refused (409)
    response = client.post(f"/exchange/x/{x.pk}/accept/", {"next": "/inbox/"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"


def test_the_pages_and_the_api_say_whose_turn_it_is(xboard: Board) -> None:
    x = proposed(xboard)
    expert, learner = Client(), Client()
    expert.force_login(xboard.org.expert.user)
    learner.force_login(xboard.org.learner.user)
    page = expert.get("/exchange/mine/").content.decode()
    assert 'data-turn="mine"' in page and "accepter ou décliner" in page
    assert 'data-turn="theirs"' in learner.get("/exchange/mine/").content.decode()
    assert 'data-turn="theirs"' in learner.get(f"/exchange/x/{x.pk}/").content.decode()
    body = expert.get(f"{API}/exchanges/{x.pk}").json()
    assert body["turn"] == "mine" and body["next_action"] == "accept"
    listed = learner.get(f"{API}/exchanges").json()["items"]
    assert [(e["turn"], e["next_action"]) for e in listed] == [("theirs", "accept")]
    assert "Karim Benali" in listed[0]["next_action_label"]


@pytest.mark.parametrize("stage", [proposed, accepted, scheduled, held, reviewed])
def test_the_count_is_the_number_of_my_items_at_every_stage(xboard: Board, stage) -> None:  # type: ignore[no-untyped-def]
    stage(xboard)
    run = MatchRun.objects.create(started_by=xboard.org.animator)
    Proposal.objects.create(
        run=run, request=xboard.request, offer=xboard.offer, score=1, reasons=[]
    )
    fairs.open_fair(animator=xboard.org.animator, title="Bourse", site=None)
    for person in (xboard.org.learner, xboard.org.expert, xboard.org.animator):
        assert inbox_count(person) == len([i for i in inbox_items(person) if i.mine]), person
