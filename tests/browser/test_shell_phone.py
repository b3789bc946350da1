"""On a 360 px phone every section of the navigation is in reach: a Menu names the current
section and opens onto all of them (a <details>, no JavaScript needed), exactly one entry is
current (aria-current), the one whose URL is the longest prefix of the page's."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, assert_fits, new_page, sign_in


@pytest.mark.parametrize("javascript", [True, False])
def test_every_section_is_reachable_from_the_phone_menu(browser, live_sylva, javascript) -> None:
    context = browser.new_context(
        base_url=live_sylva, viewport=PHONE, locale="fr-FR", java_script_enabled=javascript
    )
    page = context.new_page()
    sign_in(page, "animator")
    links = page.locator(".mainnav a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) >= 7 and "/exchange/runs/" in hrefs
    for href in hrefs:
        summary = page.locator(".navmenu > summary")
        assert summary.is_visible()
        summary.click()
        target = page.locator(f'.mainnav a[href="{href}"]')
        assert target.is_visible()
        target.click()
        page.wait_for_load_state()
        current = page.locator('.mainnav a[aria-current="page"]')
        assert current.count() == 1, page.url
        assert current.get_attribute("href") == href
        # the closed Menu names the current section
        label = (current.text_content() or "").split(":")[0].strip()
        assert label.split()[0] in summary.inner_text()
        assert_fits(page, PHONE["width"])
    context.close()


def test_on_a_desktop_the_sections_are_inline(browser, live_sylva) -> None:
    page = new_page(browser, live_sylva, {"width": 1280, "height": 860})
    sign_in(page, "manager")
    assert not page.locator(".navmenu > summary").is_visible()
    assert page.locator('.mainnav a[href="/exchange/"]').is_visible()
    page.context.close()
