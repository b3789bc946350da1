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
from django.utils import timezone, translation
from django.utils.html import escape

from sylva.core.errors import Forbidden, ServiceError
from sylva.exchange.models import Exchange, Offer
from sylva.exchange.services import board, exchanges, fairs, next_steps
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


# --- a full offer: the next steps (services.next_steps) -----------------------------------


def _colleague_with_place(xb: Board) -> Offer:
    """The manager shares the same skill by video, with places (and has joined)."""
    org = xb.org
    offer = board.publish_offer(
        person=org.manager, skill_codes=["extrusion-setup"], formats=["video"], capacity=3
    )
    board.publish_request(person=org.manager, skill_codes=["excel"], formats=["video"])
    return offer


def _client(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person.user)
    return client


def test_the_next_steps_are_ruled_for_each_side(xboard: Board) -> None:
    org = xboard.org
    theirs = _colleague_with_place(xboard)
    x = _full(xboard)
    learner = next_steps.no_place(x, org.learner)
    assert learner is not None and not learner.is_teacher and not learner.raise_capacity
    assert learner.next_place is not None and learner.next_place > timezone.now()
    assert [s.offer.pk for s in learner.others] == [theirs.pk]
    assert learner.others[0].reasons  # why this colleague, in words
    assert learner.remote == ["video"]  # the full offer is face to face or by video
    assert learner.decline_reason
    teacher = next_steps.no_place(x, org.expert)
    assert teacher is not None and teacher.is_teacher and teacher.raise_capacity
    assert teacher.others == []  # the teacher proposes nobody else for the learner
    assert teacher.when and teacher.when in teacher.decline_reason  # "ask me again from …"
    assert next_steps.no_place(x, org.designer) is None  # not one of the two
    # a place frees (the capacity is raised): no next steps, acceptance works
    Offer.objects.filter(pk=xboard.offer.pk).update(capacity=3)
    x.refresh_from_db()
    assert next_steps.no_place(x, org.learner) is None


def test_a_colleague_named_is_one_the_matcher_would_suggest(xboard: Board) -> None:
    """Full, busy with the learner, or of the teacher: never named as a next step."""
    org = xboard.org
    theirs = _colleague_with_place(xboard)
    x = _full(xboard)
    # the manager's offer is full too: nobody to name, the board and a request instead
    Offer.objects.filter(pk=theirs.pk).update(capacity=1)
    other = exchanges.propose(by=org.newcomer, offer=theirs)
    exchanges.accept(person=org.manager, exchange=other)
    steps = next_steps.no_place(x, org.learner)
    assert steps is not None and steps.others == []
    page = _client(org.learner).get(f"/exchange/x/{x.pk}/").content.decode()
    assert 'id="other-offers"' in page and "/exchange/requests/new/" in page
    # a place again, but an exchange with the learner under way on the skill: not named
    Offer.objects.filter(pk=theirs.pk).update(capacity=3)
    exchanges.propose(by=org.learner, offer=theirs, learner=org.learner)
    steps = next_steps.no_place(x, org.learner)
    assert steps is not None and steps.others == []


def test_without_a_request_the_colleagues_are_judged_for_the_skill(xboard: Board) -> None:
    """Proposed from the offer's page without a request: the learner still gets the
    colleagues who can take them, judged for the skill alone."""
    org = xboard.org
    theirs = _colleague_with_place(xboard)
    Offer.objects.filter(pk=xboard.offer.pk).update(capacity=1)
    first = exchanges.propose(by=org.newcomer, offer=xboard.offer)
    exchanges.accept(person=org.expert, exchange=first)
    x = exchanges.propose(by=org.designer, offer=xboard.offer, learner=org.designer)
    assert x.request_id is None
    steps = next_steps.no_place(x, org.designer)
    assert steps is not None and [s.offer.pk for s in steps.others] == [theirs.pk]


