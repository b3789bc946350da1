"""Consent: nobody is engaged in an exchange, a posting or a fair pairing without their own
act. A third person walks every write endpoint of the exchange network — each API operation
that is not a GET and each page, posted to — with the ids of other people's offers,
requests, exchanges, fairs, runs and proposals: every one refuses, and nothing that is not
the third person's own changes. A new endpoint without its case here fails the walk."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sylva.core.errors import ServiceError
from sylva.exchange.models import (
    Exchange,
    Fair,
    MatchRun,
    Message,
    Offer,
    Proposal,
    Request,
    Review,
)
from sylva.exchange.services import board, exchanges, fairs, runs
from sylva.exchange.urls import urlpatterns
from sylva.people.models import LearningEvent, Person, PersonSkill
from tests.exchange.conftest import Board, proposed

API = "/api/v1/exchange"


@pytest.fixture(params=["newcomer", "manager"])
def world(xboard: Board, request: pytest.FixtureRequest) -> dict[str, Any]:
    """The expert and the learner with their postings, an exchange between them at each
    step, a fair where both posted, a run with a pending proposal; and the third person: a
    colleague who joined the network with postings of their own, or the learner's manager."""
    org = xboard.org
    x_proposed = proposed(xboard)
    # the learner teaches the expert spreadsheets: scheduled, and over
    learner_excel = xboard.learner_offer
    x_sched = exchanges.propose(
        by=org.expert, offer=learner_excel, request=xboard.expert_request, learner=org.expert
    )
    exchanges.accept(person=org.learner, exchange=x_sched)
    exchanges.schedule(
        person=org.learner,
        exchange=x_sched,
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=30,
        mode="video",
        place="https://visio.example/x",
    )
    Exchange.objects.filter(pk=x_sched.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    fair = fairs.open_fair(animator=org.animator, title="Bourse", site=None)
    fair_offer = board.publish_offer(
        person=org.expert,
        skill_codes=["machine-safety"],
        fair=fair,
        formats=["video"],
        levels={"machine-safety": 3},
    )
    fair_request = board.publish_request(
        person=org.learner, skill_codes=["machine-safety"], fair=fair, formats=["video"]
    )
    run = MatchRun.objects.create(started_by=org.animator)
    proposal = Proposal.objects.create(
        run=run, request=xboard.request, offer=xboard.offer, score=1.0, reasons=[]
    )
    stranger = org.person(request.param)
    board.publish_offer(
        person=stranger,
        skill_codes=["facilitation"],
        formats=["phone"],
        levels={"facilitation": 3},
    )
    board.publish_request(person=stranger, skill_codes=["excel"], formats=["phone"])
    return {
        "xb": xboard,
        "stranger": stranger,
        "offer": xboard.offer.pk,
        "request": xboard.request.pk,
        "other_offer": xboard.learner_offer.pk,
        "other_request": xboard.expert_request.pk,
        "exchange": x_proposed.pk,
        "scheduled": x_sched.pk,
        "fair": fair.pk,
        "fair_offer": fair_offer.pk,
        "fair_request": fair_request.pk,
        "run": run.pk,
        "proposal": proposal.pk,
    }


def others(stranger: Person) -> dict[str, list[dict[str, Any]]]:
    """Everything that is not the third person's own, row by row."""
    mine_x = Q(teacher=stranger) | Q(learner=stranger)
    return {
        "exchanges": list(Exchange.objects.exclude(mine_x).order_by("pk").values()),
        "offers": list(Offer.objects.exclude(person=stranger).order_by("pk").values()),
        "requests": list(Request.objects.exclude(person=stranger).order_by("pk").values()),
        "offer_skills": list(
            Offer.skills.through.objects.exclude(offer__person=stranger).order_by("pk").values()
        ),
        "request_skills": list(
            Request.skills.through.objects.exclude(request__person=stranger).order_by("pk").values()
        ),
        "messages": list(Message.objects.order_by("pk").values()),
        "reviews": list(Review.objects.order_by("pk").values()),
        "fairs": list(Fair.objects.order_by("pk").values()),
        "runs": list(MatchRun.objects.order_by("pk").values()),
        "proposals": list(Proposal.objects.order_by("pk").values()),
        "skills": list(PersonSkill.objects.exclude(person=stranger).order_by("pk").values()),
        "events": list(
            LearningEvent.objects.exclude(actor=stranger).order_by("pk").values("pk", "verb")
        ),
    }


def consented() -> None:
    """Every exchange's offer is its teacher's and its request its learner's."""
    for x in Exchange.objects.select_related("offer", "request"):
        assert x.offer is None or x.offer.person_id == x.teacher_id, x
        assert x.request is None or x.request.person_id == x.learner_id, x


POSTING = {"skills": ["extrusion-setup"], "text": "x", "formats": ["video"], "duration_minutes": 30}
FUTURE = (timezone.now() + timedelta(days=5)).isoformat()

# (method, route) -> the bodies to send, with other people's ids ({name} from the world);
# "own" marks the operations with no other person's id to give (a posting of one's own)
API_CASES: dict[tuple[str, str], list[tuple[str, dict[str, Any] | None]]] = {
    ("POST", "/offers"): [("own", {**POSTING, "skills": ["machine-safety"], "capacity": 1})],
    ("PUT", "/offers/{offer_id}"): [("/offers/{offer}", {**POSTING, "capacity": 1})],
    ("POST", "/offers/{offer_id}/state"): [("/offers/{offer}/state", {"state": "closed"})],
    ("POST", "/requests"): [("own", {**POSTING, "skills": ["machine-safety"]})],
    ("PUT", "/requests/{request_id}"): [("/requests/{request}", POSTING)],
    ("POST", "/requests/{request_id}/state"): [("/requests/{request}/state", {"state": "closed"})],
    ("POST", "/requests/{request_id}/renew"): [("/requests/{request}/renew", None)],
    ("POST", "/exchanges"): [
        ("/exchanges", {"offer_id": "{offer}", "request_id": "{request}"}),
        ("/exchanges", {"offer_id": "{other_offer}", "request_id": "{other_request}"}),
        ("/exchanges", {"offer_id": "{fair_offer}", "request_id": "{fair_request}"}),
    ],
    ("POST", "/exchanges/{exchange_id}/accept"): [("/exchanges/{exchange}/accept", None)],
    ("POST", "/exchanges/{exchange_id}/decline"): [
        ("/exchanges/{exchange}/decline", {"reason": "non"})
    ],
    ("POST", "/exchanges/{exchange_id}/schedule"): [
        (
            "/exchanges/{scheduled}/schedule",
            {"starts_at": FUTURE, "mode": "phone", "duration_minutes": 480},
        )
    ],
    ("POST", "/exchanges/{exchange_id}/confirm"): [("/exchanges/{scheduled}/confirm", None)],
    ("POST", "/exchanges/{exchange_id}/held"): [("/exchanges/{scheduled}/held", None)],
    ("POST", "/exchanges/{exchange_id}/no-show"): [("/exchanges/{scheduled}/no-show", None)],
    ("POST", "/exchanges/{exchange_id}/cancel"): [
        ("/exchanges/{scheduled}/cancel", {"reason": "non"})
    ],
    ("POST", "/exchanges/{exchange_id}/reviews"): [
        ("/exchanges/{scheduled}/reviews", {"learned": "x", "usefulness": 5})
    ],
    ("POST", "/exchanges/{exchange_id}/messages"): [
        ("/exchanges/{exchange}/messages", {"body": "coucou"})
    ],
    ("POST", "/runs"): [("/runs", None)],
    ("POST", "/runs/{run_id}/send"): [("/runs/{run}/send", None)],
    ("POST", "/proposals/{proposal_id}"): [("/proposals/{proposal}", {"approve": True})],
}

# url name -> (kwargs, POST data), other people's ids ({name} from the world)
PAGE_CASES: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {
    "board": [({}, {})],
    "mine": [({}, {})],
    "new_offer": [({}, {})],
    "new_request": [({}, {})],
    "offer": [({"pk": "{offer}"}, {})],
    "request": [({"pk": "{request}"}, {})],
    "edit_offer": [({"pk": "{offer}"}, {"state": "closed"})],
    "edit_request": [({"pk": "{request}"}, {"state": "closed"})],
    "set_state": [
        ({"kind": "offer", "pk": "{offer}"}, {"state": "closed"}),
        ({"kind": "request", "pk": "{request}"}, {"state": "renew"}),
    ],
    "propose": [
        # someone else's request chosen for an offer, someone else's offer for a request
        ({"kind": "offer", "pk": "{offer}"}, {"request": "{request}"}),
        ({"kind": "request", "pk": "{request}"}, {"offer": "{offer}"}),
        ({"kind": "request", "pk": "{other_request}"}, {"offer": "{other_offer}"}),
    ],
    # the link of an introduction: the third person proposes in their own name only (an
    # exchange of their own, on the expert's open offer); a person or skill not found is 404
    "propose_to": [
        (
            {},
            {
                "with": "{expert}",
                "skill": "{safety}",
                "as": "learn",
                "role": "learn",
                "mode": "video",
                "duration_minutes": 30,
            },
        ),
        ({}, {"with": "999999", "skill": "{safety}", "as": "learn"}),
    ],
    "exchange": [({"pk": "{exchange}"}, {})],
    "accept": [({"pk": "{exchange}"}, {})],
    "decline": [({"pk": "{exchange}"}, {"reason": "non"})],
    "wait": [({"pk": "{exchange}"}, {}), ({"pk": "{exchange}"}, {"mode": "video"})],
    "propose_instead": [({"pk": "{exchange}"}, {"offer": "{offer}"})],
    "schedule": [
        (
            {"pk": "{scheduled}"},
            {"starts_at": "2031-01-01T10:00", "duration_minutes": 480, "mode": "phone"},
        )
    ],
    "confirm": [({"pk": "{scheduled}"}, {})],
    "held": [({"pk": "{scheduled}"}, {})],
    "no_show": [({"pk": "{scheduled}"}, {})],
    "cancel": [({"pk": "{scheduled}"}, {"reason": "non"})],
    "review": [({"pk": "{scheduled}"}, {"learned": "x", "usefulness": 5})],
    "message": [({"pk": "{exchange}"}, {"body": "coucou"})],
    "ics": [({"pk": "{scheduled}"}, {})],
    "runs": [({}, {"request_expiry_days": 1, "default_capacity": 1, "send_directly": "on"})],
    "start_run": [({}, {})],
    "run": [({"pk": "{run}"}, {})],
    "send_run": [({"pk": "{run}"}, {})],
    "review_proposal": [({"pk": "{proposal}"}, {"approve": "1"})],
    "fairs": [({}, {"title": "Ma bourse", "minutes": 60})],
    "fair": [({"pk": "{fair}"}, {})],
    "fair_live": [({"pk": "{fair}"}, {})],
    "fair_post": [({"pk": "{fair}", "kind": "offer"}, {})],
    "fair_match": [({"pk": "{fair}"}, {"request": "{fair_request}", "offer": "{fair_offer}"})],
    "fair_pair": [
        (
            {"pk": "{fair}"},
            {"teacher": "{expert}", "learner": "{learner}", "skill": "{safety}"},
        )
    ],
    "fair_close": [({"pk": "{fair}"}, {})],
}


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def _write_operations() -> set[tuple[str, str]]:
    import sylva.core.api  # noqa: F401 (registers the routers)
    from sylva.exchange.api import router

    found = set()
    for path, view in router.path_operations.items():
        for operation in view.operations:
            for method in operation.methods:
                if method != "GET":
                    found.add((method, path))
    return found


@pytest.mark.django_db
def test_every_write_endpoint_has_its_case() -> None:
    assert _write_operations() == set(API_CASES)
    assert {p.name for p in urlpatterns} == set(PAGE_CASES)


@pytest.mark.django_db
def test_a_third_person_with_others_ids_is_refused_everywhere_and_nothing_changes(
    world: dict[str, Any],
) -> None:
    stranger: Person = world["stranger"]
    org = world["xb"].org
    ids = {
        **{k: v for k, v in world.items() if isinstance(v, int)},
        "expert": org.expert.pk,
        "learner": org.learner.pk,
        "safety": org.safety.pk,
    }
    client = Client()
    client.force_login(stranger.user)
    before = others(stranger)
    refused: list[str] = []
    for (method, _route), bodies in API_CASES.items():
        for path, body in bodies:
            url = API + (_fill(path, ids) if path != "own" else _route)
            response = client.generic(
                method,
                url,
                data=json.dumps(_fill(body, ids) or {}),
                content_type="application/json",
            )
            if path != "own":
                assert 400 <= response.status_code < 500, (method, url, response.content)
                refused.append(f"{method} {url} {response.status_code}")
            assert others(stranger) == before, (method, url)
            consented()
    for name, cases in PAGE_CASES.items():
        for kwargs, data in cases:
            url = reverse(f"exchange:{name}", kwargs=_fill(kwargs, ids))
            response = client.post(url, _fill(data, ids))
            assert response.status_code < 500, (url, response.status_code)
            assert others(stranger) == before, url
            consented()
    assert refused  # the walk ran


@pytest.mark.django_db
def test_the_service_refuses_someone_else_s_offer_or_request(world: dict[str, Any]) -> None:
    """The rule lives in the service: every entry point (pages, API, fairs, runs, welcome)
    goes through it."""
    xb: Board = world["xb"]
    stranger = world["stranger"]
    for kwargs in (
        {"offer": xb.offer, "request": xb.request, "teacher": stranger},
        {"offer": xb.offer, "learner": stranger, "teacher": stranger},
        {"request": xb.request, "learner": stranger},
        {"offer": xb.offer, "request": xb.request, "learner": stranger},
    ):
        with pytest.raises(ServiceError) as caught:
            exchanges.propose(by=stranger, **kwargs)
        assert caught.value.status in (400, 403)
    for origin in ("run", "newcomer", "animator"):
        with pytest.raises(ServiceError) as caught:
            exchanges.propose(
                by=None, offer=xb.offer, request=xb.request, teacher=stranger, origin=origin
            )
        assert caught.value.status == 403
    consented()


@pytest.mark.django_db
def test_an_animator_pairs_only_what_the_teacher_offered(world: dict[str, Any]) -> None:
    xb: Board = world["xb"]
    org = xb.org
    fair = Fair.objects.get(pk=world["fair"])
    before = others(world["stranger"])
    with pytest.raises(ServiceError) as caught:
        # the learner offers nothing on safety
        fairs.pair_by_hand(
            animator=org.animator,
            fair=fair,
            teacher=org.learner,
            learner=org.expert,
            skill=org.safety,
        )
    assert caught.value.field == "skill"
    assert others(world["stranger"]) == before


@pytest.mark.django_db
def test_a_sent_run_proposal_is_the_animator_s_act_not_the_offerer_s(
    world: dict[str, Any],
) -> None:
    org = world["xb"].org
    proposal = Proposal.objects.get(pk=world["proposal"])
    Exchange.objects.filter(pk=world["exchange"]).update(state="declined")
    done = runs.review_proposal(proposal=proposal, approve=True, by=org.animator)
    x = done.exchange
    assert x is not None and not x.teacher_accepted and not x.learner_accepted
    events = LearningEvent.objects.filter(object_id__endswith=f"exchange/{x.pk}")
    assert {(e.actor_id, e.other_id) for e in events} == {
        (org.animator.pk, org.expert.pk),
        (org.animator.pk, org.learner.pk),
    }
