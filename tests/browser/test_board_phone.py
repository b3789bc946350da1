"""The exchange board on a 360 px phone: its filters fold into a <details> (results first,
the search box in sight), open with one tap, filter in place by skill and language; the
requests/offers tabs keep the search and the filters. Nothing here changes the demo company."""

from __future__ import annotations

import re
from typing import Any

from tests.browser.conftest import DESKTOP, PHONE, assert_fits, new_page, sign_in

EXTRUSION = "Production operations — Extrusion line setup"  # a skill with requests and offers


def _titles(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("#results ul.postings > li a.title").all_inner_texts()]


def _count(page: Any) -> int:
    return int(re.match(r"\d+", page.locator("#results .count").inner_text()).group())


def test_the_filters_fold_and_the_first_result_is_on_the_first_screen(
    browser: Any, live_sylva: str, viewport: dict[str, int]
) -> None:
    page = new_page(browser, live_sylva, viewport, locale="en-GB")
    # (the animator has no join nudge nor "requests I could answer" above the board)
    sign_in(page, "animator")
    page.goto("/exchange/")
    filters = page.locator("#board-filters")
    assert page.locator("#id_q").is_visible()  # the search stays in sight
    if viewport["width"] < 600:
        assert filters.evaluate("e => e.tagName") == "DETAILS"
        assert not filters.evaluate("e => e.open")
        assert not page.locator("#id_skill").is_visible()
        first = page.locator("#results ul.postings > li").first
        box = first.bounding_box()
        assert box is not None and box["y"] + 40 < PHONE["height"], box  # its title at least
        assert first.locator("a.title").is_visible()
        folded = page.locator("form.filters.board").bounding_box()["height"]
        filters.locator("summary").click()  # one tap opens them
        assert page.locator("#id_skill").is_visible() and page.locator("#id_language").is_visible()
        assert page.locator("form.filters.board").bounding_box()["height"] > folded + 150
        assert_fits(page, PHONE["width"])
        filters.locator("summary").click()
        assert not page.locator("#id_skill").is_visible()
    else:  # a wide screen shows them unfolded
        assert filters.evaluate("e => e.open")
        assert page.locator("#id_skill").is_visible()
    assert_fits(page, viewport["width"])
    page.context.close()


PERSONAS = ("newcomer", "expert", "field", "manager", "animator", "designer", "admin")


def test_the_first_result_is_on_the_first_screen_for_every_persona(
    browser: Any, live_sylva: str
) -> None:
    """Whatever sits above the board on a wide screen (the join nudge, "Requests I could
    answer now"), the first result is on a phone's first screen, the rest after the results."""
    seen_aside = False
    for persona in PERSONAS:
        page = new_page(browser, live_sylva, PHONE, locale="en-GB")
        try:
            sign_in(page, persona)
            page.goto("/exchange/")
            first = page.locator("#results ul.postings > li").first
            box = first.bounding_box()
            assert box is not None, persona
            assert box["y"] + 40 < PHONE["height"], (persona, box)  # its title at least
            assert first.locator("a.title").is_visible(), persona
            results_top = page.locator("#results").bounding_box()["y"]
            for aside in page.locator(".board-aside").all():  # kept, below the results
                seen_aside = True
                assert aside.is_visible(), persona
                assert aside.bounding_box()["y"] > results_top, persona
            assert_fits(page, PHONE["width"])
        finally:
            page.context.close()
    assert seen_aside  # some persona has a nudge or requests to answer: the check bites


def test_the_nudge_and_answerable_requests_stay_above_on_a_wide_screen(
    browser: Any, live_sylva: str
) -> None:
    page = new_page(browser, live_sylva, DESKTOP, locale="en-GB")
    try:
        sign_in(page, "newcomer")
        page.goto("/exchange/")
        nudge = page.locator(".board-aside.nudge")
        assert nudge.is_visible()
        assert nudge.bounding_box()["y"] < page.locator("#results").bounding_box()["y"]
    finally:
        page.context.close()


def test_filter_by_skill_and_language_then_switch_tabs_keeping_them(
    browser: Any, live_sylva: str
) -> None:
    page = new_page(browser, live_sylva, PHONE, locale="en-GB")
    sign_in(page, "field")
    page.goto("/exchange/")
    everything = _count(page)
    page.locator("#board-filters > summary").click()
    assert page.locator("#filters-active").inner_text() == ""

    # by skill: answered in place, the address and the summary say so
    page.select_option("#id_skill", label=EXTRUSION)
    page.wait_for_url(re.compile(r".*[?&]skill=\d+"))
    page.locator("#filters-active", has_text="(1 active)").wait_for()
    skill = page.locator("#id_skill").input_value()
    by_skill = _count(page)
    assert 0 < by_skill < everything
    assert set(_titles(page)) == {"Extrusion line setup"}

    # by language: French only, each one tagged so for a reader in English
    page.select_option("#id_language", "fr")
    page.wait_for_url(re.compile(r".*language=fr"))
    page.locator("#filters-active", has_text="(2 active)").wait_for()
    postings = page.locator("#results ul.postings > li")
    tagged = postings.locator(".lang-tag[data-lang=fr]")
    assert postings.count() and postings.count() == tagged.count()
    assert "FR" in postings.first.locator(".lang-tag").inner_text()
    page.select_option("#id_language", "en")  # and English ones carry no tag
    page.wait_for_url(re.compile(r".*language=en"))
    page.wait_for_function(
        "() => !document.querySelector('#results ul.postings .lang-tag[data-lang=fr]')"
    )
    page.select_option("#id_language", "fr")
    page.wait_for_url(re.compile(r".*language=fr"))
    page.wait_for_function(
        "() => { const n = document.querySelectorAll('#results ul.postings > li').length;"
        " return n > 0 && n === document.querySelectorAll('#results ul.postings"
        " .lang-tag[data-lang=fr]').length; }"
    )

    # a word too
    page.fill("#id_q", "ligne")
    page.wait_for_url(re.compile(r".*q=ligne"))
    requests = _titles(page)
    assert requests and set(requests) == {"Extrusion line setup"}
    assert_fits(page, PHONE["width"])

    # to the offers: the same search and filters
    tabs = page.locator("#results nav.xtabs")
    assert tabs.locator("[aria-current=page]").inner_text() == "Requests"
    tabs.locator("a", has_text="Offers").click()
    page.wait_for_url(re.compile(r".*kind=offers"))
    assert page.locator("#results nav.xtabs [aria-current=page]").inner_text() == "Offers"
    assert page.locator("#id_q").input_value() == "ligne"
    assert page.locator("#id_skill").input_value() == skill
    assert page.locator("#id_language").input_value() == "fr"
    assert page.locator("#filters-active").inner_text() == "(2 active)"  # folded, and says so
    assert re.match(r"\d+ offers?$", page.locator("#results .count").inner_text())
    offers = page.locator("#results ul.postings > li")
    assert offers.count() == offers.locator(".lang-tag[data-lang=fr]").count()
    assert set(_titles(page)) <= {"Extrusion line setup"}

    # and back to the requests, still filtered: the same list as before
    page.locator("#results nav.xtabs a", has_text="Requests").click()
    page.wait_for_url(re.compile(r".*kind=requests"))
    assert page.locator("#id_q").input_value() == "ligne"
    assert page.locator("#id_language").input_value() == "fr"
    assert _titles(page) == requests
    assert_fits(page, PHONE["width"])
    page.context.close()
