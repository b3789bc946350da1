"""Re-importing a demo module in Chromium, at phone size: the designer exports it, inserts a
card at the top, moves one and rewords a question; the import page shows what will change
and writes nothing until confirmed; after *Apply*, every card that was kept is the same row
with the same answers (matched by key, not by position)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tests.browser.conftest import PHONE, assert_fits, new_page, sign_in

CODE = "chariot-securite"


def _cards(database: Path) -> dict[int, tuple[str, int, int]]:
    """Each card of the module: its title, its position and how many answers it has."""
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT c.id, c.title, c.position, (SELECT COUNT(*) FROM microlearning_review r"
            " WHERE r.card_id = c.id) FROM microlearning_card c JOIN microlearning_module m"
            " ON m.id = c.module_id WHERE m.code = ? AND c.retired_at IS NULL",
            (CODE,),
        ).fetchall()
    return {pk: (title, position, answers) for pk, title, position, answers in rows}


def test_an_import_previews_then_keeps_every_card_on_its_history(
    browser: Any,
    live_sylva: str,
    live_sylva_database: Path,
    tmp_path: Path,
) -> None:
    page = new_page(browser, live_sylva, PHONE)
    sign_in(page, "designer")
    text = page.request.get(f"/learn/modules/{CODE}/export/").text()
    before = _cards(live_sylva_database)
    assert sum(a for _t, _p, a in before.values()) > 0  # the demo learners answered them
    head, *cards = text.split("\n## ")
    question = next(c for c in cards if c.startswith("single:"))
    reworded = question.replace("?", ", au plus ?", 1)
    edited = [
        "lesson: Nouveau : la zone piétonne\nLes allées piétonnes sont marquées en vert.\n",
        *[reworded if c == question else c for c in cards[1:]],
        cards[0],
    ]
    path = tmp_path / f"{CODE}.md"
    path.write_text("\n## ".join([head, *edited]), encoding="utf-8")

    page.goto("/learn/modules/import/")
    page.set_input_files("#id_file", str(path))
    page.click("form.form button[type=submit].primary")
    plan = page.locator(".import-plan")
    plan.wait_for()
    said = plan.inner_text()
    assert "1 carte ajoutée" in said and "Nouveau : la zone piétonne" in said
    assert "1 carte modifiée" in said and "question" in said
    assert "1 carte déplacée" in said
    assert_fits(page, PHONE["width"])
    assert _cards(live_sylva_database) == before  # the preview wrote nothing

    page.click("button[type=submit].primary")
    page.wait_for_url(f"**/learn/modules/{CODE}/")
    after = _cards(live_sylva_database)
    assert len(after) == len(before) + 1
    for pk, (title, _position, answers) in before.items():
        assert after[pk][2] == answers  # its answers stayed on it
        if title != question.split(":", 1)[1].split("{#")[0].strip():
            assert after[pk][0] == title  # the same content
    titles = [t for t, _p, _a in sorted(after.values(), key=lambda row: row[1])]
    assert titles[0] == "Nouveau : la zone piétonne"
    assert titles[-1] == before[min(before, key=lambda pk: before[pk][1])][0]
    page.context.close()
