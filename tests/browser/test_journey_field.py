"""The field worker's main journeys, phone first, walked by clicking from the home page (only
/login/ is typed), on a 360 px phone and a 1280 px desktop, in French and in English: today's
rendez-vous on "Learn" (each card answered, the progress moving, the end summary), a request
for help on the board with the skills picker (its page names who could help), then a
colleague found through Sylva's search and their page opened.

The rendez-vous is answered once a day: the first walk answers what is left, the next ones
find it done and read its summary. The request is closed in ``finally`` and the account gets
its French back."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_fits, new_page, sign_in
from tests.browser.conftest import nav as _nav

WANTED = ("conflict-management", "supply-planning-mrp")


def _answer(page) -> None:  # type: ignore[no-untyped-def]
    """Answer the card on screen (any answer) and wait for the server's feedback."""
    card = page.locator(".learncard:not([hidden])").first
    number = card.get_attribute("data-card")
    kind = card.get_attribute("data-kind")
    if kind in ("single", "truefalse", "poll", "multiple"):
        card.locator(".option").first.click()
    elif kind == "ordering":
        selects = card.locator("select")
        for i in range(selects.count()):
            selects.nth(i).select_option(str(i + 1))
    elif kind == "reflection":
        card.locator("textarea").fill("Je le ferai demain sur la ligne.")
    card.locator("button[type=submit]").click()
    page.locator(f".learncard[data-card='{number}'] [data-next]").wait_for()


def _rendez_vous(page, width: int) -> None:  # type: ignore[no-untyped-def]
    _nav(page, "/learn/")
    page.wait_for_url("**/learn/")
    assert page.locator("h1").first.is_visible()
    assert page.locator("#todayhead .streak").is_visible()
    progress = page.locator("#todayhead [role=progressbar]")
    assert_fits(page, width)
    for _ in range(30):
        if page.locator("#done").is_visible():
            break
        before = int(progress.get_attribute("aria-valuenow") or 0)
        left = int(page.locator("#todayhead").get_attribute("data-left") or 0)
        _answer(page)
        # the header follows each answer: one card fewer, the bar further on
        page.wait_for_function(
            "n => Number(document.querySelector('#todayhead').dataset.left) < n", arg=left
        )
        assert int(progress.get_attribute("aria-valuenow") or 0) >= before
        assert_fits(page, width)
        page.locator(".learncard:not([hidden]) [data-next]").click()
    done = page.locator("#done")
    assert done.is_visible()
    assert done.locator("h2").inner_text().strip()
    assert progress.get_attribute("aria-valuenow") == "100"
    # the end of the rendez-vous says what comes next: a challenge, my memory, a tip
    assert done.locator("a.button").count() >= 2
    assert_fits(page, width)
    page.reload()  # the server agrees: done for today, with its summary
    assert page.locator("#done").is_visible()
    assert page.locator("#done .summary, #done #summary").count() == 1


def _ask_for_help(page, width: int, created: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """A request with two skills picked by name; the names its page suggests."""
    _nav(page, "/exchange/")
    page.wait_for_url("**/exchange/")
    assert_fits(page, width)
    page.locator('main a[href="/exchange/requests/new/"]').first.click()
    page.wait_for_url("**/exchange/requests/new/")
    box = page.get_by_role("combobox").first
    # two skills colleagues offer on the demo board, picked by their name in the page's language
    names = page.locator("#id_skills option[data-name-fr]").evaluate_all(
        "(os, codes) => os.filter(o => codes.includes(o.dataset.code))"
        ".map(o => document.documentElement.lang === 'en' ? o.dataset.nameEn : o.dataset.nameFr)",
        list(WANTED),
    )
    assert len(names) == 2
    for name in names:
        box.fill(name)
        page.get_by_role("option", name=name, exact=True).click()
    assert page.locator(".skillpicker-chip").count() == 2
    assert_fits(page, width)
    page.locator("main button[type=submit].primary").click()
    page.wait_for_url(re.compile(r".*/exchange/requests/\d+/$"))
    created.append(str(page.url))
    facts = page.locator("main dl").first.inner_text()
    assert all(n in facts for n in names)
    assert_fits(page, width)
    # its page says who could teach me (or that the request waits on the board)
    suggestions = page.locator("#suggestions")
    assert suggestions.is_visible()
    assert suggestions.locator("h2").inner_text().strip()
    people = suggestions.locator("a[href^='/people/']").all_inner_texts()
    return [p.strip() for p in people if p.strip()]


def _search(page, width: int, name: str) -> None:  # type: ignore[no-untyped-def]
    """Find a colleague through the search: the icon on a phone, the box on a desktop."""
    if page.locator(".topsearch").is_visible():
        page.fill("#topsearch-q", name)
        page.press("#topsearch-q", "Enter")
    else:
        page.locator("a.searchlink").click()
        page.wait_for_url("**/search/")
        page.locator("main input[name=q]").fill(name)
        page.locator("main form[role=search] button, main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/search/\?q="))
    found = page.locator(f'main a[href^="/people/"]:has-text("{name}")')
    assert found.count() >= 1, f"the search for {name} finds nobody"
    assert_fits(page, width)
    found.first.click()
    page.wait_for_url(re.compile(r".*/people/\d+/$"))
    assert name in page.locator("h1").inner_text()
    assert_fits(page, width)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_field_worker_learns_asks_and_finds_by_clicking(
    browser, live_sylva, viewport, lang
) -> None:
    width = viewport["width"]
    page = new_page(browser, live_sylva, viewport)
    sign_in(page, "field")
    created: list[str] = []
    try:
        if lang == "en":
            page.click(".langswitch button[value=en]")
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == lang
        assert_fits(page, width)
        _rendez_vous(page, width)
        names = _ask_for_help(page, width, created)
        # a colleague the request suggests, else one who asks on the board
        if not names:
            _nav(page, "/exchange/")
            names = [
                n.strip()
                for n in page.locator("main a[href^='/people/']").all_inner_texts()
                if n.strip()
            ]
        if not names:
            _nav(page, "/people/")
            names = [page.locator(".person .who strong").first.inner_text().strip()]
        _search(page, width, names[0])
    finally:
        for url in created:  # the request goes: closed from its own page
            page.goto(url)
            page.locator("main form[action*='/state/'] button.danger").click()
            page.wait_for_load_state()
        if page.locator("html").get_attribute("lang") != "fr":
            page.click(".langswitch button[value=fr]")
            page.wait_for_load_state()
        page.context.close()
