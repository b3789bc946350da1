"""Sign in, switch language, edit my profile and skills, find who knows what: in Chromium,
on a 360 px phone and a 1280 px desktop."""

from __future__ import annotations

import re

from tests.browser.conftest import assert_fits, new_page, screenshot, sign_in


def test_sign_in_in_french_and_see_my_home(browser, live_sylva, viewport) -> None:
    page = new_page(browser, live_sylva, viewport)
    page.goto("/")
    assert "/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "fr"
    page.fill("#id_username", "newcomer")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit].primary")
    assert page.locator("[role=alert]").is_visible()
    sign_in(page, "newcomer")
    assert page.locator("h1").inner_text().startswith("Bonjour")
    assert page.locator(".welcome").is_visible()  # the newcomer's welcome
    assert_fits(page, viewport["width"])
    kind = "phone" if viewport["width"] < 600 else "desktop"
    screenshot(page, f"home-{kind}")
    page.context.close()


def test_language_switch_is_remembered_for_the_user(browser, live_sylva, viewport) -> None:
    page = new_page(browser, live_sylva, viewport)
    user = "field" if viewport["width"] < 600 else "designer"
    sign_in(page, user)
    page.click(".langswitch button[value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Hello")
    page.context.close()
    # a new device with a French browser: English again once signed in
    other = new_page(browser, live_sylva, viewport, locale="fr-FR")
    sign_in(other, user)
    assert other.locator("html").get_attribute("lang") == "en"
    other.click(".langswitch button[value=fr]")
    other.wait_for_load_state()
    assert other.locator("h1").inner_text().startswith("Bonjour")
    other.context.close()


def test_edit_my_profile_and_skills(browser, live_sylva, viewport) -> None:
    page = new_page(browser, live_sylva, viewport)
    user = "expert" if viewport["width"] < 600 else "animator"
    sign_in(page, user)
    page.goto("/me/edit/")
    assert_fits(page, viewport["width"])
    text = f"Astuces de terrain ({viewport['width']})"
    page.fill("#id_can_share", text)
    page.click("button[type=submit].primary")
    page.wait_for_url(re.compile(r".*/people/\d+/$"))
    assert text in page.locator("main").inner_text()
    page.goto("/me/skills/")
    assert_fits(page, viewport["width"])
    page.select_option("#id_add-skill", index=3)
    chosen = page.locator("#id_add-skill option:checked").inner_text()
    page.check("input[name='add-level'][value='3']")
    page.click("button[name=add_skill]")
    page.wait_for_load_state()
    assert page.locator(".msg").first.is_visible()
    skill_name = chosen.split(" — ", 1)[1]
    assert skill_name in page.locator(".editlist").first.inner_text()
    page.context.close()


def test_find_who_knows_what(browser, live_sylva, viewport) -> None:
    page = new_page(browser, live_sylva, viewport)
    sign_in(page, "manager")
    page.goto("/people/")
    assert_fits(page, viewport["width"])
    total = page.locator(".count").inner_text()
    # live search by name (htmx): the list narrows without a page load
    first_name = page.locator(".person .who strong").first.inner_text().split()[0]
    page.fill("#id_q", first_name)
    page.wait_for_function("t => document.querySelector('.count').innerText !== t", arg=total)
    names = page.locator(".person .who strong").all_inner_texts()
    assert names and all(first_name.lower() in n.lower() for n in names)
    # by skill: holders come best level first
    page.fill("#id_q", "")
    page.select_option("#id_skill", index=5)
    page.wait_for_timeout(600)
    page.wait_for_load_state("networkidle")
    levels = [
        int(c.get_attribute("class").split("l")[-1]) for c in page.locator(".person .level").all()
    ]
    assert levels == sorted(levels, reverse=True)
    if viewport["width"] >= 600:
        # the screenshot shows the holders of the most widely held skill
        skills = []
        for n in (1, 2):
            response = page.request.get(f"/api/v1/skills?page_size=100&page={n}")
            skills += response.json()["items"]
        popular = max(skills, key=lambda s: s["holder_count"])
        page.goto(f"/people/?skill={popular['code']}")
        screenshot(page, "directory-desktop")
    page.context.close()


def test_every_main_page_fits_a_phone(browser, live_sylva) -> None:
    page = new_page(browser, live_sylva, {"width": 360, "height": 780})
    sign_in(page, "admin")
    for url in ("/", "/people/", "/org/", "/skills/", "/me/skills/", "/me/tokens/", "/me/edit/"):
        page.goto(url)
        assert page.locator("h1").first.is_visible(), url
        assert_fits(page, 360)
    page.context.close()


def test_a_manager_sees_the_team_overview(browser, live_sylva, viewport) -> None:
    page = new_page(browser, live_sylva, viewport)
    sign_in(page, "manager")
    page.goto("/team/")
    # the matrix on a desktop; on a phone the same levels as a list per skill
    shown = "table.matrix" if viewport["width"] >= 720 else "ul.byskill"
    assert page.locator(shown).is_visible()
    assert page.locator("ol.fragile > li").first.is_visible()
    page.context.close()
