"""A full offer is no dead end, clicked through at phone and desktop widths: in the demo,
the expert's offer has no place left this month and the newcomer's exchange on it is
proposed (the expert has accepted). Neither sees an Accept button that cannot work; both
see when a place frees and the next steps, and the newcomer proposes the same skill to a
colleague who has a place, in one click. The proposal is declined in ``finally``."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from tests.browser.conftest import assert_fits, new_page, screenshot, sign_in


def _stuck_exchange(database: Path) -> int:
    """The demo's proposed exchange of the newcomer on the expert's (full) offer."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        row = db.execute(
            """
            SELECT x.id FROM exchange_exchange x
            JOIN people_person t ON t.id = x.teacher_id JOIN auth_user tu ON tu.id = t.user_id
            JOIN people_person l ON l.id = x.learner_id JOIN auth_user lu ON lu.id = l.user_id
            WHERE tu.username = 'expert' AND lu.username = 'newcomer'
              AND x.state = 'proposed' AND x.offer_id IS NOT NULL
            ORDER BY x.id LIMIT 1
            """
        ).fetchone()
    assert row is not None, "the demo has no proposed exchange of the newcomer with the expert"
    return int(row[0])


def test_a_full_offer_offers_next_steps_to_both(  # type: ignore[no-untyped-def]
    browser, live_sylva, live_sylva_database, viewport
) -> None:
    width = viewport["width"]
    kind = "phone" if width < 600 else "desktop"
    url = f"/exchange/x/{_stuck_exchange(live_sylva_database)}/"
    expert = new_page(browser, live_sylva, viewport)
    newcomer = new_page(browser, live_sylva, viewport)
    created = ""
    try:
        sign_in(expert, "expert")
        expert.goto(url)
        assert expert.locator("#no-place").is_visible()
        assert not expert.locator("#accept").count()
        assert expert.locator("#next-steps #wait").is_visible()
        assert expert.locator("#raise-capacity").is_visible()
        assert not expert.locator(".propose-instead").count()
        assert expert.locator("#id_reason").input_value()  # a kind reason, written for them
        assert_fits(expert, width)

        sign_in(newcomer, "newcomer")
        newcomer.goto(url)
        assert newcomer.locator("#no-place").is_visible()
        assert not newcomer.locator("#accept").count()
        assert newcomer.locator("#next-steps #wait").is_visible()
        assert newcomer.locator("#step-decline a[href='#decline']").is_visible()
        assert_fits(newcomer, width)
        screenshot(newcomer, f"exchange-full-offer-{kind}")
        others = newcomer.locator("#other-offers .propose-instead")
        assert others.count(), "no colleague with a place on the skill in the demo"
        name = newcomer.locator("#other-offers .posting .title").first.inner_text()
        others.first.click()
        newcomer.wait_for_url(re.compile(r".*/exchange/x/\d+/$"))
        created = newcomer.url
        assert not created.endswith(url)
        assert name in newcomer.locator(".card .facts").inner_text()  # the new teacher
        assert newcomer.locator("h1 .state.proposed").is_visible()
        assert_fits(newcomer, width)
        newcomer.goto(url)  # the first one stays proposed, with its next steps
        assert newcomer.locator("#no-place").is_visible()
    finally:
        if created:  # undo: decline the proposal made here (it is over, on both sides)
            newcomer.goto(created)
            newcomer.fill("#id_reason", "Test du navigateur : annulé")
            newcomer.click("#decline button[type=submit]")
            newcomer.wait_for_load_state()
            assert newcomer.locator("h1 .state.declined").count()
        expert.context.close()
        newcomer.context.close()
