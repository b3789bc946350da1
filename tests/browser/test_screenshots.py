"""The README's screenshots, in the README's language (English): each test signs in as the
persona the caption speaks of, opens the page at the size the caption says (a 360 px phone
or a 1280 px desktop), checks that the page shows what the caption says, and takes it.

In the normal suite the pictures go to test-artifacts/ only; ``make screenshots``
(``SYLVA_UPDATE_SCREENSHOTS=1``) also copies them over docs/screenshots/ (see
``screenshot`` in conftest.py). Nothing here is left changed: the one learner who answers a
card is a seeded colleague whom no other browser test signs in as, their memory cleared
before and after."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.browser.conftest import DESKTOP, PHONE, assert_fits, new_page, screenshot, sign_in
from tests.browser.test_today_progress import forget, fresh_learner, options_of

LOCALE = "en-GB"  # the README's language


def _page(browser: Any, live_sylva: str, username: str, viewport: dict[str, int]) -> Any:
    page = new_page(browser, live_sylva, viewport, locale=LOCALE)
    sign_in(page, username)
    assert page.locator("html").get_attribute("lang") == "en"
    return page


def _take(page: Any, name: str, viewport: dict[str, int]) -> None:
    assert_fits(page, viewport["width"])
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, name, readme=True)
    page.context.close()


def test_screenshot_a_learners_home_on_a_phone(browser: Any, live_sylva: str) -> None:
    page = _page(browser, live_sylva, "newcomer", PHONE)
    page.goto("/")
    assert page.locator("h1").inner_text().startswith("Hello ")
    assert "Welcome aboard!" in page.locator("main").inner_text()  # a newcomer's welcome
    assert page.locator("main a", has_text="Fill in my skills").is_visible()
    assert page.locator(".todaypanel").count()  # today's cards, further down
    _take(page, "home-phone", PHONE)


def test_screenshot_the_directory_holders_of_a_skill_by_level(
    browser: Any, live_sylva: str
) -> None:
    page = _page(browser, live_sylva, "animator", DESKTOP)
    page.goto("/people/")
    page.select_option("#id_skill", label="Production operations — Extrusion line setup")
    page.wait_for_url(re.compile(r".*skill=extrusion-line-setup"))
    count = page.locator("#results .count")
    count.filter(has_text="best level first").wait_for()
    assert "holders of “Extrusion line setup”, best level first" in count.inner_text()
    levels = [
        int(re.search(r"l(\d)", c).group(1))  # type: ignore[union-attr]
        for c in page.locator("#results li.person .level").evaluate_all(
            "els => els.map(e => e.className)"
        )
    ]
    assert len(levels) >= 5 and levels == sorted(levels, reverse=True), levels
    _take(page, "directory-desktop", DESKTOP)


def test_screenshot_the_exchange_board_on_a_desktop(browser: Any, live_sylva: str) -> None:
    page = _page(browser, live_sylva, "animator", DESKTOP)
    page.goto("/exchange/")
    assert page.locator("h1").inner_text() == "Exchange board"
    assert page.locator("#board-filters").evaluate("e => e.open")  # unfolded on a desktop
    assert page.locator("#results nav.xtabs [aria-current=page]").inner_text() == "Requests"
    assert page.locator("#results ul.postings > li").count() >= 3
    _take(page, "exchange-board-desktop", DESKTOP)


def test_screenshot_the_exchange_board_on_a_phone(browser: Any, live_sylva: str) -> None:
    page = _page(browser, live_sylva, "field", PHONE)
    page.goto("/exchange/")
    assert page.locator("h1").inner_text() == "Exchange board"
    assert not page.locator("#board-filters").evaluate("e => e.open")  # folded on a phone
    assert page.locator("#id_q").is_visible()
    first = page.locator("#results ul.postings > li").first  # the board's first result
    assert first.locator("a.title").is_visible()
    # (that it sits on the first screen, for every persona, is test_board_phone's check: here
    # the field worker's board may carry notices left by earlier walks)
    _take(page, "exchange-board-phone", PHONE)


def test_screenshot_todays_rendez_vous_and_a_wrong_answer_on_a_phone(
    browser: Any, live_sylva: str, live_sylva_database: Path
) -> None:
    username, person_id = fresh_learner(live_sylva_database, rank=1)
    try:
        page = _page(browser, live_sylva, username, PHONE)
        page.goto("/learn/")
        assert page.locator("h1").inner_text() == "Today's rendez-vous"
        left = page.locator("#todayhead .left").inner_text()
        assert re.match(r"· \d+ cards? left, ~\d+ min", left), left
        card = page.locator(".learncard:not([hidden])")
        assert card.count() == 1 and card.locator(".tag.new").count()  # a first card
        assert_fits(page, PHONE["width"])
        screenshot(page, "learn-today-phone", readme=True)

        # answered wrong: the right answer and its explanation (graded by the server)
        for _ in range(20):
            card = page.locator(".learncard:not([hidden])").first
            card_id, kind = str(card.get_attribute("data-card")), card.get_attribute("data-kind")
            wrong = kind in ("single", "truefalse")
            if wrong:
                options = options_of(live_sylva_database, card_id)
                card.locator(".option").nth(
                    next(i for i, o in enumerate(options) if not o.get("correct"))
                ).click()
            elif kind == "lesson":
                pass
            elif kind in ("multiple", "poll"):
                card.locator(".option").first.click()
            elif kind == "ordering":
                selects = card.locator("select")
                for i in range(selects.count()):
                    selects.nth(i).select_option(str(i + 1))
            elif kind == "reflection":
                card.locator("textarea").fill("An idea to try at work.")
            card.locator("button[type=submit]").click()
            answered = page.locator(f".learncard.answered[data-card='{card_id}']")
            answered.locator("[data-next]").wait_for()
            if wrong:
                feedback = answered.locator(".feedback.wrong")
                assert "Not quite." in feedback.inner_text()
                assert "Right answer:" in feedback.inner_text()
                assert feedback.locator(".explanation").inner_text().strip()
                page.evaluate("window.scrollTo(0, 0)")
                assert_fits(page, PHONE["width"])
                screenshot(page, "learn-wrong-answer-phone", readme=True)
                break
            answered.locator("[data-next]").click()
        else:
            raise AssertionError("no single-choice card in today's rendez-vous")
        page.context.close()
    finally:
        forget(live_sylva_database, person_id)


def test_screenshot_the_ecosystems_health_on_a_desktop(browser: Any, live_sylva: str) -> None:
    page = _page(browser, live_sylva, "animator", DESKTOP)
    page.goto("/insights/")
    for section in ("#circulation", "#silos", "#cooperation", "#map"):
        assert page.locator(section).is_visible(), section
    assert page.locator("#map svg circle").count() > 3
    _take(page, "insights-health-desktop", DESKTOP)


def test_screenshot_search_across_sylva_on_a_desktop(browser: Any, live_sylva: str) -> None:
    page = _page(browser, live_sylva, "expert", DESKTOP)
    page.goto("/")
    page.fill("#topsearch-q", "extrusion")
    page.press("#topsearch-q", "Enter")
    page.wait_for_url("**/search/?q=extrusion")
    headings = page.locator("section.searchgroup h2").all_inner_texts()
    assert {"Colleagues", "Skills", "Teams", "Offers on the board"} <= set(headings), headings
    _take(page, "search-desktop", DESKTOP)


def test_screenshot_the_skills_picker_on_a_phone(browser: Any, live_sylva: str) -> None:
    """A French skill name typed without capitals finds it; nothing is saved."""
    page = _page(browser, live_sylva, "newcomer", PHONE)
    page.goto("/me/skills/")
    box = page.get_by_role("combobox", name="Skill", exact=True)
    box.scroll_into_view_if_needed()
    box.click()
    box.fill("soudure")
    options = page.get_by_role("listbox", name="Skill", exact=True).get_by_role("option")
    shown = options.filter(visible=True)
    shown.first.wait_for()
    assert "TIG and MIG welding" in shown.all_inner_texts()[0]
    assert_fits(page, PHONE["width"])
    # the box and its list in sight, as one sees them while typing
    page.evaluate(
        "() => { const b = document.activeElement.getBoundingClientRect();"
        " window.scrollBy(0, b.top - 180); }"
    )
    screenshot(page, "skills-picker-phone", readme=True)
    page.context.close()


def test_screenshot_a_team_overview_on_a_desktop(browser: Any, live_sylva: str) -> None:
    page = _page(browser, live_sylva, "manager", DESKTOP)
    page.goto("/team/")
    page.wait_for_url(re.compile(r".*/team/\d+/$"))
    assert page.locator("h1").inner_text().startswith("Team overview: ")
    assert "How the team learned" in page.locator("main").inner_text()
    assert page.locator("ol.fragile > li.fragilepoint").count() >= 1
    _take(page, "team-overview-desktop", DESKTOP)
