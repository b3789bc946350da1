"""The newcomer's main journeys, walked by clicking from the home page (only /login/ is typed),
on a phone and a desktop, in French and in English: fill the profile (a skill and a wish with
the skills picker), post a request on the board and see its suggestions, open today's
rendez-vous, find a colleague in the directory, see the inbox. Every step asserts what the
person sees; what the walk creates, it removes, and the account gets its French back."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, assert_fits, new_page, sign_in


def _nav(page, href: str) -> None:  # type: ignore[no-untyped-def]
    """Click the main navigation's entry for ``href`` (on a phone, through its Menu)."""
    link = page.locator(f'nav a[href="{href}"]').first
    if not link.is_visible():
        page.locator("nav summary, .topbar summary").first.click()
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(href) or href in page.url


def _pick(page, combobox, options_select: str, held: str) -> str:  # type: ignore[no-untyped-def]
    """Pick with the keyboard the first skill of the select not in ``held``; its name."""
    names = page.locator(f"{options_select} option[data-name-fr]").evaluate_all(
        "os => os.map(o => document.documentElement.lang === 'en'"
        " ? o.dataset.nameEn : o.dataset.nameFr)"
    )
    name = next(n for n in names if n not in held)
    combobox.click()
    combobox.fill(name)
    page.locator(".skillpicker-option.active").wait_for()
    page.keyboard.press("Enter")
    return name


def _profile(page, width: int) -> None:  # type: ignore[no-untyped-def]
    page.locator('main a[href="/me/skills/"]').first.click()
    page.wait_for_url("**/me/skills/")
    assert_fits(page, width)
    # what the page lists as held or wished (not the picker's own options)
    held = " ".join(page.locator("main li:not([role])").all_inner_texts())
    add = page.locator("form.addskill")
    skill = _pick(page, add.get_by_role("combobox"), "#id_add-skill", held)
    add.locator("button[name=add_skill]").click()
    page.wait_for_load_state()
    try:
        assert skill in page.locator(".editlist").first.inner_text()
        wish_form = page.locator("form:has(#id_wish-wish)")
        wish = _pick(page, wish_form.get_by_role("combobox"), "#id_wish-wish", held + skill)
        wish_form.locator("button[type=submit]").click()
        page.wait_for_load_state()
        assert wish in " ".join(page.locator("main li:not([role])").all_inner_texts())
        remove = page.locator(f'form[action*="/remove"] button[aria-label$="{wish}"]')
        remove.first.click()
        page.wait_for_load_state()
    finally:
        page.locator(f'form[action*="/remove"] button[aria-label$="{skill}"]').first.click()
        page.wait_for_load_state()
    assert skill not in page.locator(".editlist").first.inner_text()


def _request(page, width: int) -> None:  # type: ignore[no-untyped-def]
    _nav(page, "/exchange/")
    assert_fits(page, width)
    page.locator('main a[href="/exchange/requests/new/"]').first.click()
    page.wait_for_url("**/exchange/requests/new/")
    box = page.get_by_role("combobox").first
    names = page.locator("#id_skills option[data-name-fr]").evaluate_all(
        "os => os.slice(-2).map(o => document.documentElement.lang === 'en'"
        " ? o.dataset.nameEn : o.dataset.nameFr)"
    )
    for name in names:
        box.fill(name)
        page.get_by_role("option", name=name, exact=True).click()
    assert page.locator(".skillpicker-chip").count() == 2
    assert_fits(page, width)
    page.locator("main button[type=submit].primary").click()
    page.wait_for_url(re.compile(r".*/exchange/requests/\d+/$"))
    try:
        text = page.locator("main").inner_text()
        assert all(n in text for n in names)
        assert_fits(page, width)
        # the request's suggestions (or why there are none) are on its page
        assert page.locator("#suggestions").is_visible()
        assert page.locator("#why-not").count() == 1
    finally:
        page.locator("main form[action*='/state/'] button.danger").click()
        page.wait_for_load_state()


def _today(page, width: int) -> None:  # type: ignore[no-untyped-def]
    _nav(page, "/learn/")
    assert page.locator("h1").first.is_visible()
    assert_fits(page, width)


def _directory(page, width: int) -> None:  # type: ignore[no-untyped-def]
    _nav(page, "/people/")
    total = page.locator(".count").inner_text()
    name = page.locator(".person .who strong").first.inner_text().split()[0]
    page.fill("#id_q", name)
    page.wait_for_function("t => document.querySelector('.count').innerText !== t", arg=total)
    found = page.locator(".person .who strong").all_inner_texts()
    assert found and any(name.lower() in n.lower() for n in found)
    assert_fits(page, width)


def _inbox(page, width: int) -> None:  # type: ignore[no-untyped-def]
    page.locator('a[href="/inbox/"]').filter(visible=True).first.click()
    page.wait_for_url("**/inbox/")
    assert page.locator("h1").first.is_visible()
    assert_fits(page, width)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_newcomer_s_journeys(browser, live_sylva, screen, language) -> None:
    page = new_page(browser, live_sylva, screen)
    sign_in(page, "newcomer")
    width = screen["width"]
    try:
        if language == "en":
            page.click(".langswitch button[value=en]")
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == language
        assert_fits(page, width)
        _profile(page, width)
        page.locator('a[href="/"]').first.click()
        _directory(page, width)
        _today(page, width)
        _inbox(page, width)
        _request(page, width)
    finally:
        if page.locator("html").get_attribute("lang") != "fr":
            page.click(".langswitch button[value=fr]")
            page.wait_for_load_state()
        page.context.close()
