"""Microlearning in Chromium, at phone size: a designer writes and publishes a module and a
campaign; a learner does today's rendez-vous (a wrong answer shows the explanation); two
colleagues play a duel (the challenged one accepts the invitation first); a light resource
is drafted and approved; the offline queue never loses an answer — sent once back online,
kept through a stale CSRF token and an ended session (signing in again), answers made
yesterday counted yesterday, once."""

from __future__ import annotations

import re
import time
import unicodedata
from typing import Any

import pytest

from tests.browser.conftest import (
    DESKTOP,
    PASSWORD,
    PHONE,
    assert_fits,
    new_page,
    screenshot,
    sign_in,
)

MODULE = """---
code: browser-chariot
title: Chariot en sécurité (navigateur)
topic: Sécurité
language: fr
minutes: 2
skills: []
---

## lesson: Le tour du chariot
Avant de démarrer, on fait **le tour du chariot**.

## single: Vitesse maximale dans les allées ?
- [ ] 15 km/h
- [x] 6 km/h
> La vitesse est limitée à 6 km/h dans les allées.

## truefalse: On peut porter un collègue sur les fourches.
- [ ] Vrai
- [x] Faux
> Jamais : les fourches ne sont pas un poste de travail.

## single: Quand lever la charge ?
- [x] À l'arrêt, devant le rack
- [ ] En roulant
> On ne roule jamais charge haute.
"""

EXPLANATIONS = [line[2:] for line in MODULE.splitlines() if line.startswith("> ")]
RIGHT = {
    "Vitesse maximale dans les allées ?": 1,
    "On peut porter un collègue sur les fourches.": 1,
    "Quand lever la charge ?": 0,
}

TIP = MODULE.replace("code: browser-chariot", "code: browser-astuce").replace(
    "title: Chariot en sécurité (navigateur)", "title: Mon astuce de filmage"
)


@pytest.fixture(scope="module")
def content(browser: Any, live_sylva: str) -> str:
    """A designer writes the module in the browser, publishes it, and sends it to everyone
    with a campaign (started long ago, so its cards come first among new cards)."""
    page = new_page(browser, live_sylva, DESKTOP)
    sign_in(page, "designer")
    page.goto("/learn/modules/new/")
    page.get_by_role("button", name="Markdown").click()  # the form editor is the default
    page.fill("#id_text", MODULE)
    page.locator("#preview .learncard").first.wait_for()  # the phone preview follows
    page.click("#module-form button[type=submit].primary")
    page.wait_for_url("**/learn/modules/browser-chariot/")
    page.click("form[action$='/publish/'] button.primary")
    page.wait_for_load_state()
    assert "publié" in page.locator("main").inner_text().lower()
    page.goto("/learn/campaigns/new/")
    page.fill("#id_name", "Chariot pour tous")
    page.get_by_label("Chariot en sécurité (navigateur)").check()
    page.fill("#id_new_cards", "10")
    page.fill("#id_starts_on", "2020-01-01")
    page.click("form.form button[type=submit].primary")
    page.wait_for_url("**/learn/campaigns/")
    page.context.close()
    return "browser-chariot"


def _answer_visible_card(page: Any, wrong_title: str | None = None) -> str:
    card = page.locator(".learncard:not([hidden])").first
    title = card.locator("h2").inner_text()
    kind = card.get_attribute("data-kind")
    if kind in ("single", "truefalse", "poll"):
        labels = card.locator(".option")
        if title == wrong_title:
            labels.filter(has_text="15 km/h").click()
        else:
            labels.first.click()
    elif kind == "multiple":
        card.locator(".option").first.click()
    elif kind == "ordering":
        selects = card.locator("select")
        for i in range(selects.count()):
            selects.nth(i).select_option(str(i + 1))
    elif kind == "reflection":
        card.locator("textarea").fill("Une idée à creuser.")
    card.locator("button[type=submit]").click()
    card = page.locator(f".learncard[data-card='{card.get_attribute('data-card')}']")
    card.locator("[data-next]").wait_for()
    return title


