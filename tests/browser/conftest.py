"""Browser tests: a real Sylva served from its own SQLite file, driven by Debian's Chromium.

The server is started once per session in a subprocess (`sylva migrate`, `sylva seed`,
`sylva demo`), as a newcomer would run it; tests talk to it over HTTP only.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SYLVA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 860}
PASSWORD = "sylva-demo"

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_sylva_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the live server keeps its SQLite database and its log."""
    return tmp_path_factory.mktemp("live")


@pytest.fixture(scope="session")
def live_sylva_database(live_sylva: str, live_sylva_folder: Path) -> Path:
    """The live server's database file, for a test that must move time forward."""
    return live_sylva_folder / "sylva.sqlite3"


@pytest.fixture(scope="session")
def live_sylva(live_sylva_folder: Path) -> Iterator[str]:
    folder = live_sylva_folder
    env = {
        **os.environ,
        "SYLVA_DATABASE_URL": f"sqlite:///{folder / 'sylva.sqlite3'}",
        "SYLVA_DEBUG": "false",
        "SYLVA_SECRET_KEY": "browser-tests-" + "k" * 50,
    }
    cli = [sys.executable, "-m", "sylva.cli"]
    subprocess.run([*cli, "migrate", "-v", "0"], env=env, check=True, cwd=folder)
    subprocess.run(
        [*cli, "seed", "--people", "150", "--seed", "7"],
        env=env,
        check=True,
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    port = _free_port()
    log = open(folder / "server.log", "wb")  # noqa: SIM115
    # `sylva demo` serves it as a newcomer would (the demo accounts need no second factor).
    server = subprocess.Popen(
        [*cli, "demo", "--addrport", f"127.0.0.1:{port}"],
        env=env,
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    # A loaded machine can take long over the system checks: wait up to two minutes, then
    # say why instead of letting every test fail on a refused connection.
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):
                break
        except OSError:
            if server.poll() is not None:
                raise RuntimeError((folder / "server.log").read_text()) from None
            if time.monotonic() > deadline:
                server.terminate()
                raise RuntimeError("the live server did not answer /healthz in 120 s") from None
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)
    log.close()


@contextmanager
def languages_kept(database: Path) -> Iterator[None]:
    """Each person's remembered language as it was before: a walk that switches to English
    and back through the page's switcher leaves "fr" remembered where nothing was, and the
    next test's browser language would no longer count."""
    with sqlite3.connect(database) as db:
        before = dict(db.execute("SELECT id, language FROM people_person"))
    try:
        yield
    finally:
        with sqlite3.connect(database) as db:
            changed = [
                (before[pk], pk)
                for pk, language in db.execute("SELECT id, language FROM people_person")
                if pk in before and before[pk] != language
            ]
            db.executemany("UPDATE people_person SET language = ? WHERE id = ?", changed)


@pytest.fixture(autouse=True)
def _languages_as_they_were(request: pytest.FixtureRequest) -> Iterator[None]:
    """:func:`languages_kept` around every test of the live server (module-scoped fixtures
    that walk pages, like the accessibility crawl, use it themselves)."""
    if "live_sylva" not in request.fixturenames:
        yield
        return
    with languages_kept(request.getfixturevalue("live_sylva_database")):
        yield


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # Playwright gives each launch a fresh, empty --user-data-dir of its own.
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=["phone", "desktop"])
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    return PHONE if request.param == "phone" else DESKTOP


def new_page(browser, live_sylva: str, viewport: dict[str, int], locale: str = "fr-FR"):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=live_sylva,
        viewport=viewport,
        locale=locale,
        is_mobile=viewport["width"] < 600,
        has_touch=viewport["width"] < 600,
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def nav(page, href: str) -> None:  # type: ignore[no-untyped-def]
    """Click a section of the main navigation: through the Menu on a phone."""
    summary = page.locator(".navmenu > summary")
    if summary.is_visible():
        summary.click()
    page.locator(f'.mainnav a[href="{href}"]').click()
    page.wait_for_load_state()


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/")


def assert_fits(page, width: int) -> None:  # type: ignore[no-untyped-def]
    """Nothing on the page is wider than the screen (no sideways scrolling)."""
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide on a {width}px screen"


def screenshot(page, name: str, *, readme: bool = False) -> None:  # type: ignore[no-untyped-def]
    """A picture of the page in test-artifacts/; the README's own pictures (``readme=True``,
    taken by test_screenshots.py in the README's language) also go to docs/screenshots/ under
    ``make screenshots``. Other tests' pictures never overwrite the README's."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    if readme and os.environ.get("SYLVA_UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SCREENSHOTS / f"{name}.png")


def give_levels(page, submit: str = "button[type=submit].primary") -> None:  # type: ignore[no-untyped-def]
    """Offering implies knowing: for a skill not on the profile at level 3 or more, the
    form asks the level first; the person says 3 (mastering) and sends it again."""
    levels = page.locator("select[name^=level_], select[name*='-level_']")
    if levels.count():
        for i in range(levels.count()):
            levels.nth(i).select_option("3")
        page.locator(submit).first.click()
        page.wait_for_load_state()
