"""The learning animator's main journeys, walked by clicking from the home page (only /login/
is typed), on a 360 px phone and a 1280 px desktop, in French and in English: the health of
the organisation, then the four levers (spot, make visible, create links, structure) from the
insights' own tabs; a matching run launched from the "Matching" page, its proposals read
(who to whom, and why), then discarded; the exchange board.

The discarded run and its proposals are removed in ``finally`` (the demo company is shared
by every browser test), and the account gets its French back."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.browser.conftest import assert_fits, new_page, sign_in
from tests.browser.conftest import nav as _nav

LEVERS = ("spot", "visible", "links", "structure")


def _forget_run(database: Path, run: int) -> None:
    with sqlite3.connect(database) as db:
        db.execute("DELETE FROM exchange_proposal WHERE run_id = ?", (run,))
        db.execute("DELETE FROM exchange_matchrun WHERE id = ?", (run,))


def _insights(page, width: int) -> None:  # type: ignore[no-untyped-def]
    _nav(page, "/insights/")
    page.wait_for_url(re.compile(r".*/insights/(\?.*)?$"))
    assert page.locator("h1").is_visible()
    for section in ("#circulation", "#silos", "#map"):
        assert page.locator(section).is_visible(), section
    assert_fits(page, width)
    for lever in LEVERS:  # each lever from the insights' tabs
        page.locator(f'main a[href^="/insights/{lever}/"]').first.click()
        page.wait_for_url(re.compile(rf".*/insights/{lever}/(\?.*)?$"))
        tab = page.locator(f'main a[href^="/insights/{lever}/"]').first
        assert tab.get_attribute("aria-current") == "page", lever
        assert page.locator("main h2").first.is_visible(), lever
        assert_fits(page, width)
    # create links: teams and people to introduce; structure: light structures to accept
    page.locator('main a[href^="/insights/links/"]').first.click()
    page.wait_for_url(re.compile(r".*/insights/links/"))
    assert page.locator("#team-introductions").is_visible()
    assert page.locator("#team-introductions form button").count() >= 1


def _matching(page, width: int, runs: list[int]) -> None:  # type: ignore[no-untyped-def]
    _nav(page, "/exchange/runs/")
    page.wait_for_url("**/exchange/runs/")
    assert page.locator("h1").is_visible()
    assert_fits(page, width)
    page.locator("main form[action$='/runs/start/'] button").click()
    page.wait_for_url(re.compile(r".*/exchange/runs/\d+/$"))
    runs.append(int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert page.locator(".msg").first.is_visible()  # "Run computed: n proposals."
    proposals = page.locator("main ul.postings > li.posting")
    assert proposals.count() >= 1, "the demo's run proposes nothing"
    first = proposals.first
    assert "→" in first.locator(".title").inner_text()  # who to whom
    assert first.locator(".reasons li").count() >= 1  # and why
    assert_fits(page, width)
    # discarded: nothing reaches anyone, no proposal is left to send
    page.locator("main button[name=discard]").click()
    page.wait_for_url(re.compile(r".*/exchange/runs/\d+/$"))
    assert page.locator(".msg").first.is_visible()
    assert page.locator("main button[name=discard]").count() == 0
    assert page.locator("main form[action*='/proposals/']").count() == 0
    # back to the matching page: the run is listed
    page.locator(".crumbs a[href='/exchange/runs/']").click()
    page.wait_for_url("**/exchange/runs/")
    assert page.locator(f'main a[href="/exchange/runs/{runs[-1]}/"]').count() == 1


def _board(page, width: int) -> None:  # type: ignore[no-untyped-def]
    _nav(page, "/exchange/")
    page.wait_for_url("**/exchange/")
    assert page.locator("h1").is_visible()
    assert page.locator('main a[href^="/exchange/requests/"]').count() >= 1
    assert_fits(page, width)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_animator_reads_insights_runs_a_match_and_sees_the_board(
    browser, live_sylva, live_sylva_database, viewport, lang
) -> None:
    width = viewport["width"]
    page = new_page(browser, live_sylva, viewport)
    sign_in(page, "animator")
    runs: list[int] = []
    try:
        if lang == "en":
            page.click(".langswitch button[value=en]")
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == lang
        assert_fits(page, width)
        _insights(page, width)
        _matching(page, width, runs)
        _board(page, width)
    finally:
        if page.locator("html").get_attribute("lang") != "fr":
            page.click(".langswitch button[value=fr]")
            page.wait_for_load_state()
        page.context.close()
        for run in runs:
            _forget_run(live_sylva_database, run)
