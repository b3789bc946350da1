"""The administrator's main journeys, walked by clicking from the home page (only /login/ is
typed), on a 360 px phone and a 1280 px desktop, in French and in English: the Django admin in
the person's language (its index, the people's list searched, a person's change form, back to
the site), the exchange network's settings (the default monthly capacity of an offer, changed
then put back), the organisation's pages (a department, one of its teams), and the API's
documentation from the footer, every asset it asks for served.

The settings and the account's French are put back in ``finally`` (the demo company is shared
by every browser test); the admin's change form is read, not saved."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_fits, new_page, sign_in
from tests.browser.conftest import nav as _nav

SAVE = {"fr": "Enregistrer", "en": "Save"}


def _django_admin(page, width: int, lang: str) -> None:  # type: ignore[no-untyped-def]
    _nav(page, "/admin/")
    page.wait_for_url("**/admin/")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("#content h1").is_visible()
    assert_fits(page, width)
    # a changelist: the people, searched by a name taken from the list
    page.locator('#content-main a[href="/admin/people/person/"]').first.click()
    page.wait_for_url("**/admin/people/person/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() >= 1
    name = rows.first.locator("th a").inner_text().strip()
    assert_fits(page, width)
    page.fill("#searchbar", name.split()[-1])
    page.locator("#changelist-search [type=submit]").click()
    page.wait_for_url(re.compile(r".*/admin/people/person/\?q="))
    found = page.locator("#result_list tbody tr th a").all_inner_texts()
    assert name in [f.strip() for f in found]
    # a change form, in the person's language; read, not saved
    page.locator("#result_list tbody tr th a", has_text=name).first.click()
    page.wait_for_url(re.compile(r".*/admin/people/person/\d+/change/(\?.*)?$"))
    assert page.locator("input[name=_save]").get_attribute("value") == SAVE[lang]
    assert name in page.locator("#content").inner_text()
    assert_fits(page, width)
    # back to Sylva by the admin's own link
    page.locator('#user-tools a[href="/"]').click()
    page.wait_for_url(re.compile(r".*/$"))
    assert page.locator(".mainnav").count() == 1


def _exchange_settings(page, width: int, changed: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    _nav(page, "/exchange/runs/")
    page.wait_for_url("**/exchange/runs/")
    capacity = page.locator("#id_default_capacity")
    before = capacity.input_value()
    changed["default_capacity"] = before
    capacity.fill(str(int(before) + 1))
    assert_fits(page, width)
    page.locator("main form:has(#id_default_capacity) button[type=submit]").click()
    page.wait_for_url("**/exchange/runs/")
    assert page.locator(".msg").first.is_visible()  # "Settings saved."
    _nav(page, "/exchange/runs/")  # read again: kept
    assert page.locator("#id_default_capacity").input_value() == str(int(before) + 1)


def _restore_settings(page, changed: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    if "default_capacity" in changed:
        page.goto("/exchange/runs/")
        page.fill("#id_default_capacity", changed["default_capacity"])
        page.locator("main form:has(#id_default_capacity) button[type=submit]").click()
        page.wait_for_url("**/exchange/runs/")


def _organisation(page, width: int) -> None:  # type: ignore[no-untyped-def]
    _nav(page, "/org/")
    page.wait_for_url("**/org/")
    assert page.locator("h1").is_visible()
    assert_fits(page, width)
    department = page.locator('main a[href^="/org/departments/"]').first
    name = department.inner_text().strip()
    department.click()
    page.wait_for_url(re.compile(r".*/org/departments/[\w-]+/$"))
    assert name in page.locator("h1").inner_text()
    assert_fits(page, width)
    team = page.locator('main a[href^="/org/teams/"]').first
    team_name = team.inner_text().strip()
    team.click()
    page.wait_for_url(re.compile(r".*/org/teams/\d+/$"))
    assert team_name in page.locator("h1").inner_text()
    assert page.locator('main a[href^="/people/"]').count() >= 1
    assert_fits(page, width)


def _api_docs(page, width: int) -> None:  # type: ignore[no-untyped-def]
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    page.locator('footer a[href="/api/v1/docs"]').click()
    page.wait_for_url("**/api/v1/docs")
    page.locator(".swagger-ui .opblock").first.wait_for(timeout=30_000)
    assert page.locator(".swagger-ui .opblock").count() > 10
    assert not failed, failed
    assert_fits(page, width)
    page.go_back()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_administrator_walks_admin_settings_and_organisation_by_clicking(
    browser, live_sylva, viewport, lang
) -> None:
    width = viewport["width"]
    page = new_page(browser, live_sylva, viewport)
    sign_in(page, "admin")
    changed: dict[str, str] = {}
    try:
        if lang == "en":
            page.click(".langswitch button[value=en]")
            page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == lang
        assert_fits(page, width)
        _django_admin(page, width, lang)
        _exchange_settings(page, width, changed)
        _organisation(page, width)
        _api_docs(page, width)
    finally:
        _restore_settings(page, changed)
        if page.locator("html").get_attribute("lang") != "fr":
            page.click(".langswitch button[value=fr]")
            page.wait_for_load_state()
        page.context.close()
