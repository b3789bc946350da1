"""The live searches ask the server once the typing pauses, not on every keystroke, and only
for their own search field: typing in the skills picker's filter (which filters in the
page) or in the top bar's search sends the directory or the board nothing."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, new_page, sign_in

pytestmark = pytest.mark.browser


def _counting(page, path: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The htmx requests the page sends to ``path`` from now on."""
    sent: list[str] = []

    def seen(request) -> None:  # type: ignore[no-untyped-def]
        url = request.url.split("://", 1)[1]
        if url.split("/", 1)[1].startswith(path.lstrip("/")) and request.headers.get("hx-request"):
            sent.append(request.url)

    page.on("request", seen)
    return sent


@pytest.mark.parametrize("path", ["/people/", "/exchange/"])
def test_typing_sends_one_request_after_the_pause_and_other_fields_none(
    browser, live_sylva, path: str
) -> None:
    page = new_page(browser, live_sylva, DESKTOP)
    sign_in(page, "newcomer")
    page.goto(path)
    page.wait_for_load_state("networkidle")
    sent = _counting(page, path)
    # the skills picker's own filter: it filters in the page, asks the server nothing
    picker = page.locator(".skillpicker-input").first
    if not picker.is_visible():  # the board's filters, folded
        page.locator("details.more-filters > summary").click()
    picker.click()
    picker.press_sequentially("soud", delay=60)
    page.locator("#topsearch-q").press_sequentially("lyon", delay=60)
    page.wait_for_timeout(700)
    assert sent == []
    # the search field: 11 keystrokes, 60 ms apart, then a pause: one request
    field = page.locator("#id_q")
    field.press_sequentially("maintenance", delay=60)
    page.wait_for_timeout(900)
    page.wait_for_load_state("networkidle")
    assert len(sent) == 1, sent
    assert "q=maintenance" in sent[0]
    # an arrow key (no change of the value) sends nothing more
    field.press("ArrowLeft")
    page.wait_for_timeout(600)
    assert len(sent) == 1, sent