def test_the_page_shows_the_next_steps_not_accept(xboard: Board) -> None:
    org = xboard.org
    theirs = _colleague_with_place(xboard)
    x = _full(xboard)
    for person in (org.expert, org.learner):
        response = _client(person).get(f"/exchange/x/{x.pk}/")
        page = response.content.decode()
        assert f"/exchange/x/{x.pk}/accept/" not in page and 'id="accept"' not in page
        with translation.override(response.headers["Content-Language"]):
            steps = next_steps.no_place(x, person)
            assert steps is not None and escape(steps.turn_label) in page  # not "accept"
        assert 'id="next-steps"' in page
        assert f'action="/exchange/x/{x.pk}/wait/"' in page
        assert 'id="wait-video"' in page and 'id="wait-phone"' not in page
        assert 'id="step-decline"' in page
        assert "accept or decline" not in page and "accepter ou décliner" not in page
    teacher_page = _client(org.expert).get(f"/exchange/x/{x.pk}/").content.decode()
    assert 'id="raise-capacity"' in teacher_page and "propose-instead" not in teacher_page
    learner_page = _client(org.learner).get(f"/exchange/x/{x.pk}/").content.decode()
    assert f'name="offer" value="{theirs.pk}"' in learner_page
    assert 'id="raise-capacity"' not in learner_page
    # the decline form comes with a kind reason already written
    assert "Thank you" in learner_page or "Merci" in learner_page
    # after clicking Accept in an old tab: the refusal, and the same next steps
    response = _client(org.expert).post(f"/exchange/x/{x.pk}/accept/", follow=True)
    [error] = _errors(response)
    assert "frees on" in error or "libère" in error
    assert 'id="next-steps"' in response.content.decode()


def test_proposing_to_another_colleague_creates_a_real_proposal(xboard: Board) -> None:
    org = xboard.org
    theirs = _colleague_with_place(xboard)
    x = _full(xboard)
    response = _client(org.learner).post(
        f"/exchange/x/{x.pk}/propose-instead/", {"offer": theirs.pk}
    )
    created = Exchange.objects.get(offer=theirs, learner=org.learner)
    assert response.status_code == 302 and response["Location"] == f"/exchange/x/{created.pk}/"
    assert created.teacher_id == org.manager.pk and created.skill_id == x.skill_id
    assert created.state == "proposed" and created.learner_accepted
    assert not created.teacher_accepted  # the manager accepts or declines
    assert created.request_id == xboard.request.pk  # the learner's own request on the skill
    x.refresh_from_db()
    assert x.state == "proposed"  # the first one stays, to decline or to wait for
    # a second click: the one under way, not a twin
    again = _client(org.learner).post(f"/exchange/x/{x.pk}/propose-instead/", {"offer": theirs.pk})
    assert again.status_code == 302
    assert Exchange.objects.filter(offer=theirs, learner=org.learner).count() == 1


def test_only_the_learner_proposes_elsewhere_and_bad_ids_change_nothing(xboard: Board) -> None:
    org = xboard.org
    theirs = _colleague_with_place(xboard)
    x = _full(xboard)
    before = Exchange.objects.count()
    # a third person: the exchange does not exist for them
    third = _client(org.designer).post(f"/exchange/x/{x.pk}/propose-instead/", {"offer": theirs.pk})
    assert third.status_code == 404
    with pytest.raises(Forbidden):
        next_steps.propose_instead(person=org.designer, exchange=x, offer_id=theirs.pk)
    # the teacher proposes nobody on the learner's behalf
    with pytest.raises(Forbidden):
        next_steps.propose_instead(person=org.expert, exchange=x, offer_id=theirs.pk)
    learner = _client(org.learner)
    for bad in ("", "abc", "-1", "999999", str(xboard.offer.pk), str(xboard.learner_offer.pk)):
        response = learner.post(f"/exchange/x/{x.pk}/propose-instead/", {"offer": bad}, follow=True)
        assert response.status_code == 200
        [error] = _errors(response)
        assert error, bad
    response = learner.post("/exchange/x/999999/propose-instead/", {"offer": theirs.pk})
    assert response.status_code == 404
    assert Exchange.objects.count() == before
    x.refresh_from_db()
    assert x.state == "proposed" and not x.messages.exists()


