"""No dead end on an exchange's page: every action button it shows works in the current
state, for whoever sees it; when acceptance cannot work (the offer has no place left), the
page says why, when it can, and what to do meanwhile."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from sylva.exchange.models import Exchange, Offer
from sylva.exchange.services import board, exchanges
from tests.exchange.conftest import Board, accepted, ended, held, proposed, reviewed, scheduled

# the page's one-click actions (the others are forms whose input is checked on the form)
SIMPLE = ("accept", "confirm", "held", "no-show")


def _full(xb: Board) -> Exchange:
    """Proposed on an offer whose last place this month went to someone else."""
    Offer.objects.filter(pk=xb.offer.pk).update(capacity=1)
    other = exchanges.propose(by=xb.org.newcomer, offer=xb.offer)
    exchanges.accept(person=xb.org.expert, exchange=other)
    return proposed(xb)


def _started(xb: Board) -> Exchange:
    x = scheduled(xb)
    Exchange.objects.filter(pk=x.pk).update(starts_at=timezone.now() - timedelta(minutes=10))
    x.refresh_from_db()
    return x


def _teacher_said(xb: Board) -> Exchange:
    x = ended(xb)
    return exchanges.mark_held(person=xb.org.expert, exchange=x)


def _declined(xb: Board) -> Exchange:
    return exchanges.decline(person=xb.org.expert, exchange=proposed(xb), reason="Pas ce mois")


def _cancelled(xb: Board) -> Exchange:
    return exchanges.cancel(person=xb.org.expert, exchange=accepted(xb), reason="Planning")


def _no_show(xb: Board) -> Exchange:
    return exchanges.mark_no_show(person=xb.org.learner, exchange=ended(xb))


STAGES: list[Callable[[Board], Exchange]] = [
    proposed,
    _full,
    accepted,
    scheduled,
    _started,
    ended,
    _teacher_said,
    held,
    reviewed,
    _declined,
    _cancelled,
    _no_show,
]


def _errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"] if m.level_tag == "error"]


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.__name__.strip("_"))
def test_every_button_on_the_exchange_page_works(xboard: Board, stage) -> None:  # type: ignore[no-untyped-def]
    x = stage(xboard)
    for person in (xboard.org.expert, xboard.org.learner):
        client = Client()
        client.force_login(person.user)
        page = client.get(f"/exchange/x/{x.pk}/").content.decode()
        actions = re.findall(rf'action="/exchange/x/{x.pk}/({"|".join(SIMPLE)})/"', page)
        for action in actions:
            savepoint = transaction.savepoint()
            try:
                response = client.post(f"/exchange/x/{x.pk}/{action}/", follow=True)
                assert not _errors(response), (stage.__name__, person, action, _errors(response))
            finally:
                transaction.savepoint_rollback(savepoint)


def test_no_place_left_the_page_says_when_and_what_to_do(xboard: Board) -> None:
    org = xboard.org
    # a colleague who shares the same skill, with a place (joined: one offer, one request)
    board.publish_offer(person=org.manager, skill_codes=["extrusion-setup"], formats=["video"])
    board.publish_request(person=org.manager, skill_codes=["excel"], formats=["video"])
    x = _full(xboard)
    expert, learner = Client(), Client()
    expert.force_login(org.expert.user)
    learner.force_login(org.learner.user)
    page = expert.get(f"/exchange/x/{x.pk}/").content.decode()
    assert f"/exchange/x/{x.pk}/accept/" not in page  # no button that cannot work
    assert 'id="no-place"' in page and 'id="raise-capacity"' in page
    page = learner.get(f"/exchange/x/{x.pk}/").content.decode()
    assert 'id="no-place"' in page and 'id="other-offers"' in page
    assert org.manager.full_name in page  # another expert's offer, with a place
    # the refusal itself (an old tab): the reason and the date a place frees
    response = expert.post(f"/exchange/x/{x.pk}/accept/", follow=True)
    [error] = _errors(response)
    assert "frees on" in error or "libère" in error
    x.refresh_from_db()
    assert x.state == "proposed" and not x.teacher_accepted
    # a third colleague on the full offer's page: when a place frees, no ask that would wait
    third = Client()
    third.force_login(org.designer.user)
    page = third.get(f"/exchange/offers/{xboard.offer.pk}/").content.decode()
    assert 'id="no-place"' in page
    assert f"/exchange/offers/{xboard.offer.pk}/propose/" not in page
    # the teacher raises the capacity: acceptance works, the button is back
    Offer.objects.filter(pk=xboard.offer.pk).update(capacity=2)
    page = expert.get(f"/exchange/x/{x.pk}/").content.decode()
    assert f"/exchange/x/{x.pk}/accept/" in page


@pytest.mark.parametrize("state", ["open", "paused", "expired", "closed"])
@pytest.mark.parametrize("kind", ["offer", "request"])
def test_every_button_on_my_posting_works(xboard: Board, kind: str, state: str) -> None:
    """Pause, reopen, renew, close, edit: each one shown works on my offer or request."""
    posting = xboard.offer if kind == "offer" else xboard.request
    type(posting).objects.filter(pk=posting.pk).update(state=state)
    owner = xboard.org.expert if kind == "offer" else xboard.org.learner
    client = Client()
    client.force_login(owner.user)
    page = client.get(f"/exchange/{kind}s/{posting.pk}/").content.decode()
    values = re.findall(r'<button name="state" value="(\w+)"', page)
    for value in values:
        savepoint = transaction.savepoint()
        try:
            response = client.post(
                f"/exchange/{kind}s/{posting.pk}/state/", {"state": value}, follow=True
            )
            assert not _errors(response), (kind, state, value, _errors(response))
        finally:
            transaction.savepoint_rollback(savepoint)
    if f"/exchange/{kind}s/{posting.pk}/edit/" in page:
        edit = client.get(f"/exchange/{kind}s/{posting.pk}/edit/")
        data = {
            "skills": [s.pk for s in posting.skills.all()],
            "formats": sorted(posting.formats),
            "duration_minutes": posting.duration_minutes,
            "capacity": 2,
        }
        response = client.post(f"/exchange/{kind}s/{posting.pk}/edit/", data)
        assert edit.status_code == 200 and response.status_code == 302, response.content[:300]
