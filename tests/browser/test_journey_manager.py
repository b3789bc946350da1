"""The team manager's main journeys, walked by clicking from the home page (only /login/ is
typed), on a 360 px phone and a 1280 px desktop, in French and in English: open my team's
overview, act on its top fragile point, open the team's memory and its challenges, open a
team challenge's form (its start date pre-filled), read the inbox.

The language is switched through the page's own switcher and put back to French in
``finally`` (later browser tests read French). Nothing is created: the team challenge's form
is checked, not sent, so the shared demo company keeps its state."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_fits, new_page, sign_in
from tests.browser.conftest import nav as _nav


def _one_current(page, href: str) -> None:  # type: ignore[no-untyped-def]
    current = page.locator('.mainnav a[aria-current="page"]')
    assert current.count() == 1
    assert current.get_attribute("href") == href


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_manager_walks_their_team_by_clicking(browser, live_sylva, viewport, lang) -> None:
    width = viewport["width"]
    page = new_page(browser, live_sylva, viewport)
    sign_in(page, "manager")
    try:
        if lang == "en":
            page.click(".langswitch button[value=en]")
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == lang
        assert_fits(page, width)

        # my team's overview, from the navigation
        _nav(page, "/team/")
        page.wait_for_url(re.compile(r".*/team/\d+/$"))
        _one_current(page, "/team/")
        assert_fits(page, width)
        overview = page.url
        points = page.locator("ol.fragile > li.fragilepoint")
        assert points.count() >= 1
        # ranked: a critical point, when there is one, comes before every widely held one
        tags = [points.nth(i).locator(".tag").get_attribute("class") for i in range(points.count())]
        if any("critical" in (t or "") for t in tags):
            assert "critical" in (tags[0] or "")

        # act on the top fragile point: its primary action leads to a page that answers
        top = points.first
        skill = top.locator(".what a").inner_text()
        top.locator(".actions a.primary").click()
        page.wait_for_load_state()
        assert re.search(r"/people/\d+/$|/skills/[\w-]+/$|/exchange/offers/new/$", page.url)
        assert page.locator("h1").is_visible()
        if "/skills/" in page.url:
            assert skill in page.locator("h1").inner_text()
        assert_fits(page, width)
        page.go_back()
        page.wait_for_url(overview)

        # the team's memory, from the overview
        page.locator('.teamlinks a[href*="/learn/memory/teams/"]').click()
        page.wait_for_url(re.compile(r".*/learn/memory/teams/\d+/$"))
        assert page.locator("h1").is_visible()
        assert_fits(page, width)
        page.go_back()
        page.wait_for_url(overview)

        # its challenges, then a team challenge's form, its start date pre-filled (ISO, or a
        # date input shows it empty); not sent: the demo company keeps its challenges
        page.locator('.teamlinks a[href="/learn/challenges/"]').click()
        page.wait_for_url("**/learn/challenges/")
        assert_fits(page, width)
        new = page.locator('main a[href="/learn/team-challenges/new/"]')
        assert new.count(), "a manager launches team challenges from the challenges page"
        new.first.click()
        page.wait_for_url("**/learn/team-challenges/new/")
        starts = page.locator("input[type=date]").first
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", starts.input_value())
        assert_fits(page, width)

        # the inbox: what waits on me
        _nav(page, "/inbox/")
        _one_current(page, "/inbox/")
        assert page.locator("h1").is_visible()
        assert_fits(page, width)
    finally:
        if page.locator("html").get_attribute("lang") != "fr":
            page.click(".langswitch button[value=fr]")
            page.wait_for_load_state()
        page.context.close()
