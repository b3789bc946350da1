"""The expert's main journeys, walked by clicking from the home page (only /login/ is typed),
on a 360 px phone and a 1280 px desktop, in French and in English: see the requests that
match their offer (on its page), raise the offer's monthly capacity then pause and reopen it,
offer to teach a colleague who asked on the board, answer that exchange from the inbox with a
message, and reach the review of a held exchange from the inbox.

Everything the walk changes is put back in ``finally``: the offer's capacity and state, the
exchange proposed (declined), the account's French. The review is opened, not sent (another
browser test writes it)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_fits, new_page, sign_in
from tests.browser.conftest import nav as _nav


def _open_my_offer(page, width: int) -> str:  # type: ignore[no-untyped-def]
    """From the board to my first open offer's page, by its title in "mine"; its URL."""
    _nav(page, "/exchange/")
    page.locator('main a[href="/exchange/mine/"]').first.click()
    page.wait_for_url("**/exchange/mine/")
    assert_fits(page, width)
    offers = 'main a[href^="/exchange/offers/"]:not([href$="/edit/"]):not([href$="/new/"])'
    page.locator(offers).first.click()
    page.wait_for_url(re.compile(r".*/exchange/offers/\d+/$"))
    return str(page.url)


def _offer(page, width: int, changed: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    offer = _open_my_offer(page, width)
    assert page.locator("h1").is_visible()
    # the author sees the requests that fit the offer (or why none can be answered now)
    matching = page.locator("#matching-requests")
    assert matching.is_visible()
    assert matching.locator("h2").inner_text().strip()
    assert_fits(page, width)

    # its monthly capacity, raised by one in its form (saved, the offer's page again)
    path = offer[offer.index("/exchange/") :]
    edit = page.locator(f'main a[href="{path}edit/"]').first
    edit.click()
    page.wait_for_url("**/edit/")
    changed["edit"] = str(page.url)
    capacity = page.locator("#id_capacity")
    before = capacity.input_value()
    changed["capacity"] = before
    capacity.fill(str(int(before) + 1))
    assert_fits(page, width)
    page.locator("main button[type=submit].primary").click()
    page.wait_for_url(offer)
    assert page.locator(".msg").first.is_visible()  # "Saved."
    edit.click()
    page.wait_for_url("**/edit/")
    assert page.locator("#id_capacity").input_value() == str(int(before) + 1)
    page.go_back()
    page.wait_for_url(offer)

    # paused, then reopened, from the offer's page
    page.locator("main button[name=state][value=paused]").click()
    page.wait_for_url(offer)
    changed["paused"] = offer
    reopen = page.locator("main button[name=state][value=open]")
    assert reopen.count() == 1
    assert page.locator("main button[name=state][value=paused]").count() == 0
    assert_fits(page, width)
    reopen.click()
    page.wait_for_url(offer)
    changed.pop("paused")
    assert page.locator("main button[name=state][value=paused]").count() == 1


def _teach(page, width: int, created: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """From the home page's requests I could answer: offer to teach, then answer in the inbox."""
    page.locator("header a[href='/']").first.click()
    page.wait_for_url(re.compile(r".*/$"))
    requests = page.locator('main a[href^="/exchange/requests/"]')
    assert requests.count() >= 1
    # a request with no exchange under way with me already (its page offers "I can help")
    for i in range(requests.count()):
        page.locator('main a[href^="/exchange/requests/"]').nth(i).click()
        page.wait_for_url(re.compile(r".*/exchange/requests/\d+/$"))
        if page.locator("main form[action$='/propose/'] button.primary").count():
            break
        page.go_back()
    else:
        raise AssertionError("no request on the home page lets the expert offer to help")
    skills = page.locator("main dd").nth(1).inner_text().strip()
    assert_fits(page, width)
    page.locator("main form[action$='/propose/'] button.primary").click()
    page.wait_for_url(re.compile(r".*/exchange/x/\d+/$"))
    created["exchange"] = str(page.url)
    path = page.url[page.url.index("/exchange/x/") :]
    assert skills.split("\n")[0] in page.locator("h1").inner_text()
    assert_fits(page, width)

    # the exchange is in the inbox, waiting on the learner; I answer it with a message
    _nav(page, "/inbox/")
    assert page.locator("h1").first.is_visible()
    page.locator(f'main a[href="{path}"]').first.click()
    page.wait_for_url(f"**{path}")
    note = "Mardi 14 h devant la ligne 3 ?"
    page.locator("form[action$='/message/'] textarea").fill(note)
    page.locator("form[action$='/message/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert note in page.locator("main").inner_text()
    assert_fits(page, width)


def _review(page, width: int) -> None:  # type: ignore[no-untyped-def]
    """A held exchange waits on my review in the inbox; its link leads to the review form."""
    _nav(page, "/inbox/")
    link = page.locator('main a[href$="#review"]')
    assert link.count() >= 1, "the demo expert has no review waiting"
    link.first.click()
    page.wait_for_url(re.compile(r".*/exchange/x/\d+/#review$"))
    review = page.locator("#review")
    assert review.is_visible()
    assert review.locator("textarea, input[name=usefulness]").count() >= 2
    assert review.locator("button[type=submit]").is_visible()
    assert_fits(page, width)


def _undo(page, changed: dict[str, str], created: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    if "exchange" in created:  # proposed by me: I take it back (or cancel it)
        page.goto(created["exchange"])
        form = page.locator("main form[action$='/decline/'], main form[action$='/cancel/']")
        if form.count():
            form.locator("textarea, input[name=reason]").first.fill("Essai du parcours")
            form.locator("button.danger").click()
            page.wait_for_load_state()
    if "paused" in changed:
        page.goto(changed["paused"])
        page.locator("main button[name=state][value=open]").click()
        page.wait_for_load_state()
    if "capacity" in changed:
        page.goto(changed["edit"])
        page.fill("#id_capacity", changed["capacity"])
        page.locator("main button[type=submit].primary").click()
        page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_expert_walks_their_offer_and_exchanges_by_clicking(
    browser, live_sylva, viewport, lang
) -> None:
    width = viewport["width"]
    page = new_page(browser, live_sylva, viewport)
    sign_in(page, "expert")
    changed: dict[str, str] = {}
    created: dict[str, str] = {}
    try:
        if lang == "en":
            page.click(".langswitch button[value=en]")
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == lang
        assert_fits(page, width)
        _offer(page, width, changed)
        _teach(page, width, created)
        _review(page, width)
    finally:
        _undo(page, changed, created)
        if page.locator("html").get_attribute("lang") != "fr":
            page.click(".langswitch button[value=fr]")
            page.wait_for_load_state()
        page.context.close()