def test_do_todays_rendez_vous_and_see_the_explanation_of_a_wrong_answer(
    browser: Any, live_sylva: str, content: str
) -> None:
    page = new_page(browser, live_sylva, PHONE)
    sign_in(page, "newcomer")
    page.goto("/learn/")
    assert page.locator("h1").inner_text() == "Rendez-vous du jour"
    assert_fits(page, PHONE["width"])
    # nothing of the answers is in the page before the server grades them: no explanation
    # in the DOM, its templates or its scripts
    html = page.content()
    assert all(e not in html for e in EXPLANATIONS) and "explanation" not in html
    seen_explanation = False
    for _ in range(30):
        if page.locator("#done").is_visible():
            break
        title = _answer_visible_card(page, wrong_title="Vitesse maximale dans les allées ?")
        feedback = page.locator(".learncard:not([hidden]) .feedback")
        if title == "Vitesse maximale dans les allées ?":
            assert "Pas tout à fait" in feedback.inner_text()
            assert "limitée à 6 km/h" in feedback.inner_text()
            assert_fits(page, PHONE["width"])
            screenshot(page, "learn-wrong-answer-phone")
            seen_explanation = True
        page.locator(".learncard:not([hidden]) [data-next]").click()
    assert seen_explanation
    assert page.locator("#done").is_visible()
    page.goto("/learn/")  # the server agrees: done for today
    assert page.locator("#done").is_visible()
    assert "1 jour" in page.locator(".streak").inner_text()
    page.context.close()


def _username_of(browser: Any, live_sylva: str, full_name: str) -> str:
    """Look a colleague's account up the way an administrator would."""
    page = new_page(browser, live_sylva, DESKTOP)
    sign_in(page, "admin")
    page.goto("/admin/auth/user/?q=" + full_name.replace(" ", "+"))
    username = page.locator("#result_list tbody tr th a").first.inner_text()
    page.context.close()
    return str(username)


def _play_duel(page: Any) -> None:
    for _ in range(20):
        if page.locator(".duelresult").count():
            return
        after = page.locator(".duelfeedback a.next")  # a question's feedback, then the next
        if after.count():
            after.click()
            page.locator(".duelcard, .duelresult").first.wait_for()
            continue
        card = page.locator(".duelcard")
        card.locator(".option").first.click()
        number = card.get_attribute("data-card")
        card.locator("button[type=submit]").click()
        page.wait_for_function(
            "n => !document.querySelector(`.duelcard[data-card='${n}']`)", arg=number
        )


def test_do_todays_cards_on_the_home_page(browser: Any, live_sylva: str, content: str) -> None:
    """A learner opens Sylva on the phone and does today's cards at ``/``, no other click."""
    page = new_page(browser, live_sylva, PHONE)
    sign_in(page, "animator")
    page.goto("/")
    panel = page.locator(".todaypanel")
    assert "Rendez-vous du jour" in panel.locator("h2").first.inner_text()
    assert_fits(page, PHONE["width"])
    streak = int(re.sub(r"\D", "", panel.locator(".streak").inner_text()))
    answered = 0
    for _ in range(30):
        if page.locator("#done").is_visible():
            break
        _answer_visible_card(page)
        assert page.url.rstrip("/") == live_sylva.rstrip("/")  # answered in place
        if answered == 0:
            assert_fits(page, PHONE["width"])
            screenshot(page, "learn-home-today-phone")
        page.locator(".learncard:not([hidden]) [data-next]").click()
        answered += 1
    assert answered and page.locator("#done").is_visible()
    page.goto("/")  # the server agrees: done for today, one more day in a row
    assert page.locator("#done").is_visible()
    assert f"{streak + 1} jour" in panel.locator(".streak").inner_text()
    page.context.close()


