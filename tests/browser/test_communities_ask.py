"""Ask → the invited expert answers from the inbox → the asker accepts, in Chromium, on a
360x780 phone and on a desktop: the newcomer asks a question in one of their communities on
a skill the expert can teach; Sylva invites the expert, who finds the invitation in their
inbox, opens it and answers; the newcomer accepts the answer and the question is solved.

The live demo database is shared by every browser test: the setup makes sure of what the
journey needs (a skill only the expert holds, at level 4, the expert a member of the
community, a week without invitations so that the weekly cap leaves room) and the
``finally`` undoes it, with the question and everything it made."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE, assert_fits, new_page, screenshot, sign_in

ANSWER = "Lower the barrel's third zone by 5 °C, then wait ten minutes before the first cut."


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _person(db: sqlite3.Connection, username: str) -> tuple[int, str]:
    row = db.execute(
        "SELECT p.id, p.first_name || ' ' || p.last_name FROM people_person p "
        "JOIN auth_user u ON u.id = p.user_id WHERE u.username = ?",
        (username,),
    ).fetchone()
    assert row, username
    return int(row[0]), str(row[1])


def _children(db: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(table, column) of every foreign key pointing at ``table``'s id."""
    found = []
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        try:
            keys = db.execute(f'PRAGMA foreign_key_list("{name}")').fetchall()
        except sqlite3.DatabaseError:  # virtual tables (full-text)
            continue
        found += [(name, key[3]) for key in keys if key[2] == table]
    return found


def _purge(db: sqlite3.Connection, table: str, ids: list[int]) -> None:
    """Delete rows ``ids`` of ``table`` and, first, every row that points at them (the
    test made all of them)."""
    if not ids:
        return
    marks = ",".join("?" * len(ids))
    for child, column in _children(db, table):
        columns = [c[1] for c in db.execute(f'PRAGMA table_info("{child}")')]
        if "id" in columns:
            rows = db.execute(f'SELECT id FROM "{child}" WHERE "{column}" IN ({marks})', ids)
            _purge(db, child, [r[0] for r in rows])
        else:
            db.execute(f'DELETE FROM "{child}" WHERE "{column}" IN ({marks})', ids)
    db.execute(f'DELETE FROM "{table}" WHERE id IN ({marks})', ids)