def test_waiting_is_said_and_keeps_the_exchange_proposed(xboard: Board) -> None:
    org = xboard.org
    x = _full(xboard)
    learner = _client(org.learner)
    # the offer is not by phone: refused, nothing said
    response = learner.post(f"/exchange/x/{x.pk}/wait/", {"mode": "phone"}, follow=True)
    assert _errors(response) and not x.messages.exists()
    response = learner.post(f"/exchange/x/{x.pk}/wait/", {"mode": "video"}, follow=True)
    assert not _errors(response)
    x.refresh_from_db()
    [said] = x.messages.all()
    assert said.author_id == org.learner.pk and x.mode == "video"
    assert x.state == "proposed" and not x.teacher_accepted  # nothing booked ahead
    steps = next_steps.no_place(x, org.learner)
    assert steps is not None and steps.when in said.body
    # the teacher says it too (no mode: the wish stays)
    exchanges_before = Exchange.objects.count()
    next_steps.wait_for_place(person=org.expert, exchange=x)
    x.refresh_from_db()
    assert x.messages.count() == 2 and x.mode == "video"
    assert Exchange.objects.count() == exchanges_before
    # a third person is refused; once a place frees, waiting is refused: accept instead
    with pytest.raises(Forbidden):
        next_steps.wait_for_place(person=org.designer, exchange=x)
    Offer.objects.filter(pk=xboard.offer.pk).update(capacity=3)
    with pytest.raises(ServiceError) as refused:
        next_steps.wait_for_place(person=org.learner, exchange=x)
    assert refused.value.status == 409
    accepted_now = exchanges.accept(person=org.expert, exchange=x)
    assert accepted_now.state == "accepted"


def test_an_acceptance_counts_against_the_day_it_happens(xboard: Board) -> None:
    """Waiting books nothing ahead: when the place frees (the oldest acceptance is more than
    30 days old), the Accept button is back and acceptance takes that place."""
    org = xboard.org
    x = _full(xboard)
    next_steps.wait_for_place(person=org.learner, exchange=x)
    Exchange.objects.filter(offer=xboard.offer, state="accepted").update(
        accepted_at=timezone.now() - timedelta(days=31)
    )
    assert next_steps.no_place(x, org.expert) is None
    page = _client(org.expert).get(f"/exchange/x/{x.pk}/").content.decode()
    assert f"/exchange/x/{x.pk}/accept/" in page
    assert exchanges.accept(person=org.expert, exchange=x).state == "accepted"


# --- the other dead ends of the same kind --------------------------------------------------


def test_a_full_offers_page_names_colleagues_with_a_place(xboard: Board) -> None:
    """A third colleague on a full offer: no ask that would wait, the colleagues who can
    take them now instead, each asked in one click (a real proposal)."""
    org = xboard.org
    theirs = _colleague_with_place(xboard)
    _full(xboard)
    third = _client(org.designer)
    page = third.get(f"/exchange/offers/{xboard.offer.pk}/").content.decode()
    assert 'id="no-place"' in page and 'id="other-offers"' in page
    assert f"/exchange/offers/{xboard.offer.pk}/propose/" not in page
    assert f'action="/exchange/offers/{theirs.pk}/propose/"' in page
    response = third.post(f"/exchange/offers/{theirs.pk}/propose/")
    created = Exchange.objects.get(offer=theirs, learner=org.designer)
    assert response["Location"] == f"/exchange/x/{created.pk}/"
    # nobody else with a place: the board and a request of one's own instead
    Offer.objects.filter(pk=theirs.pk).update(state="paused")
    page = third.get(f"/exchange/offers/{xboard.offer.pk}/").content.decode()
    assert 'id="other-offers"' in page and "/exchange/requests/new/" in page


def test_a_request_with_no_suggestion_says_what_to_do(xboard: Board) -> None:
    org = xboard.org
    Offer.objects.filter(pk=xboard.offer.pk).update(state="paused")  # the only fitting offer
    page = _client(org.learner).get(f"/exchange/requests/{xboard.request.pk}/").content.decode()
    assert 'id="no-suggestion"' in page
    assert f"/exchange/requests/{xboard.request.pk}/edit/" in page and 'href="#why-not"' in page
    assert 'id="related-offers"' in page


def test_an_empty_board_search_offers_a_way_out(xboard: Board) -> None:
    client = _client(xboard.org.learner)
    page = client.get("/exchange/?kind=offers&q=zzzunknownzzz").content.decode()
    assert 'id="board-empty"' in page
    assert 'id="clear-filters"' in page and 'href="?kind=offers"' in page
    assert 'id="other-tab"' in page and "/exchange/requests/new/" in page
    page = client.get("/exchange/?kind=requests&q=zzzunknownzzz").content.decode()
    assert "/exchange/offers/new/" in page
    # the way out works: without the filters, the board is not empty
    assert 'id="board-empty"' not in client.get("/exchange/?kind=offers").content.decode()


