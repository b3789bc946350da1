"""Search in Chromium: the header's search box (an icon on a phone) leads to /search/, whose
results span the pillars, grouped by kind; accents and capitals do not matter; nothing
found shows what to try instead. The directory's own search finds people by a word and
says why each matched. Nothing here changes the demo company."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.conftest import PHONE, assert_fits, new_page, sign_in


def _search_from_the_header(page: Any, words: str, width: int) -> None:
    page.goto("/")
    if width < 720:  # an icon to the search page on a phone, a box from 720 px
        assert not page.locator("#topsearch-q").is_visible()
        page.locator("a.searchlink").click()
        page.wait_for_url("**/search/")
        page.fill("#search-page-q", words)
        page.locator("form.sitesearch button[type=submit]").click()
    else:
        page.fill("#topsearch-q", words)
        page.press("#topsearch-q", "Enter")
    page.wait_for_url(re.compile(r".*/search/\?q="))


def _groups(page: Any) -> dict[str, list[str]]:
    """Each group's heading and the titles of its results, as shown."""
    found = {}
    groups = page.locator("section.searchgroup")
    for i in range(groups.count()):
        group = groups.nth(i)
        found[group.locator("h2").inner_text()] = group.locator(".result strong").all_inner_texts()
    return found


def test_the_header_search_finds_across_pillars(
    browser: Any, live_sylva: str, viewport: dict[str, int]
) -> None:
    page = new_page(browser, live_sylva, viewport, locale="en-GB")
    sign_in(page, "expert")
    _search_from_the_header(page, "extrusion", viewport["width"])
    assert page.locator("h1").inner_text() == "Search Sylva"
    assert page.locator("#search-page-q").input_value() == "extrusion"  # the words kept
    assert "Results for “extrusion”, by kind." in page.locator("main .count").inner_text()
    groups = _groups(page)
    # people (colleagues, skills, teams) and the exchange board, in one answer
    assert {"Colleagues", "Skills", "Teams", "Offers on the board"} <= set(groups), groups
    assert "Extrusion line setup" in groups["Skills"]
    assert "Extrusion" in groups["Teams"]
    assert all(len(titles) <= 5 for titles in groups.values())  # a few of each kind
    # a colleague matched by a skill says so, with the level
    first = page.locator("section.searchgroup").first.locator(".result").first
    assert re.search(r"Extrusion line setup · level [1-4]", first.inner_text())
    assert_fits(page, viewport["width"])
    # "more" leads to the pillar's own list, the words kept
    page.locator("section.searchgroup").first.locator(".more a").click()
    page.wait_for_url("**/people/?q=extrusion")
    assert page.locator("#id_q").input_value() == "extrusion"
    assert "matching “extrusion”" in page.locator("#results .count").inner_text()

    # and the learning pillar: modules, by a word of their title
    _search_from_the_header(page, "sécurité", viewport["width"])
    groups = _groups(page)
    assert "Modules and resources" in groups, groups
    assert "Driving a forklift safely" in groups["Modules and resources"]
    page.context.close()


@pytest.mark.parametrize(
    "variants",
    [
        ("maintenance", "Maintenance", "MAINTENANCE"),
        ("soudure", "Soudure", "SOUDURE"),
        ("sécurité", "securite", "SÉCURITÉ", "Securite"),
    ],
)
def test_accents_and_capitals_do_not_matter(
    browser: Any, live_sylva: str, variants: tuple[str, ...]
) -> None:
    page = new_page(browser, live_sylva, PHONE, locale="en-GB")
    sign_in(page, "field")
    answers = []
    for words in variants:
        page.goto("/search/?q=" + quote(words))
        assert f"Results for “{words}”" in page.locator("main .count").inner_text()
        answers.append(_groups(page))
    assert answers[0] and "Skills" in answers[0], answers[0]
    assert all(a == answers[0] for a in answers[1:]), dict(zip(variants, answers, strict=True))
    if variants[0] == "soudure":  # a French skill name finds the skill, shown in English
        assert "TIG and MIG welding" in answers[0]["Skills"]
    page.context.close()


def test_nothing_found_says_what_to_try(browser: Any, live_sylva: str) -> None:
    page = new_page(browser, live_sylva, PHONE, locale="en-GB")
    sign_in(page, "newcomer")
    page.goto("/search/?q=" + quote("zqxwv plok"))
    empty = page.locator("main .empty[role=status]")
    assert "Nothing matches “zqxwv plok”." in empty.inner_text()
    assert not page.locator("section.searchgroup").count()
    hints = empty.locator(".hints li")
    assert hints.count() >= 3
    assert "accents and capitals do not matter" in empty.inner_text()
    browse = empty.locator(".hints ul.chips a")
    assert "Who knows what" in browse.all_inner_texts()
    assert_fits(page, PHONE["width"])
    browse.filter(has_text="Who knows what").click()
    page.wait_for_url("**/people/")
    # one letter is not searched
    page.goto("/search/?q=a")
    assert "Type at least two letters." in page.locator("main").inner_text()
    page.context.close()


def test_the_directory_search_finds_people_and_says_why(
    browser: Any, live_sylva: str, viewport: dict[str, int]
) -> None:
    page = new_page(browser, live_sylva, viewport, locale="en-GB")
    sign_in(page, "manager")
    page.goto("/people/")
    page.fill("#id_q", "maintenance")  # answered in place as one types
    count = page.locator("#results .count")
    count.filter(has_text="matching “maintenance”").wait_for()
    assert re.match(r"\d+ people · matching “maintenance”", count.inner_text())
    assert "q=maintenance" in page.url  # the address keeps the search
    people = page.locator("#results li.person")
    assert people.count() >= 5
    whys = [people.nth(i).locator(".why").inner_text() for i in range(people.count())]
    assert all(why.startswith("Matches:") for why in whys), whys
    # holders of a maintenance skill come first, with their level; then team, job, department
    assert re.search(r"maintenance[^;]* · level [1-4]", whys[0], re.IGNORECASE), whys[0]
    assert any("department Maintenance" in why for why in whys)
    assert any("job: " in why for why in whys)
    assert_fits(page, viewport["width"])
    # a colleague's card leads to their profile
    name = people.first.locator("strong").inner_text()
    people.first.locator("a.personlink").click()
    page.wait_for_url(re.compile(r".*/people/\d+/$"))
    assert name in page.locator("h1").inner_text()
    page.context.close()