@contextmanager
def _journey_ready(database: Path, tag: str) -> Iterator[dict[str, Any]]:
    started = datetime.now(UTC)
    title = f"How do I set the die after a change? ({tag})"
    made: dict[str, Any] = {"title": title, "memberships": [], "moved": []}
    try:
        with closing(sqlite3.connect(database, timeout=30)) as db, db:
            newcomer, _ = _person(db, "newcomer")
            expert, expert_name = _person(db, "expert")
            manager = db.execute(
                "SELECT manager_id FROM people_person WHERE id = ?", (newcomer,)
            ).fetchone()[0]
            assert manager != expert, "the expert must not be the newcomer's manager"
            row = db.execute(
                "SELECT c.id, c.slug FROM communities_community c JOIN communities_membership m "
                "ON m.community_id = c.id WHERE m.person_id = ? AND m.state = 'active' "
                "AND c.archived_at IS NULL ORDER BY c.id LIMIT 1",
                (newcomer,),
            ).fetchone()
            assert row, "the demo makes the newcomer a member of a community"
            community, slug = row
            now = _stamp(started)
            if not db.execute(
                "SELECT 1 FROM communities_membership WHERE community_id = ? AND person_id = ? "
                "AND state = 'active'",
                (community, expert),
            ).fetchone():
                db.execute(
                    "DELETE FROM communities_membership WHERE community_id = ? AND person_id = ?",
                    (community, expert),
                )
                cursor = db.execute(
                    "INSERT INTO communities_membership (community_id, person_id, role, state, "
                    "created_at, joined_at) VALUES (?, ?, 'member', 'active', ?, ?)",
                    (community, expert, now, now),
                )
                made["memberships"].append(cursor.lastrowid)
            domain = db.execute("SELECT id FROM people_skilldomain ORDER BY id LIMIT 1").fetchone()
            cursor = db.execute(
                "INSERT INTO people_skill (code, name_fr, name_en, domain_id) VALUES (?, ?, ?, ?)",
                (
                    f"browser-die-{tag}",
                    f"Réglage de filière ({tag})",
                    f"Die setup ({tag})",
                    domain[0],
                ),
            )
            made["skill"] = cursor.lastrowid
            db.execute(
                "INSERT INTO people_personskill (person_id, skill_id, level, willing_to_share, "
                "updated_at) VALUES (?, ?, 4, 1, ?)",
                (expert, made["skill"], now),
            )
            # the weekly cap: the expert's invitations of this week are moved a week back
            week = _stamp(started - timedelta(days=7))
            made["moved"] = db.execute(
                "SELECT id, created_at FROM communities_invitation WHERE invitee_id = ? "
                "AND created_at >= ?",
                (expert, week),
            ).fetchall()
            db.executemany(
                "UPDATE communities_invitation SET created_at = ? WHERE id = ?",
                [(_stamp(started - timedelta(days=8)), pk) for pk, _at in made["moved"]],
            )
        made.update(slug=slug, expert_name=expert_name, people=(newcomer, expert))
        yield made
    finally:
        with closing(sqlite3.connect(database, timeout=30)) as db, db:
            posts = [
                r[0]
                for r in db.execute("SELECT id FROM communities_post WHERE title = ?", (title,))
            ]
            for pk in posts:
                notes = db.execute(
                    "SELECT id FROM notifications_notification WHERE url LIKE ?",
                    (f"%/communities/p/{pk}/%",),
                )
                _purge(db, "notifications_notification", [r[0] for r in notes])
            _purge(db, "communities_post", posts)
            if made.get("people"):
                marks = ",".join("?" * len(made["people"]))
                events = db.execute(
                    f"SELECT id FROM people_learningevent WHERE actor_id IN ({marks}) "
                    "AND timestamp >= ?",
                    (*made["people"], _stamp(started)),
                )
                _purge(db, "people_learningevent", [r[0] for r in events])
            _purge(db, "communities_membership", made["memberships"])
            if made.get("skill"):
                _purge(db, "people_skill", [made["skill"]])
            db.executemany(
                "UPDATE communities_invitation SET created_at = ? WHERE id = ?",
                [(at, pk) for pk, at in made["moved"]],
            )


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_ask_the_invited_expert_answers_from_the_inbox_and_the_asker_accepts(
    browser, live_sylva, live_sylva_database, size: str
) -> None:  # type: ignore[no-untyped-def]
    viewport = PHONE if size == "phone" else DESKTOP
    with _journey_ready(live_sylva_database, size) as ready:
        asker = new_page(browser, live_sylva, viewport, locale="en-GB")
        sign_in(asker, "newcomer")
        asker.goto(f"/communities/p/new/?community={ready['slug']}&kind=question")
        asker.fill("#id_title", ready["title"])
        asker.fill("#id_body", "The melt pressure climbs after each die change.")
        asker.select_option("#id_skills", [str(ready["skill"])])
        assert_fits(asker, viewport["width"])
        asker.click("form.form button[type=submit].primary")
        asker.wait_for_url(re.compile(r".*/communities/p/\d+/$"))
        question = _path(asker.url)
        # the slot says who was invited and why (the asker sees names and reasons)
        invited = asker.locator("#invitations")
        invited.get_by_text(ready["expert_name"]).wait_for()
        assert "level 4" in invited.inner_text()
        assert_fits(asker, viewport["width"])
        screenshot(asker, f"communities-ask-{size}")

        expert = new_page(browser, live_sylva, viewport, locale="en-GB")
        sign_in(expert, "expert")
        expert.goto("/inbox/")
        item = expert.locator("#mine li.inboxitem", has=expert.locator(f"a[href='{question}']"))
        assert item.count() == 1
        assert ready["title"] in item.inner_text()
        assert_fits(expert, viewport["width"])
        screenshot(expert, f"communities-invited-inbox-{size}")
        item.locator(f"a[href='{question}#reply-form']").click()
        expert.wait_for_url(re.compile(r".*/communities/p/\d+/#reply-form$"))
        # the slot loads with htmx: the invitee reads why they were invited
        expert.locator("#invitations").get_by_text("You were invited because").wait_for()
        expert.fill("#reply-form textarea", ANSWER)
        expert.click("#reply-form button[type=submit]")
        expert.wait_for_load_state()
        expert.locator("#replies").get_by_text(ANSWER[:30]).wait_for()
        expert.goto("/inbox/")
        gone = expert.locator("#mine li.inboxitem", has=expert.locator(f"a[href='{question}']"))
        assert gone.count() == 0  # answered: no longer waiting on the expert

        asker.goto(question)
        asker.locator("#replies form[action$='/accept/'] button").first.click()
        asker.wait_for_load_state()
        asker.locator("#replies li.reply.accepted").first.wait_for()
        assert "solved" in asker.locator("#post .meta").inner_text().lower() or (
            "résolue" in asker.locator("#post .meta").inner_text().lower()
        )
        assert asker.locator("#replies form[action$='/accept/']").count() == 0
        assert_fits(asker, viewport["width"])
        screenshot(asker, f"communities-solved-{size}")
        with closing(sqlite3.connect(live_sylva_database, timeout=30)) as db:
            pk = int(question.rstrip("/").rsplit("/", 1)[1])
            solved, state = db.execute(
                "SELECT p.solved_at, i.state FROM communities_post p JOIN "
                "communities_invitation i ON i.post_id = p.id WHERE p.id = ?",
                (pk,),
            ).fetchone()
        assert solved and state == "answered"
        for page in (asker, expert):
            page.context.close()
