"""The exchange network in Chromium: a newcomer publishes a request on a phone, an expert
accepts it, they agree the modalities, both say it took place and both write their
review."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

from tests.browser.conftest import (
    PHONE,
    assert_fits,
    give_levels,
    new_page,
    screenshot,
    sign_in,
)


def _time_passes(database: Path, exchange_id: int) -> None:
    """The appointment is now an hour ago (what a clock would do)."""
    with sqlite3.connect(database) as db:
        db.execute(
            "UPDATE exchange_exchange SET starts_at = datetime('now', '-1 hour') WHERE id = ?",
            (exchange_id,),
        )


def _publish(page, kind: str, skill_value: str, text: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"/exchange/{kind}s/new/")
    page.select_option("#id_skills", [skill_value])
    page.fill("#id_text", text)
    page.check("input[name=formats][value=video]")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    give_levels(page)
    if page.locator("#existing").count():  # already published: the form points at it
        page.click("#existing")
    page.wait_for_url(re.compile(rf".*/exchange/{kind}s/\d+/$"))
    return page.url


def test_newcomer_asks_expert_accepts_modalities_and_both_review(
    browser, live_sylva, live_sylva_database
) -> None:
    expert = new_page(browser, live_sylva, PHONE)
    sign_in(expert, "expert")
    expert.goto("/exchange/offers/new/")
    assert_fits(expert, PHONE["width"])
    options = expert.locator("#id_skills option")
    skill, other_skill = (
        options.nth(3).get_attribute("value"),
        options.nth(7).get_attribute("value"),
    )
    offer_url = _publish(expert, "offer", skill, "Je montre mes astuces, en visio")
    _publish(expert, "request", other_skill, "Je veux apprendre à mon tour")

    newcomer = new_page(browser, live_sylva, PHONE)
    sign_in(newcomer, "newcomer")
    newcomer.goto("/exchange/")
    assert_fits(newcomer, PHONE["width"])
    request_url = _publish(newcomer, "request", skill, "Je débute, tout m'intéresse")
    assert newcomer.locator("#suggestions").is_visible()
    assert_fits(newcomer, PHONE["width"])
    screenshot(newcomer, "exchange-request-phone")
    _publish(newcomer, "offer", other_skill, "Je partage ce que je sais déjà")
    newcomer.goto(offer_url)
    newcomer.select_option(
        "#id_request", label=newcomer.locator("#id_request option").nth(1).inner_text()
    )
    newcomer.click("button[type=submit].primary")
    newcomer.wait_for_url(re.compile(r".*/exchange/x/\d+/$"))
    exchange_url = newcomer.url
    exchange_id = int(exchange_url.rstrip("/").rsplit("/", 1)[1])
    assert request_url != exchange_url

    # the expert accepts and agrees the modalities
    expert.goto(exchange_url)
    expert.click("#accept")
    expert.wait_for_load_state()
    when = (datetime.now() + timedelta(days=3)).replace(hour=14, minute=0)
    expert.fill("#id_starts_at", when.strftime("%Y-%m-%dT%H:%M"))
    expert.fill("#id_duration_minutes", "45")
    expert.select_option("#id_mode", "video")
    expert.fill("#id_place", "https://visio.example/atelier")
    expert.click("#schedule button[type=submit]")
    expert.wait_for_load_state()
    assert expert.locator("a[href$='invite.ics']").is_visible()
    assert_fits(expert, PHONE["width"])
    screenshot(expert, "exchange-scheduled-phone")

    _time_passes(live_sylva_database, exchange_id)

    # each says it took place: one word is not enough, the other is asked for theirs
    newcomer.goto(exchange_url)
    newcomer.click("form[action$='/held/'] button")
    newcomer.wait_for_load_state()
    assert newcomer.locator("#held-waiting").is_visible()
    assert not newcomer.locator("#review").count()
    expert.goto(exchange_url)
    assert expert.locator("#held-asked").is_visible()
    expert.click("form[action$='/held/'] button")
    expert.wait_for_load_state()

    # both write their review
    for page, learned in ((newcomer, "Les bases, pas à pas"), (expert, "Expliquer simplement")):
        page.goto(exchange_url)
        page.fill("#id_learned", learned)
        page.check("input[name=usefulness][value='5']")
        page.click("#review button[type=submit]")
        page.wait_for_load_state()
        assert learned in page.locator("#reviews").inner_text()
        assert_fits(page, PHONE["width"])
    assert "bilan fait" in expert.locator("h1").inner_text()
    expert.context.close()
    newcomer.context.close()


def test_the_board_fits_the_screen(browser, live_sylva, viewport) -> None:
    page = new_page(browser, live_sylva, viewport)
    sign_in(page, "field" if viewport["width"] < 600 else "animator")
    for url in ("/exchange/", "/exchange/mine/", "/exchange/fairs/"):
        page.goto(url)
        assert_fits(page, viewport["width"])
    kind = "phone" if viewport["width"] < 600 else "desktop"
    page.goto("/exchange/")
    screenshot(page, f"exchange-board-{kind}")
    page.context.close()


def test_no_place_left_the_exchange_page_says_when_and_what_to_do(browser, live_sylva) -> None:
    """The expert's offer has one place a month; two colleagues ask; once one is accepted,
    the other's exchange shows no Accept button that cannot work: when a place frees, and
    the next steps, for each of the two (and the offer points at the exchange under way)."""
    expert = new_page(browser, live_sylva, PHONE)
    sign_in(expert, "expert")
    expert.goto("/exchange/offers/new/")
    skill = expert.locator("#id_skills option").nth(12).get_attribute("value")
    expert.select_option("#id_skills", [skill])
    expert.check("input[name=formats][value=phone]")
    expert.fill("#id_capacity", "1")
    expert.click("button[type=submit].primary")
    expert.wait_for_load_state()
    give_levels(expert)
    expert.wait_for_url(re.compile(r".*/exchange/offers/\d+/$"))
    offer_url = expert.url

    asked = {}
    for name in ("newcomer", "field"):
        page = new_page(browser, live_sylva, PHONE)
        sign_in(page, name)
        page.goto(offer_url)
        page.click("form[action$='/propose/'] button[type=submit]")
        page.wait_for_url(re.compile(r".*/exchange/x/\d+/$"))
        asked[name] = (page, page.url)

    expert.goto(asked["newcomer"][1])
    expert.click("#accept")
    expert.wait_for_load_state()

    expert.goto(asked["field"][1])
    assert expert.locator("#no-place").is_visible()
    assert not expert.locator("#accept").count()
    assert expert.locator("#raise-capacity").is_visible()
    assert_fits(expert, PHONE["width"])
    field, field_url = asked["field"]
    field.goto(field_url)
    assert field.locator("#no-place").is_visible() and field.locator("#other-offers").count()
    assert_fits(field, PHONE["width"])
    screenshot(field, "exchange-no-place-phone")
    field.goto(offer_url)  # the offer points at the exchange under way, no second ask
    assert field.locator("#under-way").is_visible()
    assert not field.locator("form[action$='/propose/']").count()
    for page in (expert, field, asked["newcomer"][0]):
        page.context.close()


def test_my_exchanges_say_whose_turn_it_is(browser, live_sylva) -> None:  # type: ignore[no-untyped-def]
    """The learner who asked sees "their turn", the expert "your turn", on a phone."""
    expert = new_page(browser, live_sylva, PHONE)
    sign_in(expert, "expert")
    expert.goto("/exchange/offers/new/")
    options = expert.locator("#id_skills option")
    skill = options.nth(options.count() - 2).get_attribute("value")
    offer_url = _publish(expert, "offer", skill, "Je montre, en visio, sans détour")

    field = new_page(browser, live_sylva, PHONE)
    sign_in(field, "field")
    field.goto(offer_url)
    field.click("button[type=submit].primary")
    field.wait_for_url(re.compile(r".*/exchange/x/\d+/$"))
    exchange_url = field.url
    turn = field.locator(".turn-line [data-turn]")
    if field.locator("#accept").count() == 0:  # a new proposal: the learner has accepted
        assert turn.get_attribute("data-turn") == "theirs"
        assert "À son tour" in turn.inner_text()
    field.goto("/exchange/mine/")
    assert field.locator(f'a[href="{exchange_url.split(live_sylva)[-1]}"]').count() == 1
    assert field.locator("#exchanges [data-turn]").count() >= 1
    assert_fits(field, PHONE["width"])

    expert.goto("/exchange/mine/")
    mine = expert.locator('#exchanges [data-turn="mine"]')
    assert mine.count() >= 1 and "À vous" in mine.first.inner_text()
    assert_fits(expert, PHONE["width"])
    screenshot(expert, "exchange-your-turn-phone")
    expert.goto(exchange_url)
    if expert.locator("#accept").count():
        assert expert.locator('.turn-line [data-turn="mine"]').inner_text().startswith("À vous")


def test_a_live_fair_fills_in_on_a_phone_without_a_reload(browser, live_sylva) -> None:  # type: ignore[no-untyped-def]
    animator = new_page(browser, live_sylva, PHONE)
    sign_in(animator, "animator")
    animator.goto("/exchange/fairs/")
    animator.fill("#id_title", "Bourse du midi")
    animator.select_option("#id_site", "")  # online: for everyone
    animator.fill("#id_minutes", "60")
    animator.click("button[type=submit].primary")
    animator.wait_for_url(re.compile(r".*/exchange/fairs/\d+/$"))
    fair_url = animator.url.split(live_sylva)[-1]

    field = new_page(browser, live_sylva, PHONE)
    sign_in(field, "field")
    field.goto("/exchange/")
    banner = field.locator(".fair-banner", has_text="Bourse du midi")
    assert banner.is_visible()
    assert_fits(field, PHONE["width"])
    banner.locator("a").click()
    field.wait_for_url(re.compile(rf".*{fair_url}$"))
    assert field.locator("#live[hx-trigger]").count() == 1
    assert_fits(field, PHONE["width"])

    # someone else posts at the fair: the field worker's page shows it, without a reload
    field.evaluate("window.sylvaSamePage = 1")
    expert = new_page(browser, live_sylva, PHONE)
    sign_in(expert, "expert")
    expert.goto(fair_url)
    expert.select_option(
        "#id_offer-skills",
        [expert.locator("#id_offer-skills option").nth(5).get_attribute("value")],
    )
    expert.fill("#id_offer-text", "Astuces du midi à la bourse")
    expert.check("input[name='offer-formats'][value=video]")
    expert.locator("form[action$='/post/offer/'] button[type=submit]").click()
    expert.wait_for_load_state()
    give_levels(expert, "form[action$='/post/offer/'] button[type=submit]")
    field.locator("#live", has_text="Astuces du midi").wait_for(timeout=15_000)
    assert field.evaluate("window.sylvaSamePage") == 1  # no reload: it filled in by itself
    assert field.url.endswith(fair_url)
    assert_fits(field, PHONE["width"])
    screenshot(field, "exchange-fair-live-phone")
