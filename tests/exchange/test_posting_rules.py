"""Posting rules (issue 12): offering implies knowing (level 3 or more, or declared with the
offer), a request on a skill already being learnt says so with that exchange; pages, fairs
and the API share the services' rules."""

from __future__ import annotations

import pytest
from django.test import Client

from sylva.core.errors import ServiceError
from sylva.exchange.models import Offer, Request
from sylva.exchange.services import board, fairs
from sylva.exchange.services.board import ExchangeUnderWay, SkillsToDeclare
from sylva.people.models import LearningEvent, PersonSkill
from tests.exchange.conftest import Board, accepted

API = "/api/v1/exchange"


def _as(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person.user)
    return client


def _json(client: Client, url: str, data: dict):  # type: ignore[no-untyped-def]
    return client.post(url, data, content_type="application/json")


# --- offering implies knowing --------------------------------------------------------------


def test_an_offer_on_a_skill_not_held_is_refused_naming_it_and_nothing_changes(org) -> None:
    with pytest.raises(SkillsToDeclare) as caught:
        board.publish_offer(person=org.newcomer, skill_codes=["excel"])
    assert caught.value.field == "skills" and caught.value.skills == [org.excel]
    assert org.excel.name in caught.value.message
    assert not Offer.objects.exists()
    assert not PersonSkill.objects.filter(person=org.newcomer).exists()


def test_a_skill_held_below_mastering_is_refused_too(org) -> None:
    with pytest.raises(SkillsToDeclare):  # the expert holds machine safety at level 2
        board.publish_offer(person=org.expert, skill_codes=["machine-safety"])
    assert not Offer.objects.exists()


def test_a_skill_mastered_on_the_profile_is_offered_as_it_is(org) -> None:
    offer = board.publish_offer(person=org.expert, skill_codes=["extrusion-setup"])  # level 4
    assert offer.pk and PersonSkill.objects.get(person=org.expert, skill=org.extrude).level == 4


def test_a_level_given_with_the_offer_is_declared_on_the_profile(org) -> None:
    events = LearningEvent.objects.count()
    offer = board.publish_offer(person=org.newcomer, skill_codes=["excel"], levels={"excel": 3})
    assert offer.pk
    assert PersonSkill.objects.get(person=org.newcomer, skill=org.excel).level == 3
    assert LearningEvent.objects.count() > events  # declared through people's service


@pytest.mark.parametrize(
    ("levels", "field"),
    [({"excel": 2}, "levels"), ({"excel": 7}, "level"), ({"facilitation": 4}, "levels")],
)
def test_a_level_too_low_or_out_of_the_offer_is_refused_and_nothing_changes(
    org, levels, field
) -> None:
    with pytest.raises(ServiceError) as caught:
        board.publish_offer(person=org.newcomer, skill_codes=["excel"], levels=levels)
    assert caught.value.field == field
    assert not Offer.objects.exists()
    assert not PersonSkill.objects.filter(person=org.newcomer).exists()


def test_editing_an_offer_checks_only_the_skills_it_adds(xboard: Board) -> None:
    org = xboard.org
    PersonSkill.objects.filter(person=org.learner, skill=org.excel).update(level=1)
    kwargs = {"text": "", "formats": ["video"], "duration_minutes": 60, "site": None, "slots": []}
    board.edit_posting(
        person=org.learner, posting=xboard.learner_offer, skill_codes=["excel"], **kwargs
    )
    with pytest.raises(SkillsToDeclare):
        board.edit_posting(
            person=org.learner,
            posting=xboard.learner_offer,
            skill_codes=["excel", "facilitation"],
            **kwargs,
        )
    assert list(xboard.learner_offer.skills.all()) == [org.excel]


def test_the_offer_form_asks_the_level_of_a_skill_not_held_then_declares_it(org) -> None:
    c = _as(org.newcomer)
    data = {"skills": [org.excel.pk], "formats": ["video"], "duration_minutes": 60, "capacity": 2}
    page = c.post("/exchange/offers/new/", data)
    assert page.status_code == 200 and not Offer.objects.exists()
    html = page.content.decode()
    assert f'name="level_{org.excel.pk}"' in html and "Tableur" in html
    low = c.post("/exchange/offers/new/", {**data, f"level_{org.excel.pk}": 2})
    assert low.status_code == 200 and not Offer.objects.exists()
    done = c.post("/exchange/offers/new/", {**data, f"level_{org.excel.pk}": 3})
    offer = Offer.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/exchange/offers/{offer.pk}/"
    assert PersonSkill.objects.get(person=org.newcomer, skill=org.excel).level == 3


