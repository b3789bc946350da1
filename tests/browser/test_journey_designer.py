"""The designer's main journeys, walked by clicking from the home page (only /login/ is
typed), on a 360 px phone and a 1280 px desktop, in French and in English: a new module built
card by card in the form editor (the default) with its phone preview, seen as Markdown and
back in the form with nothing lost, saved, published; the microlearning statistics and a
module's own; a campaign that sends the new module (starting in a later year, so that it
reaches nobody during the walk).

The module and the campaign are removed in ``finally`` (the demo company is shared by every
browser test), and the account gets its French back."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.browser.conftest import assert_fits, new_page, sign_in
from tests.browser.conftest import nav as _nav


def _forget(database: Path, code: str, campaign: str) -> None:
    """What the walk made goes, so that the demo stays as other tests expect it."""
    with sqlite3.connect(database) as db:
        for (pk,) in db.execute(
            "SELECT id FROM microlearning_campaign WHERE name = ?", (campaign,)
        ).fetchall():
            for table in ("departments", "populations", "sites", "teams"):
                db.execute(
                    f"DELETE FROM microlearning_campaign_{table} WHERE campaign_id = ?", (pk,)
                )
            db.execute("DELETE FROM microlearning_campaignmodule WHERE campaign_id = ?", (pk,))
            db.execute(
                "UPDATE microlearning_memory SET campaign_id = NULL WHERE campaign_id = ?", (pk,)
            )
            db.execute("DELETE FROM microlearning_campaign WHERE id = ?", (pk,))
        for (pk,) in db.execute(
            "SELECT id FROM microlearning_module WHERE code = ?", (code,)
        ).fetchall():
            cards = "SELECT id FROM microlearning_card WHERE module_id = ?"
            db.execute(f"DELETE FROM microlearning_review WHERE card_id IN ({cards})", (pk,))
            db.execute(f"DELETE FROM microlearning_memory WHERE card_id IN ({cards})", (pk,))
            db.execute("DELETE FROM microlearning_campaignmodule WHERE module_id = ?", (pk,))
            db.execute("DELETE FROM microlearning_card WHERE module_id = ?", (pk,))
            db.execute("DELETE FROM microlearning_module_skills WHERE module_id = ?", (pk,))
            db.execute("DELETE FROM microlearning_module WHERE id = ?", (pk,))
        # its publication's "authored" moment, which the designer's feed would show
        db.execute(
            "DELETE FROM people_learningevent WHERE object_id LIKE ?", (f"%/learn/module/{code}",)
        )


def _module(page, width: int, code: str, title: str) -> None:  # type: ignore[no-untyped-def]
    _nav(page, "/learn/modules/")
    page.wait_for_url("**/learn/modules/")
    assert page.locator("h1").is_visible()
    assert_fits(page, width)
    page.locator('main a[href="/learn/modules/new/"]').first.click()
    page.wait_for_url("**/learn/modules/new/")
    # the form editor is the default: a starter of two cards
    assert page.locator("button[name=switch][value=form]").get_attribute("aria-pressed") == "true"
    cards = page.locator("[data-card]:visible")
    assert cards.count() == 2
    page.fill("#id_module-code", code)
    page.fill("#id_module-title", title)
    page.locator("#id_cards-0-kind").select_option("lesson")
    page.fill("#id_cards-0-title", "Les gants anti-coupure")
    page.fill("#id_cards-0-body", "On les porte **pour toute coupe** de film.")
    page.locator("#id_cards-1-kind").select_option("single")
    page.fill("#id_cards-1-title", "Quand porter les gants ?")
    for n, text in enumerate(("Pour toute coupe", "Jamais", "Le lundi"), start=1):
        page.fill(f"#id_cards-1-option_{n}", text)
    page.check("#id_cards-1-right_1")
    # a third card, added in the page
    page.locator("[data-add-card]").click()
    assert cards.count() == 3
    page.locator("#id_cards-2-kind").select_option("truefalse")
    page.fill("#id_cards-2-title", "La lame se change gants aux mains.")
    page.fill("#id_cards-2-option_1", "Vrai")
    page.fill("#id_cards-2-option_2", "Faux")
    page.check("#id_cards-2-right_1")
    assert_fits(page, width)
    # the phone preview follows the form
    page.locator("#module-form .actions button[type=button]").click()
    page.wait_for_function(  # the last preview asked for (earlier ones may still land)
        "() => { const t = document.querySelector('#preview').innerText;"
        " return t.includes('La lame se change') && t.includes('Les gants anti-coupure'); }"
    )
    assert page.locator("#preview .learncard").count() == 3

    # seen as Markdown, then back in the form: the same three cards
    page.locator("button[name=switch][value=markdown]").click()
    page.wait_for_load_state()
    text = page.locator("#id_text").input_value()
    assert f"code: {code}" in text
    assert "## single: Quand porter les gants ?" in text
    assert "- [x] Pour toute coupe" in text
    assert text.index("Les gants anti-coupure") < text.index("La lame se change")
    assert_fits(page, width)
    page.locator("button[name=switch][value=form]").click()
    page.wait_for_load_state()
    assert page.locator("[data-card]:visible").count() == 3
    assert page.locator("#id_cards-2-title").input_value() == "La lame se change gants aux mains."
    assert page.locator("#id_cards-1-right_1").is_checked()

    # saved, then published
    page.locator("#module-form button[type=submit].primary").click()
    page.wait_for_url(f"**/learn/modules/{code}/")
    assert title in page.locator("h1").inner_text()
    assert page.locator(".msg").first.is_visible()
    assert_fits(page, width)
    page.locator("form[action$='/publish/'] button.primary").click()
    page.wait_for_url(f"**/learn/modules/{code}/")
    assert page.locator(".msg").first.is_visible()
    assert page.locator("form[action$='/publish/'] button[name=unpublish]").is_visible()


def _analytics(page, width: int, code: str) -> None:  # type: ignore[no-untyped-def]
    page.locator('main a[href="/learn/analytics/"]').first.click()
    page.wait_for_url("**/learn/analytics/")
    assert page.locator("h1").is_visible()
    rows = page.locator("main table tbody tr")
    assert rows.count() >= 1
    assert_fits(page, width)
    # a module the demo's learners did: its own statistics
    page.locator('main table a[href^="/learn/analytics/"]').first.click()
    page.wait_for_url(re.compile(r".*/learn/analytics/[\w-]+/$"))
    assert page.locator("h1").is_visible()
    assert_fits(page, width)


def _campaign(page, width: int, title: str, name: str) -> None:  # type: ignore[no-untyped-def]
    page.locator('main a[href="/learn/campaigns/"]').first.click()
    page.wait_for_url("**/learn/campaigns/")
    assert page.locator("h1").is_visible()
    assert_fits(page, width)
    page.locator('main a[href="/learn/campaigns/new/"]').first.click()
    page.wait_for_url("**/learn/campaigns/new/")
    page.fill("#id_name", name)
    page.locator("label", has_text=title).locator("input[type=checkbox]").check()
    page.fill("#id_new_cards", "2")
    page.fill("#id_starts_on", "2031-01-06")
    assert_fits(page, width)
    page.locator("main form button[type=submit].primary").click()
    page.wait_for_url("**/learn/campaigns/")
    row = page.locator("main table tbody tr", has_text=name)
    assert row.count() == 1
    assert title in row.inner_text()
    assert_fits(page, width)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_designer_builds_publishes_and_sends_a_module_by_clicking(
    browser, live_sylva, live_sylva_database, viewport, lang
) -> None:
    width = viewport["width"]
    code = f"parcours-concepteur-{width}-{lang}"
    title = f"Parcours du concepteur {width} {lang}"
    campaign = f"Campagne du parcours {width} {lang}"
    page = new_page(browser, live_sylva, viewport)
    sign_in(page, "designer")
    try:
        if lang == "en":
            page.click(".langswitch button[value=en]")
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == lang
        assert_fits(page, width)
        _module(page, width, code, title)
        _analytics(page, width, code)
        _campaign(page, width, title, campaign)
    finally:
        if page.locator("html").get_attribute("lang") != "fr":
            page.click(".langswitch button[value=fr]")
            page.wait_for_load_state()
        page.context.close()
        _forget(live_sylva_database, code, campaign)
