"""The daily rendez-vous in Chromium: the header's count and progress bar follow each
answer (the server sends them again with its feedback), and the end summary lists what was
right and wrong and when each card comes back; a card of a module in another language than
the reader's says so.

The learner is a seeded colleague whom no other browser test signs in as; their memory is
cleared first (so that today's cards are new ones) and again at the end."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import PHONE, assert_fits, new_page, sign_in

DEMO = ("newcomer", "expert", "field", "manager", "animator", "designer", "admin")
LEARNER_TABLES = ("microlearning_review", "microlearning_memory", "microlearning_learner")


def fresh_learner(database: Path, rank: int) -> tuple[str, int]:
    """The username and person id of a seeded colleague (not a demo persona): the
    ``rank``-th from the end, each test file its own, their memory cleared."""
    marks = ",".join("?" * len(DEMO))
    with sqlite3.connect(database) as db:
        username, person_id = db.execute(
            "SELECT u.username, p.id FROM auth_user u JOIN people_person p ON p.user_id = u.id"
            f" WHERE u.username NOT IN ({marks}) AND u.is_active ORDER BY u.id DESC"
            " LIMIT 1 OFFSET ?",
            [*DEMO, rank],
        ).fetchone()
    forget(database, person_id)
    return str(username), int(person_id)


def forget(database: Path, person_id: int) -> None:
    with sqlite3.connect(database) as db:
        for table in LEARNER_TABLES:
            db.execute(f"DELETE FROM {table} WHERE person_id = ?", [person_id])


def options_of(database: Path, card_id: str) -> list[dict[str, Any]]:
    with sqlite3.connect(database) as db:
        (options,) = db.execute(
            "SELECT options FROM microlearning_card WHERE id = ?", [int(card_id)]
        ).fetchone()
    return list(json.loads(options or "[]"))


def answer(page: Any, database: Path, right: bool) -> tuple[str, str, bool | None]:
    """Answer the visible card, rightly or wrongly when it has a right answer; wait for the
    server's feedback. (card id, title, what the feedback said: True right, False wrong,
    None not graded)."""
    card = page.locator(".learncard:not([hidden])").first
    card_id, kind = str(card.get_attribute("data-card")), card.get_attribute("data-kind")
    title = card.locator("h2").inner_text()
    labels = card.locator(".option")
    if kind in ("single", "truefalse", "multiple"):
        correct = [o.get("correct", False) for o in options_of(database, card_id)]
        if kind == "multiple":
            for i, is_correct in enumerate(correct):
                if is_correct == right:
                    labels.nth(i).click()
            if not right and all(correct):  # nothing wrong to pick: leave one out
                labels.first.click()
        else:
            labels.nth(next(i for i, c in enumerate(correct) if c == right)).click()
    elif kind == "poll":
        labels.first.click()
    elif kind == "ordering":
        selects = card.locator("select")
        for i in range(selects.count()):
            selects.nth(i).select_option(str(i + 1))
    elif kind == "reflection":
        card.locator("textarea").fill("An idea to try at work.")
    card.locator("button[type=submit]").click()
    answered = page.locator(f".learncard.answered[data-card='{card_id}']")
    answered.locator("[data-next]").wait_for()
    feedback = answered.locator(".feedback")
    classes = feedback.get_attribute("class") or ""
    verdict = True if "right" in classes.split() else False if "wrong" in classes.split() else None
    return card_id, title, verdict


def head(page: Any) -> dict[str, Any]:
    bar = page.locator("#todayhead .progress")
    return {
        "answered": int(page.locator("#todayhead").get_attribute("data-answered")),
        "left": int(page.locator("#todayhead").get_attribute("data-left")),
        "text": page.locator("#todayhead .left").inner_text(),
        "percent": int(bar.get_attribute("aria-valuenow")),
        "width": bar.locator("span").evaluate("e => e.style.width"),
    }


@pytest.fixture
def learner(live_sylva: str, live_sylva_database: Path) -> Any:
    username, person_id = fresh_learner(live_sylva_database, rank=0)
    yield username, person_id
    forget(live_sylva_database, person_id)


def test_the_header_follows_each_answer_and_the_summary_says_when_cards_come_back(
    browser: Any, live_sylva: str, live_sylva_database: Path, learner: tuple[str, int]
) -> None:
    username, person_id = learner
    page = new_page(browser, live_sylva, PHONE, locale="en-GB")
    sign_in(page, username)
    page.goto("/learn/")
    assert page.locator("h1").inner_text() == "Today's rendez-vous"
    start = head(page)
    total = start["left"]
    assert total >= 2 and start["answered"] == 0 and start["percent"] == 0
    assert re.match(rf"· {total} cards left, ~\d+ min", start["text"]), start["text"]
    bar = page.locator("#todayhead .progress")
    assert bar.get_attribute("aria-valuetext") == f"0 of {total} cards answered"
    assert not page.locator("#done").is_visible()

    # the cards of a French module say so to a reader in English
    langs = page.locator(".learncard .cardmeta .tag.lang")
    assert langs.count() and set(langs.all_inner_texts()) <= {"French", "English"}
    assert page.locator(".learncard .cardmeta .tag.lang[data-lang=fr]").count()
    assert not page.locator(".learncard .cardmeta .tag.lang[data-lang=en]").count()

    verdicts: dict[str, tuple[str, bool | None]] = {}
    graded = 0
    for n in range(1, total + 1):
        # right, wrong, right, …: the day has both
        card_id, title, verdict = answer(page, live_sylva_database, right=graded % 2 == 0)
        graded += verdict is not None
        verdicts[card_id] = (title, verdict)
        now = head(page)
        assert (now["answered"], now["left"]) == (n, total - n), now
        assert now["percent"] == round(100 * n / total)
        assert now["width"] == f"{now['percent']}%"
        if n < total:
            left = total - n
            assert now["text"].startswith(f"· {left} card{'s' if left > 1 else ''} left"), now
            assert_fits(page, PHONE["width"])
            page.locator(f".learncard[data-card='{card_id}'] [data-next]").click()
            assert page.locator(".learncard:not([hidden]):not(.answered)").count()
        else:
            assert now["text"] == "· done for today"
            page.locator(f".learncard[data-card='{card_id}'] [data-next]").click()
    right = sum(1 for _t, v in verdicts.values() if v is True)
    wrong = sum(1 for _t, v in verdicts.values() if v is False)
    assert right and wrong, verdicts

    # the end: what was right and wrong, and when each card comes back
    done = page.locator("#done")
    done.wait_for()
    summary = page.locator("#summary")
    score = summary.locator(".summaryscore").inner_text()
    assert f"{right} right out of {right + wrong} question" in score, score
    assert "1 day in a row" in score and "next review" in score
    lines = summary.locator(".summarylist > li")
    assert lines.count() == total
    titles = {title: verdict for title, verdict in verdicts.values()}
    for i in range(total):
        line = lines.nth(i)
        title = line.locator(".question").inner_text()
        verdict = line.locator(".verdict").inner_text()
        expected = titles[title]
        if expected is True:
            assert verdict == "✓ Right" and "right" in (line.get_attribute("class") or "")
        elif expected is False:
            assert verdict == "✗ Wrong" and "wrong" in (line.get_attribute("class") or "")
        if expected is not None:
            when = line.locator(".due").inner_text()
            assert re.fullmatch(
                r"Comes back (later today|tomorrow|in \d+ (days?|weeks?|months?))", when
            ), when
    # a card answered wrong comes back sooner than a card answered right
    wrong_due = [
        lines.nth(i).locator(".due").inner_text()
        for i in range(total)
        if "wrong" in (lines.nth(i).get_attribute("class") or "")
    ]
    assert all(w in ("Comes back later today", "Comes back tomorrow") for w in wrong_due)
    assert_fits(page, PHONE["width"])

    # the server agrees once the page is loaded again
    page.reload()
    assert page.locator("#done").is_visible()
    assert page.locator("#todayhead .left").inner_text() == "· done for today"
    assert page.locator("#summary .summarylist > li").count() == total
    assert page.locator("#todayhead .progress").get_attribute("aria-valuenow") == "100"
    page.context.close()

    # in French, a French module's cards carry no language tag
    french = new_page(browser, live_sylva, PHONE, locale="fr-FR")
    sign_in(french, username)
    forget(live_sylva_database, person_id)
    french.goto("/learn/")
    assert french.locator(".learncard").count()
    assert not french.locator(".learncard .cardmeta .tag.lang[data-lang=fr]").count()
    french.context.close()