def test_the_api_takes_the_levels_and_refuses_without(client: Client, org) -> None:
    c = _as(org.newcomer)
    refused = _json(c, f"{API}/offers", {"skills": ["excel"]})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "skills"
    made = _json(c, f"{API}/offers", {"skills": ["excel"], "levels": {"excel": 4}})
    assert made.status_code == 201, made.content
    assert PersonSkill.objects.get(person=org.newcomer, skill=org.excel).level == 4


def test_a_fair_offer_follows_the_same_rule(org) -> None:
    fair = fairs.open_fair(animator=org.animator, title="Bourse", site=None)
    with pytest.raises(SkillsToDeclare):
        board.publish_offer(person=org.newcomer, skill_codes=["excel"], fair=fair)
    c = _as(org.newcomer)
    data = {
        "offer-skills": [org.excel.pk],
        "offer-formats": ["video"],
        "offer-duration_minutes": 60,
        "offer-capacity": 1,
    }
    page = c.post(f"/exchange/fairs/{fair.pk}/post/offer/", data)
    assert page.status_code == 200 and not Offer.objects.exists()
    assert f'name="offer-level_{org.excel.pk}"' in page.content.decode()
    done = c.post(
        f"/exchange/fairs/{fair.pk}/post/offer/", {**data, f"offer-level_{org.excel.pk}": 3}
    )
    assert done.status_code == 302 and Offer.objects.get().fair == fair


# --- a request on a skill already being learnt ---------------------------------------------


def test_a_request_on_a_skill_under_way_says_so_with_the_exchange(xboard: Board) -> None:
    org = xboard.org
    x = accepted(xboard)  # the learner learns extrusion setup from the expert
    before = Request.objects.count()
    with pytest.raises(ExchangeUnderWay) as caught:
        board.publish_request(person=org.learner, skill_codes=["extrusion-setup", "excel"])
    assert caught.value.exchange == x and caught.value.status == 409
    assert f"/exchange/x/{x.pk}/" in caught.value.message and "Karim" in caught.value.message
    assert Request.objects.count() == before
    confirmed = board.publish_request(
        person=org.learner, skill_codes=["extrusion-setup", "excel"], confirm_under_way=True
    )
    assert confirmed.pk


def test_a_skill_taught_or_a_finished_exchange_is_no_warning(xboard: Board) -> None:
    org = xboard.org
    accepted(xboard)
    # the expert teaches it: their own request on it is nobody's duplicate
    assert board.publish_request(person=org.expert, skill_codes=["extrusion-setup"]).pk


def test_the_request_form_warns_links_and_publishes_once_confirmed(xboard: Board) -> None:
    org = xboard.org
    x = accepted(xboard)
    c = _as(org.learner)
    data = {"skills": [org.extrude.pk, org.excel.pk], "formats": ["video"], "duration_minutes": 30}
    page = c.post("/exchange/requests/new/", data)
    html = page.content.decode()
    assert page.status_code == 200 and 'id="under-way"' in html
    assert f'href="/exchange/x/{x.pk}/"' in html and 'name="confirm_under_way"' in html
    done = c.post("/exchange/requests/new/", {**data, "confirm_under_way": "1"})
    assert done.status_code == 302


def test_the_api_answers_409_then_publishes_once_confirmed(xboard: Board) -> None:
    org = xboard.org
    accepted(xboard)
    c = _as(org.learner)
    payload = {"skills": ["extrusion-setup", "excel"]}
    refused = _json(c, f"{API}/requests", payload)
    assert refused.status_code == 409, refused.content
    made = _json(c, f"{API}/requests", {**payload, "confirm_under_way": True})
    assert made.status_code == 201


def test_a_fair_request_warns_the_same_way(xboard: Board) -> None:
    org = xboard.org
    accepted(xboard)
    fair = fairs.open_fair(animator=org.animator, title="Bourse", site=None)
    c = _as(org.learner)
    data = {
        "request-skills": [org.extrude.pk],
        "request-formats": ["video"],
        "request-duration_minutes": 30,
    }
    page = c.post(f"/exchange/fairs/{fair.pk}/post/request/", data)
    assert page.status_code == 200 and 'id="under-way"' in page.content.decode()
    assert not Request.objects.filter(fair=fair).exists()
    done = c.post(f"/exchange/fairs/{fair.pk}/post/request/", {**data, "confirm_under_way": "1"})
    assert done.status_code == 302 and Request.objects.filter(fair=fair).exists()