def test_start_and_finish_a_duel_then_ask_for_a_rematch(
    browser: Any, live_sylva: str, content: str
) -> None:
    page = new_page(browser, live_sylva, PHONE)
    sign_in(page, "field")
    page.goto("/learn/challenges/")
    assert_fits(page, PHONE["width"])
    # a colleague of another department, found by name typed without accents
    me = page.evaluate("fetch('/api/v1/me').then(r => r.json())")
    people = page.evaluate("fetch('/api/v1/people?page_size=100').then(r => r.json())")
    mine = (me.get("department") or {}).get("code")
    other_department = next(
        p
        for p in people["items"]
        if p["id"] != me["id"] and p["department"] and p["department"]["code"] != mine
    )
    opponent = other_department["full_name"]
    typed = "".join(
        c for c in unicodedata.normalize("NFD", opponent.lower()) if not unicodedata.combining(c)
    )
    page.fill("#id_who", typed)
    choice = page.locator(f"#colleagues input[value='{other_department['id']}']")
    choice.wait_for()
    assert other_department["department"]["name"] in page.locator("#colleagues").inner_text()
    assert_fits(page, PHONE["width"])
    choice.check()
    page.select_option("#id_module", label="Chariot en sécurité (navigateur)")
    page.click("#duel-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/learn/duels/\d+/$"))
    duel_url = page.url
    # the server times the question: claiming 0 ms after six seconds gives no full points
    question = page.locator(".duelcard")
    title, card_id = question.locator("h2").inner_text(), question.get_attribute("data-card")
    page.wait_for_timeout(6000)
    body = page.evaluate(
        """([url, card]) => fetch(url, {method: 'POST', credentials: 'same-origin',
             headers: {'Content-Type': 'application/json', 'X-CSRFToken':
             JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']},
             body: JSON.stringify(card)}).then(r => r.json())""",
        [
            "/api/v1/learn/duels/" + duel_url.rstrip("/").rsplit("/", 1)[1] + "/answers",
            {"card_id": int(card_id or 0), "response": [RIGHT[title]], "duration_ms": 0},
        ],
    )
    assert 100 <= body["my_score"] <= 140, body
    page.reload()
    _play_duel(page)
    assert "Vous avez terminé" in page.locator(".duelresult").inner_text()
    page.context.close()

    other = new_page(browser, live_sylva, PHONE)
    sign_in(other, _username_of(browser, live_sylva, opponent))
    other.goto("/learn/challenges/")
    link = other.locator(f"a[href='{duel_url.split(live_sylva, 1)[1]}']")
    assert "à vous" in link.locator("xpath=..").inner_text()  # their turn: to answer it
    link.click()
    # a challenge is an invitation: accepted at phone width before anything is served
    invite = other.locator(".duelinvite")
    assert "vous défie" in invite.inner_text() and not other.locator(".duelcard").count()
    assert_fits(other, PHONE["width"])
    screenshot(other, "learn-duel-invitation-phone")
    invite.locator("button.primary").click()  # Accepter
    other.wait_for_url(duel_url)
    assert "Duel accepté" in other.locator("body").inner_text()
    other.locator(".duelcard").wait_for()
    _play_duel(other)
    result = other.locator(".duelresult").inner_text()
    assert re.search(r"gagné|Égalité", result), result
    assert_fits(other, PHONE["width"])
    other.click(".duelresult button[type=submit]")  # rematch
    other.wait_for_url(re.compile(r".*/learn/duels/\d+/$"))
    assert other.url != duel_url and other.locator(".duelcard").is_visible()
    other.context.close()


def test_draft_a_light_resource_and_have_it_approved(
    browser: Any, live_sylva: str, content: str
) -> None:
    page = new_page(browser, live_sylva, PHONE)
    sign_in(page, "expert")
    page.goto("/learn/share/")
    page.click("main a.button.primary")
    assert_fits(page, PHONE["width"])
    page.get_by_role("button", name="Markdown").click()  # the form editor is the default
    page.fill("#id_text", TIP)
    page.click("#module-form button[type=submit].primary")
    page.wait_for_url("**/learn/modules/browser-astuce/")
    page.click("form[action$='/submit/'] button")
    page.wait_for_load_state()
    assert "en attente de relecture" in page.locator("main").inner_text().lower()
    page.context.close()

    reviewer = new_page(browser, live_sylva, PHONE)
    sign_in(reviewer, "designer")
    reviewer.goto("/learn/reviews/")
    reviewer.click("text=Mon astuce de filmage")
    reviewer.check("input[name=decision][value=approve]")
    reviewer.click("form[action$='/review/'] button[type=submit]")
    reviewer.wait_for_url("**/learn/reviews/")
    reviewer.goto("/learn/modules/browser-astuce/")
    text = reviewer.locator("main").inner_text()
    assert "publié" in text.lower() and "Écrit par" in text
    reviewer.context.close()


LIVE_KEY = "browser-tests-" + "k" * 50  # the live server's key (tests/browser/conftest.py)
QUEUE = "JSON.parse(localStorage.getItem('sylva-learn-queue') || '[]')"
EMPTY = f"() => {QUEUE}.length === 0"
TODAY_API = "fetch('/api/v1/learn/today').then(r => r.json())"


