"""The ecosystem's health and the four levers in Chromium, as a learning animator and as a
team manager, on a 360 px phone and a 1280 px desktop."""

from __future__ import annotations

from tests.browser.conftest import PHONE, assert_fits, new_page, screenshot, sign_in

LEVERS = ("spot", "visible", "links", "structure")


def test_the_animator_reads_the_health_of_the_organisation(browser, live_sylva, viewport) -> None:
    page = new_page(browser, live_sylva, viewport)
    sign_in(page, "animator")
    page.goto("/insights/")
    for section in (
        "#circulation",
        "#silos",
        "#cooperation",
        "#redundancy",
        "#diversity",
        "#adaptability",
        "#forest",
        "#map",
        "#children",
    ):
        assert page.locator(section).is_visible(), section
    assert page.locator("#map svg circle").count() > 3
    assert page.locator("#forest svg polyline").count() >= 1
    assert_fits(page, viewport["width"])
    kind = "phone" if viewport["width"] < 600 else "desktop"
    screenshot(page, f"insights-health-{kind}")
    # one department, then back to the organisation
    page.locator("#children tbody a").first.click()
    page.wait_for_load_state()
    assert "scope=department" in page.url
    assert page.locator("#circulation").is_visible()
    assert_fits(page, viewport["width"])
    page.context.close()


def test_the_animator_uses_the_four_levers(browser, live_sylva, viewport) -> None:
    page = new_page(browser, live_sylva, viewport)
    sign_in(page, "animator")
    for lever in LEVERS:
        page.goto(f"/insights/{lever}/")
        assert page.locator("main h2").first.is_visible()
        assert_fits(page, viewport["width"])
    page.goto("/insights/links/")
    assert page.locator("#team-introductions, #brokers").count() == 2
    page.goto("/insights/structure/")
    accept = page.locator("#structures form button")
    if accept.count():
        before = page.locator("#structures .tag").count()
        accept.first.click()
        page.wait_for_load_state()
        assert page.locator(".msg").is_visible()
        assert page.locator("#structures .tag").count() == before + 1
    kind = "phone" if viewport["width"] < 600 else "desktop"
    screenshot(page, f"insights-structure-{kind}")
    page.context.close()


def test_the_manager_sees_their_team_only(browser, live_sylva, viewport) -> None:
    page = new_page(browser, live_sylva, viewport)
    sign_in(page, "manager")
    page.goto("/insights/")
    assert "scope" not in page.url or "team" in page.url
    options = page.locator("select[name=scope] option")
    assert options.count() >= 1
    assert all(v.startswith("team:") for v in options.evaluate_all("o => o.map(x => x.value)"))
    assert page.locator("#map").count() == 0  # the organisation's map is the animator's
    assert_fits(page, viewport["width"])
    for lever in LEVERS:
        page.goto(f"/insights/{lever}/")
        assert page.locator("main h2").first.is_visible()
        assert_fits(page, viewport["width"])
    response = page.goto("/insights/?scope=org")
    assert response is not None and response.status == 403
    page.context.close()


def test_a_story_shared_after_an_exchange_reaches_the_showcase_on_a_phone(
    browser, live_sylva
) -> None:  # type: ignore[no-untyped-def]
    """The expert reviews a held exchange on a phone and shares a story; a field worker
    reads it in the showcase — the review's own text stays in the exchange."""
    story = "Montrer le réglage devant la machine a tout changé pour Léa."
    learned = "Ce que j'ai appris reste entre nous"
    expert = new_page(browser, live_sylva, PHONE)
    sign_in(expert, "expert")
    expert.goto("/exchange/mine/")
    expert.locator("li.posting:has(.state.held) a.title").first.click()
    expert.wait_for_load_state()
    expert.fill("#id_learned", learned)
    expert.check("input[name=usefulness][value='4']")
    expert.fill("#id_story", story)
    expert.check("#id_story_shared")
    assert_fits(expert, PHONE["width"])
    expert.click("#review button[type=submit]")
    expert.wait_for_load_state()
    assert story in expert.locator("#reviews").inner_text()
    expert.context.close()

    field = new_page(browser, live_sylva, PHONE)
    sign_in(field, "field")
    field.goto("/insights/showcase/")
    showcase = field.locator("#showcase")
    assert showcase.is_visible()
    text = showcase.inner_text()
    assert story in text and learned not in text
    assert field.locator("#showcase .story").count() >= 1
    assert_fits(field, PHONE["width"])
    screenshot(field, "insights-showcase-phone")
    field.context.close()