def test_a_fair_with_no_match_points_at_the_board(xboard: Board) -> None:
    org = xboard.org
    fair = fairs.open_fair(animator=org.animator, title="Forum", site=None)
    board.publish_request(
        person=org.learner, skill_codes=["machine-safety"], formats=["video"], fair=fair
    )
    part = _client(org.learner).get(f"/exchange/fairs/{fair.pk}/live/").content.decode()
    assert 'id="fair-no-match"' in part
    assert f"/exchange/?kind=offers&amp;skill={org.safety.pk}" in part
    # someone posts what fits: the match replaces the notice
    board.publish_offer(
        person=org.expert,
        skill_codes=["machine-safety"],
        formats=["video"],
        fair=fair,
        levels={"machine-safety": 3},
    )
    part = _client(org.learner).get(f"/exchange/fairs/{fair.pk}/live/").content.decode()
    assert 'id="fair-no-match"' not in part and "/match/" in part


def test_every_place_says_the_offer_is_full_and_points_at_the_next_steps(
    xboard: Board,
) -> None:
    """The inbox, the API and "My exchanges" read the same turn as the exchange's page: on
    a full offer, not "accept or decline" but until when, and the way to the next steps."""
    with translation.override("en"):  # (the requests in English leave the language as it was)
        _every_place_says_it(xboard)


def _every_place_says_it(xboard: Board) -> None:
    from sylva.notifications.queries import inbox_items

    org = xboard.org
    x = _full(xboard)
    for person, side in ((org.expert, "mine"), (org.learner, "theirs")):
        client = Client(headers={"accept-language": "en"})
        client.force_login(person.user)
        with translation.override("en"):
            steps = next_steps.no_place(x, person)
            assert steps is not None and steps.next_place is not None
            label = steps.turn_label
            assert steps.when in label and "see the next steps" in label
            [item] = [i for i in inbox_items(person) if i.url == f"/exchange/x/{x.pk}/"]
        assert item.detail == label and "accept or decline" not in item.detail
        assert item.kind == "exchange.no_place"
        if side == "mine":  # no Accept that cannot work: the next steps
            assert [(a.label, a.url) for a in item.actions] == [
                ("See the next steps", f"/exchange/x/{x.pk}/#next-steps")
            ]
            assert not [a for a in item.actions if a.url.endswith("/accept/")]
        else:
            assert not item.actions
        body = client.get(f"/api/v1/exchange/exchanges/{x.pk}").json()
        assert (body["turn"], body["next_action"], body["next_action_label"]) == (
            side,
            "no_place",
            label,
        )
        listed = client.get("/api/v1/exchange/exchanges").json()["items"]
        assert [e["next_action_label"] for e in listed if e["id"] == x.pk] == [label]
        mine = client.get("/exchange/mine/").content.decode()
        assert f'data-turn="{side}">{escape(label)}<' in mine
        assert "accept or decline" not in mine
        page = client.get(f"/exchange/x/{x.pk}/").content.decode()
        assert escape(label) in page
    # once a place frees, the same places say "accept or decline" again
    Offer.objects.filter(pk=xboard.offer.pk).update(capacity=2)
    with translation.override("en"):
        [item] = [i for i in inbox_items(org.expert) if i.url == f"/exchange/x/{x.pk}/"]
    assert item.kind == "exchange.accept" and "accept or decline" in item.detail


def test_a_list_of_exchanges_on_full_offers_costs_no_query_per_row(xboard: Board) -> None:
    """Whose turn it is on a full offer is read with the list (with_offer_places): "My
    exchanges", the API's list and the inbox cost the same with one such exchange or five."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_person

    org = xboard.org
    _full(xboard)
    client = _client(org.expert)
    pages = ("/exchange/mine/", "/api/v1/exchange/exchanges", "/inbox/")

    def counts() -> list[int]:
        found = []
        for url in pages:
            assert client.get(url).status_code == 200
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    one = counts()
    for i in range(4):
        colleague = make_person(f"asker{i}", first=f"Asker{i}", last="Full", team=org.printing)
        exchanges.propose(by=colleague, offer=xboard.offer, learner=colleague)
    assert counts() == one, dict(zip(pages, one, strict=True))
    listed = client.get("/api/v1/exchange/exchanges").json()["items"]
    assert sum(e["next_action"] == "no_place" for e in listed) == 5
