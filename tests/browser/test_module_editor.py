"""The module's form editor in Chromium, at 360 px and 1280 px: a designer builds a two-card
module card by card (a card added then removed, one moved up), previews it on the phone
frame and saves it; the Markdown editor then shows the same module as text."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tests.browser.conftest import assert_fits, new_page, sign_in


def _forget(database: Path, code: str) -> None:
    """The module made by the test goes, so that the demo stays as other tests expect it."""
    with sqlite3.connect(database) as db:
        ids = [
            r[0] for r in db.execute("SELECT id FROM microlearning_module WHERE code = ?", (code,))
        ]
        for pk in ids:
            db.execute("DELETE FROM microlearning_card WHERE module_id = ?", (pk,))
            db.execute("DELETE FROM microlearning_module_skills WHERE module_id = ?", (pk,))
            db.execute("DELETE FROM microlearning_module WHERE id = ?", (pk,))


def test_a_designer_builds_a_module_card_by_card(
    browser: Any, live_sylva: str, live_sylva_database: Path, viewport: dict[str, int]
) -> None:
    code = f"essai-formulaire-{viewport['width']}"
    page = new_page(browser, live_sylva, viewport)
    try:
        sign_in(page, "designer")
        page.goto("/learn/modules/new/")
        cards = page.locator("[data-card]:visible")
        assert cards.count() == 2  # the starter: a lesson and a question, in French
        page.fill("#id_module-code", code)
        page.fill("#id_module-title", "Essai du formulaire")
        page.fill("#id_cards-0-title", "Les gants de coupe")
        page.fill("#id_cards-0-body", "On les porte **pour toute coupe**.")
        page.get_by_role("button", name="Ajouter une carte").click()
        assert cards.count() == 3
        third = cards.nth(2)
        third.get_by_label("Type").select_option("multiple")
        third.get_by_label("Titre ou question").fill("Quand porter les gants ?")
        third.get_by_label("Réponse 1", exact=True).fill("Pour couper un film")
        third.get_by_label("La réponse 1 est juste").check()
        third.get_by_label("Réponse 2", exact=True).fill("Pour changer une lame")
        third.get_by_label("La réponse 2 est juste").check()
        third.get_by_label("Réponse 3", exact=True).fill("Pour taper au clavier")
        cards.nth(1).get_by_role("button", name="Retirer cette carte").click()  # the starter's
        assert cards.count() == 2
        cards.nth(1).get_by_role("button", name="Monter").click()
        assert "Quand porter" in cards.nth(0).get_by_label("Titre ou question").input_value()
        assert_fits(page, viewport["width"])

        page.get_by_role("button", name="Aperçu", exact=True).click()
        preview = page.locator("#preview")
        page.wait_for_function(  # the last preview asked for (earlier ones may still land)
            "() => { const t = document.querySelector('#preview').innerText;"
            " return t.includes('Pour taper')"
            " && t.indexOf('Quand porter') < t.indexOf('Les gants'); }"
        )
        shown = preview.inner_text()
        assert "Une question pour vérifier" not in shown  # the removed card

        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_url(f"**/learn/modules/{code}/")
        assert "2 cartes ajoutées" in page.locator("main").inner_text()

        page.get_by_role("link", name="Modifier").click()
        page.get_by_role("button", name="Markdown").click()
        text = page.locator("#id_text").input_value()
        assert f"code: {code}\n" in text
        assert text.index("## multiple: Quand porter les gants ?") < text.index(
            "## lesson: Les gants de coupe"
        )
        assert "- [x] Pour changer une lame\n- [ ] Pour taper au clavier" in text
        assert "On les porte **pour toute coupe**." in text
        assert_fits(page, viewport["width"])
    finally:
        page.context.close()
        _forget(live_sylva_database, code)
