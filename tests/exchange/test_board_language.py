"""Posts carry their language, the board filters by it and labels the other language; the
board's tabs and pager keep the search and the filters; the filters fold on a phone."""

from __future__ import annotations

import importlib
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.test import Client

from sylva.core.errors import ServiceError
from sylva.exchange.models import Offer, Request
from sylva.exchange.services import board
from tests.exchange.conftest import Board

API = "/api/v1/exchange"


def _as(person, language: str = "fr") -> Client:  # type: ignore[no-untyped-def]
    client = Client(headers={"accept-language": language})
    client.force_login(person.user)
    return client


def test_a_post_takes_its_author_s_language_unless_told(org) -> None:
    org.expert.language = "en"
    org.expert.save(update_fields=["language"])
    assert board.publish_offer(person=org.expert, skill_codes=["extrusion-setup"]).language == "en"
    told = board.publish_request(person=org.expert, skill_codes=["excel"], language="fr")
    assert told.language == "fr"
    assert board.publish_request(person=org.newcomer, skill_codes=["excel"]).language == "fr"


def test_an_unknown_language_is_refused(org) -> None:
    with pytest.raises(ServiceError) as caught:
        board.publish_request(person=org.newcomer, skill_codes=["excel"], language="de")
    assert caught.value.field == "language"
    assert not Request.objects.exists()


def test_the_migration_backfills_the_author_s_language(xboard: Board) -> None:
    org = xboard.org
    org.expert.language = "en"
    org.expert.save(update_fields=["language"])
    Offer.objects.update(language="fr")
    migration = importlib.import_module("sylva.exchange.migrations.0006_posting_language")
    migration.backfill(apps, None)
    assert Offer.objects.get(pk=xboard.offer.pk).language == "en"
    assert Offer.objects.get(pk=xboard.learner_offer.pk).language == "fr"


def test_the_board_filters_by_language_and_labels_the_other_one(xboard: Board) -> None:
    Request.objects.filter(pk=xboard.request.pk).update(language="en")
    c = _as(xboard.org.newcomer)
    english = c.get("/exchange/?kind=requests&language=en").content.decode()
    assert "Apprendre à régler" in english and "lang-tag" in english
    assert 'title="Anglais"' in english or 'title="anglais"' in english
    french = c.get("/exchange/?kind=requests&language=fr").content.decode()
    assert "Apprendre à régler" not in french
    page = c.get(f"/exchange/requests/{xboard.request.pk}/").content.decode()
    assert "lang-tag" in page  # the post's own page labels it too


def test_a_post_in_the_reader_s_language_carries_no_label(xboard: Board) -> None:
    page = _as(xboard.org.newcomer).get("/exchange/?kind=requests").content.decode()
    assert "Apprendre à régler" in page and "lang-tag" not in page


def test_the_api_filters_by_language_and_says_it(client: Client, xboard: Board) -> None:
    Offer.objects.filter(pk=xboard.offer.pk).update(language="en")
    c = _as(xboard.org.newcomer)
    items = c.get(f"{API}/offers?language=en").json()["items"]
    assert [o["id"] for o in items] == [xboard.offer.pk] and items[0]["language"] == "en"
    assert c.get(f"{API}/offers?language=de").status_code == 400


def test_the_tabs_keep_the_search_and_the_filters(xboard: Board) -> None:
    c = _as(xboard.org.newcomer)
    html = c.get("/exchange/?kind=requests&q=extrud&format=video&page=1").content.decode()
    assert 'href="?kind=offers&amp;q=extrud&amp;format=video"' in html
    assert 'href="?kind=requests&amp;q=extrud&amp;format=video"' in html
    partial = c.get(
        "/exchange/?kind=offers&q=extrud", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    ).content.decode()
    assert 'href="?kind=requests&amp;q=extrud"' in partial  # refreshed with the results
    assert 'id="filters-active" hx-swap-oob="true"' in partial


def test_the_filters_fold_and_count_what_is_set(xboard: Board) -> None:
    c = _as(xboard.org.newcomer, "en")
    html = c.get(f"/exchange/?format=video&site={xboard.org.lyon.pk}").content.decode()
    assert '<details class="more-filters" id="board-filters">' in html
    assert "(2 actifs)" in html or "(2 active)" in html
    assert (
        'type="search" name="q"' in html.split('id="board-filters"')[0]
    )  # the search stays in sight


class _LangWalker(HTMLParser):
    """Each text run of a page with the nearest `lang` around it (None: the page's own)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None, str]] = []  # tag, lang, class
        self.runs: list[tuple[str | None, str, str]] = []  # lang, classes around, text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        a = dict(attrs)
        self.stack.append((tag, a.get("lang"), a.get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip():
            lang = next((x[1] for x in reversed(self.stack) if x[1] is not None), None)
            self.runs.append((lang, " ".join(x[2] for x in self.stack), data.strip()))


def _runs(html: str) -> list[tuple[str | None, str, str]]:
    walker = _LangWalker()
    walker.feed(html[html.index("<main") :] if "<main" in html else html)
    return walker.runs


@pytest.mark.parametrize("where", ["board", "request"])
def test_the_language_label_speaks_the_reader_s_language_the_post_its_own(
    xboard: Board, where: str
) -> None:
    Request.objects.filter(pk=xboard.request.pk).update(language="en")
    c = _as(xboard.org.newcomer)  # a reader in French
    url = (
        "/exchange/?kind=requests"
        if where == "board"
        else f"/exchange/requests/{xboard.request.pk}/"
    )
    runs = _runs(c.get(url).content.decode())
    label = [r for r in runs if "lang-tag" in r[1]]
    assert label, "the English post is labelled"
    assert all(lang is None for lang, _, _ in label), label  # the reader's voice
    text = [r for r in runs if r[2].startswith(xboard.request.text[:20])]
    assert text and all(lang == "en" for lang, _, _ in text), text  # the post's own voice
