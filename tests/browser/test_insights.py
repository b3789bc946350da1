"""The ecosystem's health and the four levers in Chromium, as a learning animator and as a
team manager, on a 360 px phone and a 1280 px desktop."""

from __future__ import annotations

import re
import sqlite3

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
    browser, live_sylva, live_sylva_database
) -> None:  # type: ignore[no-untyped-def]
    """The expert reviews a held exchange on a phone and shares a story; a field worker
    reads it in the showcase — the review's own text stays in the exchange. The review is
    taken back afterwards: the exchange waits on the expert's review again (other walks
    reach it from the inbox)."""
    story = "Montrer le réglage devant la machine a tout changé pour Léa."
    learned = "Ce que j'ai appris reste entre nous"
    expert = new_page(browser, live_sylva, PHONE)
    sign_in(expert, "expert")
    expert.goto("/exchange/mine/")
    expert.locator("li.posting:has(.state.held) a.title").first.click()
    expert.wait_for_load_state()
    found = re.search(r"/exchange/x/(\d+)/", expert.url)
    assert found, expert.url
    exchange_id = int(found.group(1))
    with sqlite3.connect(live_sylva_database) as db:
        (state,) = db.execute(
            "SELECT state FROM exchange_exchange WHERE id = ?", (exchange_id,)
        ).fetchone()
    try:
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
    finally:
        with sqlite3.connect(live_sylva_database) as db:
            db.execute(
                "DELETE FROM exchange_review WHERE exchange_id = ? AND author_id = (SELECT p.id"
                " FROM people_person p JOIN auth_user u ON u.id = p.user_id"
                " WHERE u.username = 'expert')",
                (exchange_id,),
            )
            db.execute("UPDATE exchange_exchange SET state = ? WHERE id = ?", (state, exchange_id))


def test_an_introduction_sent_leaves_the_suggestions(browser, live_sylva, viewport) -> None:  # type: ignore[no-untyped-def]
    """The animator introduces two people: the page says both are told, the pair leaves
    the suggestions and joins the introductions sent, each side not answered yet."""
    page = new_page(browser, live_sylva, viewport)
    sign_in(page, "animator")
    page.goto("/insights/links/")
    forms = page.locator("#person-introductions form")
    assert forms.count() >= 1
    first = forms.first
    a = first.locator("input[name=person_a]").get_attribute("value")
    b = first.locator("input[name=person_b]").get_attribute("value")
    pair = (
        f"#person-introductions form:has(input[name=person_a][value='{a}'])"
        f":has(input[name=person_b][value='{b}'])"
    )
    assert page.locator(pair).count() == 1
    sent = page.locator("#sent-introductions li").count()
    first.locator("input[name=reason]").fill("Ligne 3 : les réglages du matin")
    first.locator("button").click()
    page.wait_for_load_state()
    assert page.locator(".msg").is_visible()
    assert page.locator(pair).count() == 0
    assert page.locator("#sent-introductions li").count() == min(sent + 1, 30)
    newest = page.locator("#sent-introductions li").first
    assert newest.locator(".answer-waiting").count() == 2
    assert "Ligne 3 : les réglages du matin" in newest.inner_text()
    assert_fits(page, viewport["width"])
    kind = "phone" if viewport["width"] < 600 else "desktop"
    screenshot(page, f"insights-introduction-sent-{kind}")
    page.context.close()


def test_a_structure_given_to_the_designer_is_done_from_their_inbox(  # type: ignore[no-untyped-def]
    browser, live_sylva
) -> None:
    """On a phone: the animator accepts a structure and gives it to the designer, who finds
    the task in their inbox and marks it done there."""
    designer = new_page(browser, live_sylva, PHONE)
    sign_in(designer, "designer")
    name = (designer.locator(".who").first.text_content() or "").strip()
    assert name

    animator = new_page(browser, live_sylva, PHONE)
    sign_in(animator, "animator")
    animator.goto("/insights/structure/")
    forms = animator.locator("#structures form.accept")
    assert forms.count() >= 1, "the demo suggests no structure left to accept"
    rows = animator.locator("#structures ul.suggestions > li")
    at = next(i for i in range(rows.count()) if rows.nth(i).locator("form.accept").count())
    form = rows.nth(at).locator("form.accept")
    select = form.locator("select[name=assignee]")
    labels = select.locator("option").evaluate_all("o => o.map(x => x.textContent)")
    assert select.locator("option").first.get_attribute("value") == ""  # myself
    chosen = next(label for label in labels if label.startswith(name))
    select.select_option(label=chosen)
    assert_fits(animator, PHONE["width"])
    form.locator("button").click()
    animator.wait_for_load_state()
    assert name in rows.nth(at).locator(".task-waiting").inner_text()  # the same suggestion
    animator.context.close()

    designer.goto("/inbox/")
    tasks = designer.locator("#mine li[data-kind='insights.task']")
    before = tasks.count()
    assert before >= 1
    assert_fits(designer, PHONE["width"])
    screenshot(designer, "insights-task-inbox-phone")
    tasks.first.locator("form button.primary").click()
    designer.wait_for_load_state()
    assert "/inbox/" in designer.url
    assert designer.locator("#mine li[data-kind='insights.task']").count() == before - 1
    designer.context.close()
