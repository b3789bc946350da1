"""The inbox in Chromium, on a 360x740 phone and on a desktop, in French and in English: a
field worker proposes an exchange on the designer's offer; the designer sees it under
"your turn" with the navigation's count, and accepts it from the inbox itself; the field
worker sees it under "waiting on others" and then what changed."""

from __future__ import annotations

import re

from tests.browser.conftest import (
    DESKTOP,
    assert_fits,
    give_levels,
    new_page,
    screenshot,
    sign_in,
)

PHONE = {"width": 360, "height": 740}


def _publish(page, kind: str, skill_value: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"/exchange/{kind}s/new/")
    page.select_option("#id_skills", [skill_value])
    page.check("input[name=formats][value=video]")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    give_levels(page)
    if page.locator("#existing").count():  # already published: the form points at it
        page.click("#existing")
    page.wait_for_url(re.compile(rf".*/exchange/{kind}s/\d+/$"))
    return page.url


def _speak(page, code: str) -> None:  # type: ignore[no-untyped-def]
    """Choose the language with the shell's switch (the account may have one saved)."""
    page.click(f".langswitch button[value='{code}']")
    page.wait_for_load_state()


def _badge(page) -> int:  # type: ignore[no-untyped-def]
    menu = page.locator(".mainnav details.navmenu")
    if page.locator(".navmenu > summary").is_visible() and not menu.evaluate("d => d.open"):
        page.click(".navmenu > summary")  # on a phone the sections fold into the Menu
    badge = page.locator(".mainnav a[href='/inbox/'] .badge")
    badge.scroll_into_view_if_needed()
    assert badge.is_visible()
    return int(badge.get_attribute("data-count"))


def test_the_inbox_on_phone_and_desktop_in_french_and_english(browser, live_sylva) -> None:
    # postings are published on a desktop (the forms are not what is tested here)
    publisher = new_page(browser, live_sylva, DESKTOP, locale="fr-FR")
    sign_in(publisher, "designer")
    publisher.goto("/exchange/offers/new/")
    options = publisher.locator("#id_skills option")
    skill, other = options.nth(21).get_attribute("value"), options.nth(27).get_attribute("value")
    offer_url = _publish(publisher, "offer", skill)
    _publish(publisher, "request", other)
    publisher.context.close()

    learner = new_page(browser, live_sylva, DESKTOP, locale="en-GB")
    sign_in(learner, "field")
    _speak(learner, "en")
    _publish(learner, "request", skill)
    _publish(learner, "offer", other)
    learner.goto(offer_url)
    learner.select_option(
        "#id_request", label=learner.locator("#id_request option").nth(1).inner_text()
    )
    learner.click("button[type=submit].primary")
    learner.wait_for_url(re.compile(r".*/exchange/x/\d+/$"))
    exchange_path = re.sub(r"^https?://[^/]+", "", learner.url)

    # the learner waits on the designer: in English, on a desktop
    learner.goto("/inbox/")
    waiting = learner.locator(
        "#theirs li.inboxitem", has=learner.locator(f"a[href='{exchange_path}']")
    )
    assert waiting.count() == 1
    assert learner.locator("#theirs h2").inner_text() == "Waiting on others"
    assert waiting.locator("form").count() == 0
    assert_fits(learner, DESKTOP["width"])
    screenshot(learner, "inbox-desktop-en")

    # the designer's turn: in French, on a phone, with the count in the navigation
    teacher = new_page(browser, live_sylva, PHONE, locale="fr-FR")
    sign_in(teacher, "designer")
    _speak(teacher, "fr")
    teacher.goto("/")
    before = _badge(teacher)
    assert before >= 1
    teacher.goto("/inbox/")
    assert teacher.locator("#mine h2").inner_text() == "À vous d'agir"
    item = teacher.locator("#mine li.inboxitem", has=teacher.locator(f"a[href='{exchange_path}']"))
    assert item.count() == 1
    accept = item.locator("form.inline button.primary").first
    assert accept.is_visible()
    assert item.locator("input[name=next]").first.get_attribute("value") == "/inbox/"
    assert_fits(teacher, PHONE["width"])
    screenshot(teacher, "inbox-phone-fr")
    accept.click()
    teacher.wait_for_url(re.compile(r".*/inbox/$"))
    assert teacher.locator(".msg.error").count() == 0
    after = teacher.locator("#mine li.inboxitem", has=teacher.locator(f"a[href='{exchange_path}']"))
    # accepted: what remains of it for the designer is to agree the date, a link, not a post
    assert after.locator("form[action$='/accept/']").count() == 0
    assert_fits(teacher, PHONE["width"])

    # the same inbox in English on the phone and in French on the desktop
    learner.goto("/inbox/")
    assert (
        learner.locator(
            f"#mine a[href='{exchange_path}'], #theirs a[href='{exchange_path}']"
        ).count()
        == 1
    )
    french_desktop = new_page(browser, live_sylva, DESKTOP, locale="fr-FR")
    sign_in(french_desktop, "field")
    _speak(french_desktop, "fr")
    french_desktop.goto("/inbox/")
    assert french_desktop.locator("h1").inner_text() == "À traiter"
    assert_fits(french_desktop, DESKTOP["width"])
    english_phone = new_page(browser, live_sylva, PHONE, locale="en-GB")
    sign_in(english_phone, "designer")
    _speak(english_phone, "en")
    english_phone.goto("/inbox/")
    assert english_phone.locator("h1").inner_text() == "Inbox"
    text = english_phone.locator("main").inner_text()
    assert "Your turn" in text or "Nothing waits on you" in text
    assert_fits(english_phone, PHONE["width"])
    for page in ("/inbox/preferences/", "/inbox/log/"):
        english_phone.goto(page)
        assert_fits(english_phone, PHONE["width"])
    screenshot(english_phone, "inbox-phone-en")
    # the switch saved English on the accounts: give them back their French, which
    # the other browser tests of this shared demo company expect
    _speak(english_phone, "fr")
    _speak(learner, "fr")
    for page in (teacher, learner, french_desktop, english_phone):
        page.context.close()
