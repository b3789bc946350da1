"""The board's search is accent- and case-blind, in French and English, as the directory's:
« soudage » finds « Soudage » and « Sôudage », « electricite » finds « Électricité », in the
descriptions and in the skills' names, whatever the database."""

from __future__ import annotations

import pytest

from sylva.exchange import queries
from sylva.exchange.models import Offer, Request
from sylva.exchange.services import board
from sylva.people.models import Skill

F = queries.BoardFilter


@pytest.fixture
def welding(xboard) -> tuple[Offer, Request]:  # type: ignore[no-untyped-def]
    org = xboard.org
    skill = Skill.objects.create(
        code="arc-welding", domain=org.tech, name_fr="Soudage à l'arc", name_en="Arc Welding"
    )
    offer = board.publish_offer(
        person=org.expert,
        skill_codes=["arc-welding"],
        text="ÉLECTRICITÉ des postes à souder, sécurité du Sôudage",
        formats=["video"],
        levels={"arc-welding": 3},
    )
    request = board.publish_request(
        person=org.learner,
        skill_codes=["excel"],
        text="Comprendre l'électricité d'une armoire (Électricien débutant)",
        formats=["video"],
    )
    assert skill in offer.skills.all()
    return offer, request


def _offers(q: str) -> list[Offer]:
    return list(queries.filter_board(queries.board_offers(), F(q=q)))


def _requests(q: str) -> list[Request]:
    return list(queries.filter_board(queries.board_requests(), F(q=q)))


def test_a_word_finds_the_offer_whatever_its_accents_and_case(welding) -> None:  # type: ignore[no-untyped-def]
    offer, _request = welding
    for q in ("soudage", "Soudage", "SOUDAGE", "sôudage", "soudagé", "electricite", "Électricité"):
        assert _offers(q) == [offer], q


def test_the_skills_french_and_english_names_are_folded_too(welding) -> None:  # type: ignore[no-untyped-def]
    offer, _request = welding
    for q in ("arc welding", "WELDING", "soudage a l'arc", "SOUDAGE À L'ARC", "arc-welding"):
        assert _offers(q) == [offer], q


def test_requests_too_and_every_word_must_match(welding) -> None:  # type: ignore[no-untyped-def]
    offer, request = welding
    assert _requests("electricite armoire") == [request]
    assert _requests("ELECTRICIEN") == [request]
    assert _requests("electricite soudage") == []  # the request says nothing of welding
    assert _offers("electricite soudage") == [offer]
    assert _offers("electricite armoire") == []
    assert _offers("plomberie") == []


def test_the_other_filters_still_apply_with_the_words(welding, xboard) -> None:  # type: ignore[no-untyped-def]
    offer, _request = welding
    org = xboard.org
    offers = queries.board_offers()
    assert list(queries.filter_board(offers, F(q="soudage", skill=org.extrude))) == []
    assert list(queries.filter_board(offers, F(q="soudage", format="video"))) == [offer]
    assert list(queries.filter_board(offers, F(q="soudage", format="phone"))) == []
    assert list(queries.filter_board(offers, F(q="extrudeuse", department=org.prod))) == [
        xboard.offer
    ]
    assert list(queries.filter_board(offers, F(q="   "))) == list(queries.filter_board(offers, F()))


def test_the_api_and_the_board_page_search_accent_blind(welding, login, xboard) -> None:  # type: ignore[no-untyped-def]
    offer, request = welding
    client = login(xboard.org.newcomer)
    found = client.get("/api/v1/exchange/offers", {"q": "electricite"}).json()
    assert [o["id"] for o in found["items"]] == [offer.pk]
    asked = client.get("/api/v1/exchange/requests", {"q": "ÉLECTRICITÉ"}).json()
    assert [r["id"] for r in asked["items"]] == [request.pk]
    page = client.get("/exchange/", {"kind": "offers", "q": "sôudage"}).content.decode()
    assert f"/exchange/offers/{offer.pk}/" in page
    assert f"/exchange/offers/{xboard.offer.pk}/" not in page
