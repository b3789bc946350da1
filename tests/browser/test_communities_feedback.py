"""A manager's field feedback in Chromium, on a 360 px phone: the manager persona gives
feedback to a member of their team; the person finds it in their inbox, reads it and
answers; the manager reads the answer. Everything made here is removed in ``finally``
(the feedback, its notifications and deliveries, its event), as this demo company is
shared by the browser tests."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from tests.browser.conftest import PHONE, assert_fits, new_page, sign_in

WENT_WELL = "Tu as annoncé l'arrêt à l'équipe avant de changer la filière."
ANSWER = "Merci, je préchauffe la filière dès la fin de série."


def _undo(database: Path, pk: int) -> None:
    with sqlite3.connect(database) as db:
        keys = (f"feedback:{pk}:given", f"feedback:{pk}:answered")
        ids = [
            row[0]
            for row in db.execute(
                "SELECT id FROM notifications_notification WHERE key IN (?, ?)", keys
            )
        ]
        for nid in ids:
            db.execute("DELETE FROM notifications_delivery WHERE notification_id = ?", (nid,))
            db.execute("DELETE FROM notifications_notification WHERE id = ?", (nid,))
        db.execute(
            "DELETE FROM people_learningevent WHERE object_id LIKE ?",
            (f"%/communities/feedback/{pk}",),
        )
        db.execute("DELETE FROM communities_fieldfeedback WHERE id = ?", (pk,))


def test_feedback_given_read_and_answered_on_a_phone(
    browser: Any, live_sylva: str, live_sylva_database: Path
) -> None:
    manager = new_page(browser, live_sylva, PHONE, locale="en-GB")
    person_page = None
    pk = None
    try:
        sign_in(manager, "manager")
        manager.goto("/communities/feedback/")
        assert manager.locator("#rhythm").is_visible()  # a team of 5 or more: the rhythm
        manager.click("#give-feedback")
        manager.wait_for_url(re.compile(r".*/communities/feedback/new/$"))
        assert_fits(manager, PHONE["width"])
        option = manager.locator("#id_person option").nth(1)
        person_id = option.get_attribute("value")
        manager.select_option("#id_person", person_id)
        manager.fill("#id_situation", "Changement de série de mardi matin.")
        manager.fill("#id_went_well", WENT_WELL)
        manager.fill("#id_to_improve", "Anticiper le préchauffage.")
        manager.fill("#id_next_step", "Le conduire seul la prochaine fois.")
        manager.click("button[type=submit].primary")
        manager.wait_for_url(re.compile(r".*/communities/feedback/\d+/$"))
        pk = int(manager.url.rstrip("/").rsplit("/", 1)[-1])
        assert WENT_WELL in manager.locator("#feedback").inner_text()
        assert_fits(manager, PHONE["width"])

        with sqlite3.connect(live_sylva_database) as db:
            (username,) = db.execute(
                "SELECT u.username FROM people_person p JOIN auth_user u ON u.id = p.user_id"
                " WHERE p.id = ?",
                (int(person_id),),  # type: ignore[arg-type]
            ).fetchone()
        person_page = new_page(browser, live_sylva, PHONE, locale="en-GB")
        sign_in(person_page, username)
        person_page.goto("/inbox/")
        item = person_page.locator(
            "li.inboxitem", has=person_page.locator(f"a[href^='/communities/feedback/{pk}/']")
        )
        assert item.count() >= 1
        item.first.locator(f"a[href^='/communities/feedback/{pk}/']").first.click()
        person_page.wait_for_url(re.compile(rf".*/communities/feedback/{pk}/.*"))
        assert WENT_WELL in person_page.locator("#feedback").inner_text()
        assert_fits(person_page, PHONE["width"])
        person_page.fill("#id_answer", ANSWER)
        person_page.click("#send-answer")
        person_page.wait_for_url(re.compile(rf".*/communities/feedback/{pk}/$"))
        assert person_page.locator("#id_answer").input_value() == ANSWER

        manager.goto(f"/communities/feedback/{pk}/")
        assert ANSWER in manager.locator("#answer-text").inner_text()
        assert_fits(manager, PHONE["width"])
    finally:
        if pk is not None:
            _undo(live_sylva_database, pk)
        manager.context.close()
        if person_page is not None:
            person_page.context.close()
