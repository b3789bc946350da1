"""The skills picker in Chromium: search accent-blind in either language, pick with the
keyboard or by touch, remove a chip, and the forms still save what was picked; without
JavaScript the plain select still submits. What each test creates, it removes."""

from __future__ import annotations

import re

from tests.browser.conftest import DESKTOP, PHONE, assert_fits, new_page, sign_in


def _remove_skill(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/me/skills/")
    button = page.get_by_role("button", name=f"Retirer {name}", exact=True)
    if button.count():
        button.first.click()
        page.wait_for_load_state()


def test_type_with_or_without_accents_or_in_english_and_pick_with_the_keyboard(
    browser, live_sylva
) -> None:
    page = new_page(browser, live_sylva, DESKTOP)
    sign_in(page, "newcomer")
    page.goto("/me/skills/")
    held = page.locator(".editlist").first.inner_text()
    box = page.get_by_role("combobox", name="Compétence", exact=True)
    listbox = page.get_by_role("listbox", name="Compétence", exact=True)
    box.click()
    box.fill("réunion")
    found = listbox.get_by_role("option").filter(visible=True).all_inner_texts()
    assert found and any("réunion" in t.lower() for t in found)
    box.fill("REUNION")
    assert listbox.get_by_role("option").filter(visible=True).all_inner_texts() == found
    page.get_by_text(re.compile(r"^\d+ compétences?$")).wait_for()
    # a skill the newcomer does not hold yet, found by its English name
    options = page.locator("#id_add-skill option[data-name-en]")
    names = options.evaluate_all("os => os.map(o => [o.value, o.dataset.nameFr, o.dataset.nameEn])")
    value, french, english = next(n for n in names if n[1] not in held and n[1] != n[2])
    box.fill(english.lower())
    shown = listbox.get_by_role("option").filter(visible=True)
    assert french in shown.all_inner_texts()[0] or french in " ".join(shown.all_inner_texts())
    page.keyboard.press("Home")
    for _ in range(shown.count()):
        current = page.locator(".skillpicker-option.active").inner_text()
        if current.startswith(french):
            break
        page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant")
    page.keyboard.press("Enter")
    assert page.locator("#id_add-skill").input_value() == value
    assert box.input_value() == french and box.get_attribute("aria-expanded") == "false"
    # Escape closes the list and keeps the choice
    box.press("ArrowDown")
    assert listbox.is_visible()
    box.press("Escape")
    assert not listbox.is_visible() and box.input_value() == french
    try:
        page.click("button[name=add_skill]")
        page.wait_for_load_state()
        assert french in page.locator(".editlist").first.inner_text()
    finally:
        _remove_skill(page, french)
    assert french not in page.locator(".editlist").first.inner_text()
    page.context.close()


def test_pick_by_touch_on_a_phone_remove_a_chip_and_publish(browser, live_sylva) -> None:
    page = new_page(browser, live_sylva, PHONE)
    sign_in(page, "newcomer")
    page.goto("/exchange/requests/new/")
    box = page.get_by_role("combobox", name="Compétences", exact=True)
    box.tap()
    options = page.locator("#id_skills option")
    picked = options.evaluate_all(
        "os => os.slice(-3).map(o => [o.value, o.dataset.nameFr])"
    )  # three skills at the end of the list, unlikely to be requested already
    for _value, name in picked:
        box.fill(name[:6])
        option = page.get_by_role("option", name=name, exact=True)
        height = option.bounding_box()["height"]
        assert height >= 44, f"a {height}px target on a phone"
        option.tap()
    chips = page.get_by_role("list", name="Compétences choisies")
    assert chips.get_by_role("listitem").count() == 3
    assert_fits(page, PHONE["width"])
    # remove the second with its own named button
    chips.get_by_role("button", name=f"Retirer {picked[1][1]}", exact=True).tap()
    assert chips.get_by_role("listitem").count() == 2
    chosen = page.locator("#id_skills").evaluate("s => [...s.selectedOptions].map(o => o.value)")
    assert sorted(chosen) == sorted([picked[0][0], picked[2][0]])
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(re.compile(r".*/exchange/requests/\d+/$"))
    try:
        # the request's own facts (its suggestions may name the removed skill: a neighbour)
        text = page.locator("main dl.facts").first.inner_text()
        assert picked[0][1] in text and picked[2][1] in text and picked[1][1] not in text
    finally:
        page.locator("main").get_by_role("button", name="Fermer", exact=True).click()
        page.wait_for_load_state()
    page.context.close()


def test_at_most_five_skills_and_the_picker_follows_the_select(browser, live_sylva) -> None:
    page = new_page(browser, live_sylva, DESKTOP)
    sign_in(page, "newcomer")
    page.goto("/exchange/offers/new/")
    values = page.locator("#id_skills option").evaluate_all("os => os.map(o => o.value)")
    page.select_option("#id_skills", values[:5])  # a change made to the select shows
    chips = page.get_by_role("list", name="Compétences choisies")
    assert chips.get_by_role("listitem").count() == 5
    box = page.get_by_role("combobox", name="Compétences", exact=True)
    box.click()
    box.press("ArrowDown")
    free = page.locator(".skillpicker-option[aria-selected=false]").first
    assert free.get_attribute("aria-disabled") == "true"
    free.click(force=True)  # Playwright will not click an aria-disabled option; a person can
    assert chips.get_by_role("listitem").count() == 5
    assert "au plus" in page.locator(".skillpicker-status").inner_text()
    page.context.close()


def test_without_javascript_the_select_still_submits(browser, live_sylva) -> None:
    context = browser.new_context(
        base_url=live_sylva, viewport=DESKTOP, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, "newcomer")
    page.goto("/me/skills/")
    assert page.get_by_role("combobox", name="Compétence", exact=True).count() == 1
    held = page.locator(".editlist").first.inner_text()
    options = page.locator("#id_add-skill optgroup option")
    names = options.evaluate_all("os => os.map(o => [o.value, o.dataset.nameFr])")
    value, name = next(n for n in names if n[1] not in held)
    page.select_option("#id_add-skill", value)
    try:
        page.click("button[name=add_skill]")
        page.wait_for_load_state()
        assert name in page.locator(".editlist").first.inner_text()
    finally:
        _remove_skill(page, name)
    context.close()
