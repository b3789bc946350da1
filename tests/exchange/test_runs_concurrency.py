"""A matching run sent twice at once (a double click, two animators), or sent while another
animator discards it: each proposal is decided once, and what was sent stays sent (never
marked rejected afterwards while its exchange lives). Needs PostgreSQL's row locks."""

from __future__ import annotations

from typing import Any

from django.test import Client

from sylva.exchange.models import Exchange, MatchRun, Proposal
from sylva.exchange.services import runs
from tests.concurrency import ON_POSTGRES, at_once
from tests.exchange.conftest import Board
from tests.factories import make_person

pytestmark = ON_POSTGRES


def _at_once(posts: list[tuple[Any, str, dict[str, str]]]) -> None:
    clients = []
    for person, path, data in posts:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(person.user)
        clients.append((client, path, data))
    at_once([lambda c=c: c[0].post(c[1], c[2]) for c in clients])


def _consistent(run: MatchRun) -> None:
    """Every approved proposal has its exchange, every exchange of the run its approved
    proposal, and nothing is left pending once the run is sent or discarded."""
    proposals = list(run.proposals.all())
    made = Exchange.objects.filter(origin=Exchange.Origin.RUN)
    assert {p.exchange_id for p in proposals if p.state == Proposal.State.APPROVED} == set(
        made.values_list("pk", flat=True)
    )
    assert all(p.exchange_id is None for p in proposals if p.state != Proposal.State.APPROVED)
    assert not [p for p in proposals if p.state == Proposal.State.PENDING]


def test_a_run_sent_twice_at_once_sends_each_proposal_once(xboard: Board) -> None:
    org = xboard.org
    run = runs.run_matching(started_by=org.animator)
    assert run.proposals.count() == 2
    others = [
        make_person(f"animator{i}", team=org.people_team, roles=("animator",)) for i in range(3)
    ]
    _at_once([(p, f"/exchange/runs/{run.pk}/send/", {}) for p in (org.animator, *others)])
    run.refresh_from_db()
    assert run.state == MatchRun.State.SENT
    assert Exchange.objects.count() == 2
    _consistent(run)
    assert run.proposals.filter(state=Proposal.State.APPROVED).count() == 2


def test_a_run_sent_while_discarded_ends_in_one_state(xboard: Board) -> None:
    org = xboard.org
    run = runs.run_matching(started_by=org.animator)
    other = make_person("animator9", team=org.people_team, roles=("animator",))
    _at_once(
        [
            (org.animator, f"/exchange/runs/{run.pk}/send/", {}),
            (other, f"/exchange/runs/{run.pk}/send/", {"discard": "1"}),
        ]
    )
    run.refresh_from_db()
    _consistent(run)
    sent = run.proposals.filter(state=Proposal.State.APPROVED).count()
    # either discarded before anything was sent, or sent (then the discard was refused)
    assert (run.state, sent) in ((MatchRun.State.DISCARDED, 0), (MatchRun.State.SENT, 2))
