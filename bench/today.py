"""Benchmark of the daily rendez-vous: every learner's queue in a batch, the today page and
answering a card, side by side with bare views on the same stack.

Run: .venv/bin/python bench/today.py  (BENCH_LEARNERS, BENCH_CARDS, BENCH_REVIEWS to resize)

Set SYLVA_BENCH_TODAY_DB to a file to keep the generated company and reuse it on the next
run (the generation of 10 M reviews takes minutes; a reused file carries the answers of the
previous runs, so the final measurement should be on a fresh file).

Data are bulk-inserted into a temporary SQLite database: learners spread over teams, sites
and departments; modules of cards; campaigns for populations; each learner's memory of the
cards they have met (FSRS state, due dates spread around today) and their review history.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

KEPT = os.environ.get("SYLVA_BENCH_TODAY_DB")
DATABASE = (
    Path(KEPT).resolve()
    if KEPT
    else Path(tempfile.mkdtemp(prefix="sylva-bench-today-")) / "bench.sqlite3"
)
REUSE = DATABASE.exists() and DATABASE.stat().st_size > 0
os.environ["SYLVA_DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sylva.settings")
os.environ.setdefault("SYLVA_SECRET_KEY", "bench-only-" + "k" * 50)  # never served
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

LEARNERS = int(os.environ.get("BENCH_LEARNERS", 100_000))
CARDS = int(os.environ.get("BENCH_CARDS", 2_000))
REVIEWS = int(os.environ.get("BENCH_REVIEWS", 10_000_000))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 1_000))
CARDS_PER_MODULE = 20
TEAM_SIZE = 10
console = Console()


def _rows(sql: str, rows: object, batch: int = 50_000) -> None:
    """Insert through the sqlite3 driver directly (Django's cursor wrapper costs ~10x)."""
    connection.ensure_connection()
    raw = connection.connection
    sql = sql.replace("%s", "?")
    chunk: list[object] = []
    for row in rows:  # type: ignore[attr-defined]
        chunk.append(row)
        if len(chunk) >= batch:
            raw.executemany(sql, chunk)
            chunk = []
    if chunk:
        raw.executemany(sql, chunk)


def _without_indexes(table: str) -> list[str]:
    """Drop a table's secondary indexes for a bulk load; returns the SQL to recreate them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name=%s "
            "AND sql IS NOT NULL",
            [table],
        )
        found = cursor.fetchall()
        for name, _sql in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def _recreate(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def build() -> dict[str, float]:
    from sylva.microlearning.models import Module
    from sylva.microlearning.services.catalogue import bump

    timings: dict[str, float] = {}
    now = timezone.now()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=OFF")
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.execute("PRAGMA cache_size=-400000")
    with transaction.atomic():
        _rows(
            "INSERT INTO people_site (id, code, name, city) VALUES (%s, %s, %s, %s)",
            [(i, f"s{i}", f"Site {i}", "") for i in range(1, 4)],
        )
        _rows(
            "INSERT INTO people_department (id, code, name_fr, name_en) VALUES (%s,%s,%s,%s)",
            [(i, f"d{i}", f"Département {i}", f"Department {i}") for i in range(1, 11)],
        )
        teams = LEARNERS // TEAM_SIZE + 1
        _rows(
            "INSERT INTO people_team (id, name, department_id, site_id) VALUES (%s,%s,%s,%s)",
            [(t, f"Équipe {t}", t % 10 + 1, t % 3 + 1) for t in range(1, teams + 1)],
        )
        _rows(
            "INSERT INTO people_population (id, code, name_fr, name_en) VALUES (%s,%s,%s,%s)",
            [
                (1, "field", "Terrain", "Field"),
                (2, "sales", "Commerciaux", "Sales"),
                (3, "office", "Bureaux", "Office"),
            ],
        )
        joined = now.isoformat(sep=" ")
        _rows(
            "INSERT INTO auth_user (id, password, is_superuser, username, first_name, "
            "last_name, email, is_staff, is_active, date_joined) "
            "VALUES (%s, '!', 0, %s, '', '', '', 0, 1, %s)",
            ((i, f"u{i}", joined) for i in range(1, LEARNERS + 1)),
        )
        hired = (now.date() - timedelta(days=800)).isoformat()
        _rows(
            "INSERT INTO people_person (id, user_id, first_name, last_name, job_title, team_id, "
            "site_id, hire_date, language, can_share, wants_to_learn, visible_in_insights, "
            "search_name) VALUES (%s, %s, %s, %s, '', %s, %s, %s, '', '', '', 0, %s)",
            (
                (
                    i,
                    i,
                    f"Prénom{i}",
                    f"Nom{i}",
                    (i - 1) // TEAM_SIZE + 1,
                    ((i - 1) // TEAM_SIZE + 1) % 3 + 1,
                    hired,
                    f"prenom{i} nom{i}",
                )
                for i in range(1, LEARNERS + 1)
            ),
        )
        _rows(
            "INSERT INTO people_person_populations (person_id, population_id) VALUES (%s, %s)",
            ((i, i % 3 + 1) for i in range(1, LEARNERS + 1)),
        )
        modules = CARDS // CARDS_PER_MODULE
        stamp = now.isoformat(sep=" ")
        _rows(
            "INSERT INTO microlearning_module (id, code, title, topic, language, minutes, status,"
            " is_light, review_note, created_at, updated_at, published_at) VALUES "
            "(%s, %s, %s, 'Sécurité', 'fr', 3, 'published', 0, '', %s, %s, %s)",
            [(m, f"module-{m}", f"Module {m}", stamp, stamp, stamp) for m in range(1, modules + 1)],
        )
        options = (
            '[{"text": "Celui qui l\'a posé", "correct": true}, '
            '{"text": "Le chef d\'équipe", "correct": false}, '
            '{"text": "N\'importe qui", "correct": false}]'
        )
        _rows(
            "INSERT INTO microlearning_card (id, module_id, key, position, kind, title, body,"
            " options, explanation) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    c,
                    (c - 1) // CARDS_PER_MODULE + 1,
                    f"c{c}",
                    (c - 1) % CARDS_PER_MODULE,
                    "lesson" if c % CARDS_PER_MODULE == 1 else "single",
                    f"Qui retire le cadenas de consignation, question {c} ?",
                    "Le cadenas est **personnel** : on le pose, on le retire soi-même.",
                    "[]" if c % CARDS_PER_MODULE == 1 else options,
                    "Seule la personne qui a posé le cadenas le retire.",
                )
                for c in range(1, CARDS + 1)
            ],
        )
        start = (now.date() - timedelta(days=60)).isoformat()
        campaigns = [(1, "Terrain", 1), (2, "Commerciaux", 2), (3, "Bureaux", 3)]
        _rows(
            "INSERT INTO microlearning_campaign (id, name, newcomers, rhythm, new_cards, "
            "starts_on, created_at) VALUES (%s, %s, 0, 'daily', 3, %s, %s)",
            [(cid, name, start, stamp) for cid, name, _pop in campaigns],
        )
        _rows(
            "INSERT INTO microlearning_campaign_populations (campaign_id, population_id) "
            "VALUES (%s, %s)",
            [(cid, pop) for cid, _n, pop in campaigns],
        )
        per_campaign = modules // 3
        _rows(
            "INSERT INTO microlearning_campaignmodule (campaign_id, module_id, position) "
            "VALUES (%s, %s, %s)",
            [
                (cid, (cid - 1) * per_campaign + k + 1, k)
                for cid, _n, _p in campaigns
                for k in range(per_campaign)
            ],
        )
    timings["organisation and content"] = time.perf_counter() - started

    # Each learner has met the first cards of their campaign's modules; reviews are spread
    # over their memories (REVIEWS in all), due dates spread from 5 days ago to 30 ahead.
    # Both tables are generated inside SQLite (recursive CTEs, INSERT … SELECT): no Python
    # row objects, indexes dropped during the load and rebuilt once.
    started = time.perf_counter()
    per_learner = max(1, REVIEWS // LEARNERS)
    met = max(1, min(per_learner // 3, per_campaign * CARDS_PER_MODULE))
    epoch = int(now.timestamp())
    params = {
        "learners": LEARNERS,
        "met": met,
        "per_learner": per_learner,
        "per_campaign": per_campaign,
        "cpm": CARDS_PER_MODULE,
        "now": epoch,
        "reps": per_learner // met,
        "base": int((now - timedelta(days=90)).timestamp()),
    }
    counters = (
        "WITH RECURSIVE p(pid) AS (SELECT 1 UNION ALL SELECT pid + 1 FROM p WHERE pid < :learners),"
        " j(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM j WHERE k < :{n} - 1) "
    )
    # the learner's first card: the first card of their campaign's first module
    first = "(((p.pid % 3 + 1) - 1) * :per_campaign) * :cpm + 1"
    indexes = _without_indexes("microlearning_memory")
    raw = connection.connection
    with transaction.atomic():
        connection.ensure_connection()
        raw.execute(
            "INSERT INTO microlearning_memory (id, person_id, card_id, campaign_id, state, step,"
            " stability, difficulty, due, last_review, last_rating, reps, lapses, first_seen) "
            + counters.format(n="met")
            + "SELECT mid, pid, card, pid % 3 + 1, 2, NULL,"
            " CASE WHEN lesson THEN NULL ELSE 1.0 + mid % 40 END,"
            " CASE WHEN lesson THEN NULL ELSE 3.0 + mid % 5 END,"
            " CASE WHEN lesson THEN NULL ELSE"
            "  datetime(:now + ((mid * 7919) % 840 - 120) * 3600, 'unixepoch') END,"
            " datetime(:now - (24 + mid % 1416) * 3600, 'unixepoch'),"
            " CASE WHEN lesson THEN NULL ELSE"
            "  CASE mid % 5 WHEN 0 THEN 1 WHEN 4 THEN 4 ELSE 3 END END,"
            " CASE WHEN lesson THEN 1 ELSE :reps END, 0,"
            " datetime(:now - (24 + (CASE WHEN lesson THEN mid ELSE mid * 31 END) % 1416) * 3600,"
            "  'unixepoch') "
            "FROM (SELECT (p.pid - 1) * :met + j.k + 1 AS mid, p.pid AS pid,"
            f" {first} + j.k AS card, ({first} + j.k) % :cpm = 1 AS lesson FROM p, j)",
            params,
        )
        _recreate(indexes)
    timings["memories"] = time.perf_counter() - started
    started = time.perf_counter()
    indexes = _without_indexes("microlearning_review")
    with transaction.atomic():
        raw.execute(
            "INSERT INTO microlearning_review (id, answer_id, person_id, card_id, context, "
            "response, correct, rating, duration_ms, elapsed_days, reviewed_at) "
            + counters.format(n="per_learner")
            + "SELECT rid, printf('%032x', rid), pid, card, 'today',"
            " CASE WHEN rid % 5 != 0 THEN '[0]' ELSE '[1]' END, rid % 5 != 0,"
            " CASE WHEN rid % 5 != 0 THEN 3 ELSE 1 END, 9000, 3.0,"
            " datetime(:base + (rid % 10000) * 701, 'unixepoch') "
            f"FROM (SELECT (p.pid - 1) * :per_learner + j.k + 1 AS rid, p.pid AS pid,"
            f" {first} + j.k % :met AS card FROM p, j)",
            params,
        )
        _recreate(indexes)
    timings["reviews"] = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    assert Module.objects.count() == modules
    bump()  # content loaded in bulk, past the models' signals: give it its token
    return timings


def measure(fn: object, n: int) -> list[float]:
    samples = []
    for i in range(n):
        t = time.perf_counter()
        fn(i)  # type: ignore[operator]
        samples.append((time.perf_counter() - t) * 1000)
    return samples


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def shell(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


def _prepare() -> tuple[int, bool]:
    """The database ready (built, or reused); (review records, whether to stop here)."""
    from sylva.microlearning.models import Memory, Review

    console.print(
        f"[bold]bench today[/]: {LEARNERS:,} learners, {CARDS:,} cards, "
        f"{REVIEWS:,} reviews wanted; database {DATABASE}"
    )
    call_command("migrate", verbosity=0)
    timings = {} if REUSE else build()
    if REUSE:
        from sylva.microlearning.queries.catalogue import token_now
        from sylva.microlearning.services.catalogue import bump

        console.print("  reusing the existing database (SYLVA_BENCH_TODAY_DB)")
        if token_now() is None:  # built before content tokens existed
            bump()
    reviews, memories = Review.objects.count(), Memory.objects.count()
    for label, seconds in timings.items():
        console.print(f"  built {label} in {seconds:.1f} s")
    console.print(f"  {reviews:,} review records, {memories:,} memories")
    # BENCH_BUILD_ONLY: prepare a SYLVA_BENCH_TODAY_DB file and stop
    return reviews, bool(os.environ.get("BENCH_BUILD_ONLY"))


def _batch() -> float:
    from sylva.microlearning.queries.today import all_queues

    started = time.perf_counter()
    queues = all_queues()
    batch_s = time.perf_counter() - started
    sizes = [len(q) for q in queues.values()]
    console.print(f"  batch: {len(queues):,} queues, {sum(sizes):,} cards, {batch_s:.1f} s")
    return batch_s


def _mount_baselines() -> None:
    """The bare shell view and a bare response, mounted next to the project's URLs, behind
    the same login requirement: every request goes through the whole stack (the project's
    URLs and middleware, a session cookie, the user loaded from the session)."""
    import importlib

    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.urls import clear_url_caches, path

    importlib.import_module(settings.ROOT_URLCONF).urlpatterns += [
        path("bench/shell/", login_required(shell)),
        path("bench/bare/", login_required(bare)),
    ]
    clear_url_caches()


class _Visits:
    """REQUESTS signed-in learners, each with its session, and the requests they make."""

    def __init__(self) -> None:
        from django.test import Client

        self.users = list(
            User.objects.select_related("person")
            .filter(pk__lte=REQUESTS * 5)
            .order_by("pk")[:REQUESTS]
        )
        self.client = Client()
        self.sessions = []
        for user in self.users:
            self.client.force_login(user)
            self.sessions.append(self.client.cookies)
            self.client.cookies = SimpleCookie()
        self.pairs: list[tuple[int, Any]] = []

    def get(self, url: str) -> Callable[[int], None]:
        def run(i: int) -> None:
            self.client.cookies = self.sessions[i % len(self.sessions)]
            response = self.client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    def call(self, view: Callable[[HttpRequest], HttpResponse]) -> Callable[[int], None]:
        """The same view alone (RequestFactory, no middleware), to show what the stack costs.
        Fresh user objects for each measurement, as each request loads its user: a user
        object caches its permissions, and a view measured after another would skip that."""
        factory = RequestFactory()
        fresh = list(
            User.objects.select_related("person")
            .filter(pk__in=[u.pk for u in self.users])
            .order_by("pk")
        )

        def run(i: int) -> None:
            request = factory.get("/learn/")
            request.user = fresh[i % len(fresh)]
            request.htmx = False  # type: ignore[attr-defined]
            response = view(request)
            assert response.status_code == 200, response.status_code

        return run

    def find_cards_to_answer(self) -> None:
        """One due card of each learner who has one."""
        from sylva.microlearning.queries.today import today

        for i, user in enumerate(self.users):
            queue = today(user.person)
            if queue.cards:
                self.pairs.append((i, queue.cards[0]))
        console.print(f"  {len(self.pairs):,} learners with a card to answer")

    def answer(self, k: int) -> None:
        i, card = self.pairs[k % len(self.pairs)]
        self.client.cookies = self.sessions[i]
        response = self.client.post(
            f"/learn/answer/{card.pk}/",
            {"answer_id": str(uuid.uuid4()), "choice": "0", "duration_ms": "7000"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200, response.status_code


def _report(reviews: int, batch_s: float, samples: dict[str, list[float]]) -> None:
    table = Table(title=f"Today: {LEARNERS:,} learners, {CARDS:,} cards, {reviews:,} reviews")
    for column in ("measure", "p50 ms", "p99 ms", "÷ bare shell p50"):
        table.add_column(column, justify="right")
    base = statistics.median(samples["shell"])
    view_base = statistics.median(samples["shell view"])
    for label, key, against in (
        ("today page", "page", base),
        ("answer a card (htmx)", "answer", base),
        ("bare shell page (base.html)", "shell", base),
        ("bare HttpResponse", "bare", base),
        ("today view alone (no middleware)", "page view", view_base),
        ("shell view alone (no middleware)", "shell view", view_base),
    ):
        table.add_row(
            label,
            f"{statistics.median(samples[key]):.2f}",
            f"{p(samples[key], 0.99):.2f}",
            f"{statistics.median(samples[key]) / against:.2f}",
        )
    table.add_row("batch: every learner's queue", f"{batch_s * 1000:.0f}", "", "")
    console.print(table)
    page, answer_ms = samples["page"], samples["answer"]
    print(  # plain print: one line, never wrapped
        f"BENCH today: batch_s={batch_s:.1f} page_p50_ms={statistics.median(page):.2f} "
        f"page_p99_ms={p(page, 0.99):.2f} bare_p50_ms={base:.2f} "
        f"page_ratio={statistics.median(page) / base:.2f} "
        f"answer_p50_ms={statistics.median(answer_ms):.2f}"
    )


def main() -> None:
    from sylva.microlearning.views import today as views

    reviews, stop = _prepare()
    if stop:
        return
    batch_s = _batch()
    _mount_baselines()
    visits = _Visits()
    # warm up templates, the content catalogue and the database pages
    for url in ("/learn/", "/bench/shell/", "/bench/bare/"):
        measure(visits.get(url), 20)
    samples = {
        "page": measure(visits.get("/learn/"), REQUESTS),
        "shell": measure(visits.get("/bench/shell/"), REQUESTS),
        "bare": measure(visits.get("/bench/bare/"), REQUESTS),
        "page view": measure(visits.call(views.today), REQUESTS),
        "shell view": measure(visits.call(shell), REQUESTS),
    }
    visits.find_cards_to_answer()
    samples["answer"] = measure(visits.answer, len(visits.pairs))
    _report(reviews, batch_s, samples)


if __name__ == "__main__":
    main()