def _answer_offline(page: Any) -> str:
    """Answer the visible card while offline: it is kept on the phone, nothing of the right
    answer or the explanation shows (the page does not hold it), and the way goes on."""
    card = page.locator(".learncard:not([hidden])").first
    card_id = str(card.get_attribute("data-card"))
    kind = card.get_attribute("data-kind")
    if kind in ("single", "truefalse", "poll", "multiple"):
        card.locator(".option").first.click()
    elif kind == "ordering":
        selects = card.locator("select")
        for i in range(selects.count()):
            selects.nth(i).select_option(str(i + 1))
    elif kind == "reflection":
        card.locator("textarea").fill("Hors ligne")
    card.locator("button[type=submit]").click()
    queued = page.locator(f".learncard.queued[data-card='{card_id}']")
    queued.wait_for()
    assert "Enregistrée sur ce téléphone" in queued.inner_text()
    assert not queued.locator(".explanation").count()
    return card_id


def _reviews(database: Any, answer_ids: list[str]) -> list[tuple[str, str]]:
    """(answer id, day answered) of the answers recorded with these ids."""
    import sqlite3

    with sqlite3.connect(database) as db:
        marks = ",".join("?" * len(answer_ids))
        rows = db.execute(
            f"SELECT answer_id, reviewed_at FROM microlearning_review WHERE answer_id IN ({marks})",
            [a.replace("-", "") for a in answer_ids],
        ).fetchall()
    return [(str(a), str(t)[:10]) for a, t in rows]


def test_an_answer_given_offline_is_sent_once_back_online(
    browser: Any, live_sylva: str, content: str, live_sylva_database: Any
) -> None:
    page = new_page(browser, live_sylva, PHONE)
    sign_in(page, "manager")
    page.goto("/learn/")
    before = page.evaluate(TODAY_API)
    page.context.set_offline(True)
    card_id = _answer_offline(page)
    assert page.locator("#offline-queue").is_visible()
    assert_fits(page, PHONE["width"])
    screenshot(page, "learn-offline-queued-phone")
    queued = page.evaluate(QUEUE)
    assert [q["card_id"] for q in queued] == [int(card_id)]
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(EMPTY)
    # the server's feedback arrives in place of the note, the explanation with it
    page.locator(f".learncard.answered[data-card='{card_id}']:not(.queued)").wait_for()
    after = page.evaluate(TODAY_API)
    assert after["answered_today"] == before["answered_today"] + 1
    # the same answer sent again (a second replay, from another copy of the queue): once
    page.evaluate("q => localStorage.setItem('sylva-learn-queue', JSON.stringify(q))", queued)
    page.reload()
    page.wait_for_function(EMPTY)
    assert page.evaluate(TODAY_API)["answered_today"] == after["answered_today"]
    assert len(_reviews(live_sylva_database, [queued[0]["answer_id"]])) == 1
    page.context.close()


def test_a_stale_csrf_token_keeps_the_answer_and_sends_it_with_a_fresh_one(
    browser: Any, live_sylva: str, content: str
) -> None:
    """Signed in again elsewhere, the page's CSRF token is stale: the answer is kept, a
    fresh token fetched, and the answer recorded once, its feedback in place."""
    page = new_page(browser, live_sylva, PHONE)
    sign_in(page, "expert")
    page.goto("/learn/")
    before = page.evaluate(TODAY_API)
    page.context.add_cookies([{"name": "csrftoken", "value": "S" * 32, "url": live_sylva}])
    card = page.locator(".learncard:not([hidden])").first
    card_id = card.get_attribute("data-card")
    title = _answer_visible_card(page)  # waits for the server's feedback in place
    assert title
    assert page.evaluate(EMPTY)
    assert page.evaluate(TODAY_API)["answered_today"] == before["answered_today"] + 1
    assert page.locator(f".learncard.answered[data-card='{card_id}'] .feedback").is_visible()
    page.context.close()


