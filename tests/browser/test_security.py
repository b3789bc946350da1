"""In Chromium, under the real Content-Security-Policy: no page of Sylva, of the admin or of
the API's docs runs into it (every script is a file of Sylva's own), and the docs work."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import DESKTOP, new_page, sign_in

PAGES = [
    "/",
    "/learn/",
    "/exchange/",
    "/insights/",
    "/people/",
    "/org/",
    "/skills/",
    "/me/",
    "/me/tokens/",
    "/me/security/",
    "/admin/",
    "/admin/people/person/",
    "/admin/auth/group/1/change/",
    "/api/v1/docs",
]


def test_no_page_breaks_the_content_security_policy(browser: Any, live_sylva: str) -> None:
    page = new_page(browser, live_sylva, DESKTOP, locale="en-GB")
    violations: list[str] = []
    page.on(
        "console",
        lambda m: (
            violations.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: violations.append(f"{page.url}: {e}"))
    sign_in(page, "admin")
    for url in PAGES:
        response = page.goto(url)
        assert response is not None and response.status < 400, url
        assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
        page.wait_for_load_state("networkidle")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Sylva API" in page.inner_text(".swagger-ui .info .title")
    assert violations == []
    page.context.close()
