"""A learning circle's session in Chromium, on a 360 px phone: the expert (the demo
circle's facilitator) marks the attendance of session 2, held two days ago; the field
worker, a member, writes their reflection and the facilitator reads it. What is made here
(the attendance, the reflection, their events) is removed in ``finally``, as this demo
company is shared by the browser tests."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from tests.browser.conftest import PHONE, assert_fits, new_page, sign_in

RUNNING = "Cercle : réglages et changements de série"  # sylva.communities.demo.circles
REFLECTION = "Le préchauffage anticipé m'a fait gagner dix minutes au changement de série."


def _session(database: Path) -> tuple[int, int, int]:
    """(session 2's id, the field worker's person id, the last learning event's id)."""
    with sqlite3.connect(database) as db:
        (sid,) = db.execute(
            "SELECT s.id FROM communities_circlesession s JOIN communities_circle c"
            " ON c.id = s.circle_id WHERE c.title = ? AND s.number = 2",
            (RUNNING,),
        ).fetchone()
        (field,) = db.execute(
            "SELECT p.id FROM people_person p JOIN auth_user u ON u.id = p.user_id"
            " WHERE u.username = 'field'"
        ).fetchone()
        (last,) = db.execute("SELECT COALESCE(MAX(id), 0) FROM people_learningevent").fetchone()
    return sid, field, last


def _undo(database: Path, sid: int, field: int, last: int) -> None:
    with sqlite3.connect(database) as db:
        db.execute("DELETE FROM communities_attendance WHERE session_id = ?", (sid,))
        db.execute(
            "DELETE FROM communities_reflection WHERE session_id = ? AND person_id = ?",
            (sid, field),
        )
        db.execute("DELETE FROM people_learningevent WHERE id > ?", (last,))


def test_attendance_then_a_reflection_on_a_phone(
    browser: Any, live_sylva: str, live_sylva_database: Path
) -> None:
    sid, field_id, last = _session(live_sylva_database)
    expert = new_page(browser, live_sylva, PHONE, locale="en-GB")
    field = None
    try:
        sign_in(expert, "expert")
        expert.goto(f"/communities/circles/sessions/{sid}/")
        assert_fits(expert, PHONE["width"])
        boxes = expert.locator("#attendance input[name=present]:not([disabled])")
        assert boxes.count() >= 3  # the members, the facilitator's own box is fixed
        expert.locator(f"#present-{field_id}").check()
        expert.click("#save-attendance")
        expert.wait_for_url(re.compile(rf".*/communities/circles/sessions/{sid}/.*"))
        assert expert.locator(f"#present-{field_id}").is_checked()

        field = new_page(browser, live_sylva, PHONE, locale="en-GB")
        sign_in(field, "field")
        field.goto(f"/communities/circles/sessions/{sid}/")
        assert not field.locator("#save-attendance").count()  # only the facilitator marks
        assert_fits(field, PHONE["width"])
        field.fill("#reflections textarea[name=text]", REFLECTION)
        field.click("#send-reflection")
        field.wait_for_url(re.compile(rf".*/communities/circles/sessions/{sid}/.*"))
        assert REFLECTION in field.locator("#reflections").inner_text()
        assert not field.locator("#send-reflection").count()  # once per session

        expert.goto(f"/communities/circles/sessions/{sid}/")
        assert REFLECTION in expert.locator("#reflections").inner_text()
    finally:
        _undo(live_sylva_database, sid, field_id, last)
        expert.context.close()
        if field is not None:
            field.context.close()