def test_an_ended_session_keeps_the_answers_until_signing_in_again(
    browser: Any, live_sylva: str, content: str, live_sylva_database: Any
) -> None:
    page = new_page(browser, live_sylva, PHONE)
    sign_in(page, "designer")
    page.goto("/learn/")
    before = page.evaluate(TODAY_API)
    page.context.set_offline(True)
    _answer_offline(page)
    queued = page.evaluate(QUEUE)
    page.context.clear_cookies(name="sessionid")  # the session ended meanwhile
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    prompt = page.locator("#offline-queue a.signin")
    prompt.wait_for()
    assert "Reconnectez-vous" in page.locator("#offline-queue").inner_text()
    assert page.evaluate(QUEUE) == queued  # kept
    assert_fits(page, PHONE["width"])
    screenshot(page, "learn-offline-sign-in-again-phone")
    prompt.click()
    page.wait_for_url("**/login/**")
    page.fill("#id_username", "designer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/learn/")
    page.wait_for_function(EMPTY)
    assert page.evaluate(TODAY_API)["answered_today"] == before["answered_today"] + 1
    assert len(_reviews(live_sylva_database, [queued[0]["answer_id"]])) == 1
    page.context.close()


def test_answers_made_offline_yesterday_count_yesterday_once(
    browser: Any, live_sylva: str, content: str, live_sylva_database: Any
) -> None:
    """Two cards answered offline yesterday evening reach the server this morning: graded
    then, counted on yesterday (not on today's rendez-vous), each once, their feedback
    shown when they arrive."""
    import sqlite3

    page = new_page(browser, live_sylva, PHONE)
    sign_in(page, "field")
    me = page.evaluate("fetch('/api/v1/me').then(r => r.json())")
    with sqlite3.connect(live_sylva_database) as db:  # a fresh learner: new cards only
        for table in ("microlearning_review", "microlearning_memory", "microlearning_learner"):
            db.execute(f"DELETE FROM {table} WHERE person_id = ?", [me["id"]])
    page.goto("/learn/")
    page.context.set_offline(True)
    first = _answer_offline(page)
    page.locator(f".learncard[data-card='{first}'] [data-next]").click()
    second = _answer_offline(page)
    page.locator(f".learncard[data-card='{second}'] [data-next]").click()
    # the phone's queue as it stood yesterday evening, on the page opened yesterday morning
    # (the server's signed note of when it gave the cards, as it would have been then)
    from django.core import signing

    from sylva.microlearning.services.answers import SERVED_SALT

    morning = int(time.time()) - 86400 - 4 * 3600
    served = signing.dumps({"p": me["id"], "t": morning}, key=LIVE_KEY, salt=SERVED_SALT)
    queued = page.evaluate(
        f"""served => {{
          const q = {QUEUE}.map(i => Object.assign(i, {{
            answered_at: new Date(Date.parse(i.answered_at) - 86400000).toISOString(),
            fields: i.fields.map(f => f[0] === 'served' ? ['served', served] : f)}}));
          localStorage.setItem('sylva-learn-queue', JSON.stringify(q));
          return q;
        }}""",
        served,
    )
    assert [str(q["card_id"]) for q in queued] == [first, second]
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(EMPTY)
    results = page.locator("#offline-results")
    results.wait_for()
    assert results.locator(".learncard.answered").count() == 2
    assert_fits(page, PHONE["width"])
    recorded = _reviews(live_sylva_database, [q["answer_id"] for q in queued])
    days = {q["answered_at"][:10] for q in queued}
    assert len(recorded) == 2 and {day for _a, day in recorded} == days
    assert page.evaluate(TODAY_API)["answered_today"] == 0  # today's rendez-vous untouched
    page.reload()  # the server agrees: both were met yesterday, neither is new today
    for card_id in (first, second):  # (a card answered wrong comes back as a review)
        assert not page.locator(f".learncard[data-card='{card_id}'] .tag.new").count()
    page.context.close()


@pytest.mark.parametrize(
    "path", ["/learn/", "/learn/memory/", "/learn/analytics/", "/learn/modules/browser-chariot/"]
)
def test_pages_fit_a_phone_and_a_desktop(
    browser: Any, live_sylva: str, content: str, viewport: dict[str, int], path: str
) -> None:
    page = new_page(browser, live_sylva, viewport)
    sign_in(page, "designer")
    page.goto(path)
    assert page.locator("h1").is_visible()
    assert_fits(page, viewport["width"])
    page.context.close()
