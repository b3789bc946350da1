"""Benchmark of the notifications: the daily rendez-vous nudge on a 100,000-person company,
the worker's sending rate into a local SMTP server beside a bare ``smtplib`` loop, and the
shell page with the inbox count beside the same page without it.

Run: .venv/bin/python bench/notify.py  (BENCH_PEOPLE, BENCH_SENDS, BENCH_REQUESTS to resize)

The company is the project's seed generator's (``generate_company``, no learning events:
the nudge does not read them) with every pillar's demo content (``sylva seed``'s
``seed_pillars``), in a throwaway SQLite file, or in the PostgreSQL database of
SYLVA_BENCH_DATABASE_URL (emptied of people first only if it has none: a populated one is
reused). Set SYLVA_BENCH_NOTIFY_DB to a file to keep the SQLite company and reuse it.

The demo simulates the history of a few hundred learners only, so the setup gives the
company's learners their microlearning state in bulk: 60 % of the people a campaign reaches
have met every card of their campaigns (FSRS review state, due dates spread from 2 days ago
to 40 days ahead, as intervals of experienced learners are), a tenth of them on a paused day;
the other 40 % have met nothing (today they have new cards).

1. nudge_s: ``sylva.microlearning.services.nudges.nudge(now)`` at the default reminder time
   (until it exists: ``notify_many`` over the learners with a card due, the line says which),
   from a fresh database connection, median of 3 runs; each run first deletes the
   notifications and deliveries of the previous one.
2. send_ratio: ``sending.send_due()`` over BENCH_SENDS queued email deliveries into an
   aiosmtpd server in a thread, beside a bare ``smtplib`` loop sending the very messages the
   server received (same envelope and bytes), one connection per message as Django's SMTP
   backend opens one per ``send()`` without a connection; a loop on one connection is shown,
   and ``send_due`` with the email channel on one connection (the fix it would take). The
   loops take turns, in 4 rounds of a quarter of the messages each.
3. inbox_page_ratio: the home page of a signed-in learner with inbox items through Django's
   test client, with the inbox count and without it (the notifications context processor
   switched off in this process), interleaved; medians of BENCH_REQUESTS requests each.
"""

from __future__ import annotations

import importlib.util
import os
import smtplib
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

PG = os.environ.get("SYLVA_BENCH_DATABASE_URL", "")
KEPT = os.environ.get("SYLVA_BENCH_NOTIFY_DB")
DATABASE = (
    Path(KEPT).resolve()
    if KEPT
    else Path(tempfile.mkdtemp(prefix="sylva-bench-notify-")) / "bench.sqlite3"
)
os.environ["SYLVA_DATABASE_URL"] = PG or f"sqlite:///{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sylva.settings")
os.environ.setdefault("SYLVA_SECRET_KEY", "bench-only-" + "k" * 50)  # never served
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import IntegrityError, connection, transaction  # noqa: E402
from django.urls import get_resolver  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext_noop  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import (  # noqa: E402
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 100_000))
SENDS = int(os.environ.get("BENCH_SENDS", 2_000))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 60))
NUDGE_RUNS = 3
SEND_ROUNDS = 4
SEED = 1
VETERANS = 60  # % of the reached people who have met every card of their campaigns
PAUSED = 10  # % of those on a paused day
console = Console()


def _progress() -> Progress:
    return Progress(
        TextColumn("  {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


# --- the company ---------------------------------------------------------------------------


def build_company() -> None:
    """The seed generator's company and every pillar's demo content (as ``sylva seed``)."""
    from sylva.people.management.commands.seed import seed_pillars
    from sylva.people.models import Person
    from sylva.people.seed import generate_company

    if Person.objects.exists():
        console.print(f"  reusing the company in the database ({Person.objects.count():,} people)")
        return
    started = time.perf_counter()
    with _progress() as progress, transaction.atomic():
        generate_company(people=PEOPLE, seed=SEED, events_per_person=0, progress=progress)
        seed_pillars(seed=SEED, progress=progress)
    console.print(
        f"  company generated and pillars seeded in {time.perf_counter() - started:.0f} s"
    )


def _reached(day: Any) -> dict[int, list[tuple[int, int, bool]]]:
    """Person id -> the (card, campaign, graded) of every card their campaigns show them."""
    from sylva.microlearning.models import Campaign, Card
    from sylva.microlearning.queries.audience import campaign_people

    cards: dict[int, list[tuple[int, int, bool]]] = {}
    for campaign in Campaign.objects.order_by("pk"):
        of_campaign = [
            (card.pk, campaign.pk, card.kind != Card.Kind.LESSON)
            for card in Card.objects.filter(
                module__campaignmodule__campaign=campaign, retired_at__isnull=True
            ).order_by("module__campaignmodule__position", "position")
        ]
        for pid in campaign_people(campaign, day).values_list("pk", flat=True).iterator():
            cards.setdefault(pid, []).extend(of_campaign)
    return cards


def _memory_rows(
    pid: int, cards: list[tuple[int, int, bool]], now: datetime
) -> Iterator[tuple[Any, ...]]:
    seen: set[int] = set()
    for card, campaign, graded in cards:
        if card in seen:
            continue
        seen.add(card)
        spread = (pid * 7919 + card * 104729) % (42 * 24)  # hours: due from 2 days ago on
        due = now + timedelta(hours=spread - 48) if graded else None
        yield (
            pid,
            card,
            campaign,
            2,  # fsrs.State.Review
            1.0 + spread % 40 if graded else None,
            3.0 + spread % 5 if graded else None,
            due,
            now - timedelta(days=3 + spread % 20),
            3 if graded else None,
            4,
            0,
            now - timedelta(days=40),
        )


def give_learners_memories() -> None:
    """The learners' microlearning state, in bulk (see the module's docstring)."""
    from sylva.microlearning.models import Learner, Memory

    if Memory.objects.count() > 10 * PEOPLE // 100:
        console.print(f"  reusing the learners' memories ({Memory.objects.count():,})")
        return
    started = time.perf_counter()
    now = timezone.now()
    reached = _reached(timezone.localdate())
    known = set(Memory.objects.values_list("person_id", flat=True).distinct())
    known |= set(Learner.objects.values_list("person_id", flat=True))
    veterans = [
        pid for pid in sorted(reached) if pid not in known and (pid * 2654435761) % 100 < VETERANS
    ]
    memory_sql = (
        f"INSERT INTO {Memory._meta.db_table} (person_id, card_id, campaign_id, state, stability,"
        " difficulty, due, last_review, last_rating, reps, lapses, first_seen)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    learner_sql = (
        f"INSERT INTO {Learner._meta.db_table} (person_id, streak, best_streak, last_day,"
        " paused_since, on_leaderboards) VALUES (%s, %s, %s, %s, %s, %s)"
    )
    adapt = connection.ops.adapt_datetimefield_value
    yesterday = connection.ops.adapt_datefield_value(timezone.localdate() - timedelta(days=1))
    with _progress() as progress, transaction.atomic(), connection.cursor() as cursor:
        task = progress.add_task("Memories of the learners", total=len(veterans))
        for start in range(0, len(veterans), 2_000):
            chunk = veterans[start : start + 2_000]
            rows = [
                tuple(adapt(v) if isinstance(v, datetime) else v for v in row)
                for pid in chunk
                for row in _memory_rows(pid, reached[pid], now)
            ]
            cursor.executemany(memory_sql, rows)
            learners = [
                (
                    pid,
                    5,
                    12,
                    yesterday,
                    now - timedelta(days=1) if pid % 100 < PAUSED else None,
                    False,
                )
                for pid in chunk
            ]
            cursor.executemany(
                learner_sql,
                [
                    tuple(adapt(v) if isinstance(v, datetime) else v for v in row)
                    for row in learners
                ],
            )
            progress.advance(task, len(chunk))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    console.print(
        f"  memories given to {len(veterans):,} of the {len(reached):,} people campaigns reach"
        f" in {time.perf_counter() - started:.0f} s ({Memory.objects.count():,} memories)"
    )


# --- 1. the nudge --------------------------------------------------------------------------


def clear_notifications() -> None:
    """Delete every notification and delivery (and the sending tasks they queued)."""
    from sylva.notifications.models import Delivery, Notification

    for model in (Delivery, Notification):
        queryset = model.objects.all()
        try:
            with transaction.atomic():
                queryset._raw_delete(queryset.db)
        except IntegrityError:  # another table refers to it: the collector's way
            queryset.delete()
    try:
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.all().delete()
    except ImportError:
        pass


def nudge_moment() -> datetime:
    """Today at the default reminder time, in the organisation's time zone."""
    from sylva.notifications.models import Preference

    at = Preference._meta.get_field("nudge_at").get_default()
    return timezone.make_aware(datetime.combine(timezone.localdate(), at))


def nudge_under_test() -> tuple[str, Callable[[datetime], int]]:
    """The daily nudge, or until it exists the fallback: ``notify_many`` over the learners
    with a card due (not paused)."""
    if importlib.util.find_spec("sylva.microlearning.services.nudges") is not None:
        from sylva.microlearning.services import nudges

        def real(now: datetime) -> int:
            found = nudges.nudge(now)
            return found if isinstance(found, int) else len(found or ())

        return "sylva.microlearning.services.nudges.nudge(now)", real
    return "fallback: notify_many over the learners with a card due", _fallback_nudge


def _fallback_nudge(now: datetime) -> int:
    from sylva.microlearning.models import Learner, Memory
    from sylva.microlearning.queries.today import day_bounds
    from sylva.notifications.queries import notice_kinds
    from sylva.notifications.services import notify_many
    from sylva.people.models import Person

    kinds = sorted(notice_kinds())
    kind = next((k for k in kinds if "nudge" in k or "rendez" in k), "notifications.digest")
    day, _start, end = day_bounds(now)
    due = Memory.objects.filter(due__lt=end).values("person_id")
    paused = Learner.objects.filter(paused_since__isnull=False).values("person_id")
    people = (
        Person.objects.filter(pk__in=due)
        .exclude(pk__in=paused)
        .select_related("user")
        .order_by("pk")
    )
    with transaction.atomic():
        return notify_many(
            people.iterator(chunk_size=2_000),
            kind,
            key=f"bench-nudge:{day.isoformat()}",
            subject=gettext_noop("Your daily rendez-vous is ready"),
            lines=(gettext_noop("A few cards are waiting for you today."),),
            url="/learn/",
            action=gettext_noop("Start"),
        )


def measure_nudge() -> dict[str, Any]:
    from sylva.notifications.models import Delivery, Notification

    label, run = nudge_under_test()
    console.print(f"  timing {label}")
    now = nudge_moment()
    seconds: list[float] = []
    cpu: list[float] = []
    composed = 0
    for _ in range(NUDGE_RUNS):
        clear_notifications()
        connection.close()  # cold-ish: a fresh connection, nothing cached in it
        started, used = time.perf_counter(), time.process_time()
        composed = run(now)
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)  # SQLite works in this process: counted
    return {
        "label": label,
        "seconds": seconds,
        "median": statistics.median(seconds),
        "cpu": statistics.median(cpu),
        "composed": composed,
        "notifications": Notification.objects.count(),
        "deliveries": Delivery.objects.count(),
    }


# --- 2. sending ----------------------------------------------------------------------------


class Counting:
    """An aiosmtpd handler that counts the messages and keeps them for the bare loop."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Counting, int]]:
    from aiosmtpd.controller import Controller

    handler = Counting()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, data_size_limit=0)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def queue_emails(count: int) -> int:
    """``count`` notifications to as many people, one queued email delivery each."""
    from sylva.notifications.models import Delivery
    from sylva.notifications.queries import notice_kinds
    from sylva.notifications.services import notify_many
    from sylva.people.models import Person

    clear_notifications()
    kind = next((k for k in sorted(notice_kinds()) if "nudge" in k), "notifications.digest")
    people = list(
        Person.objects.exclude(user__email="").select_related("user").order_by("pk")[:count]
    )
    with transaction.atomic():
        notify_many(
            people,
            kind,
            key="bench-send",
            subject=gettext_noop("Your daily rendez-vous is ready"),
            lines=(
                gettext_noop("A few cards are waiting for you today."),
                gettext_noop("It takes about five minutes."),
            ),
            url="/learn/",
            action=gettext_noop("Start"),
        )
    queued = Delivery.objects.filter(channel="email", state=Delivery.State.QUEUED).count()
    others = Delivery.objects.exclude(channel="email").count()
    assert queued == count and not others, (queued, others)
    return queued


def _mail_settings(port: int) -> dict[str, object]:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
    }


@contextmanager
def one_connection() -> Iterator[bool]:
    """The email channel on one SMTP connection for the whole run instead of one per message
    (the change proposed for ``sending``, tried in this process only); False when the
    channel does not take its connection from ``get_connection`` any more."""
    from django.core.mail import get_connection

    from sylva.notifications import channels

    if not hasattr(channels, "get_connection"):
        yield False
        return
    shared = get_connection(timeout=settings.EMAIL_TIMEOUT)
    shared.open()
    original = channels.get_connection
    channels.get_connection = lambda *args, **kwargs: shared
    try:
        yield True
    finally:
        channels.get_connection = original
        shared.close()


def _send_due(handler: Counting, count: int, shared: bool = False) -> float | None:
    """Seconds ``sending.send_due()`` takes over ``count`` freshly queued emails."""
    from sylva.notifications.services import sending

    queue_emails(count)
    before = len(handler.received)
    with one_connection() if shared else nullcontext(True) as possible:
        if not possible:
            return None
        started = time.perf_counter()
        sent = sending.send_due()
        seconds = time.perf_counter() - started
    assert sent == count == len(handler.received) - before, (sent, len(handler.received))
    return seconds


def _bare(messages: list[tuple[str, list[str], bytes]], port: int, reuse: bool) -> float:
    """Seconds a bare smtplib loop takes to send ``messages``: a connection each (connect,
    EHLO, MAIL, RCPT, DATA, QUIT), as Django's backend does without a shared connection, or
    all on one connection."""
    from django.core.mail.utils import DNS_NAME

    fqdn = DNS_NAME.get_fqdn()  # what Django's backend gives smtplib (no lookup each time)
    started = time.perf_counter()
    if reuse:
        with smtplib.SMTP("127.0.0.1", port, local_hostname=fqdn, timeout=10) as server:
            for sender, recipients, content in messages:
                server.sendmail(sender, recipients, content)
    else:
        for sender, recipients, content in messages:
            server = smtplib.SMTP("127.0.0.1", port, local_hostname=fqdn, timeout=10)
            server.sendmail(sender, recipients, content)
            server.quit()
    return time.perf_counter() - started


def measure_sending() -> dict[str, Any]:
    """The four loops in SEND_ROUNDS rounds, one after the other in each round, so that a
    change of the machine's load weighs on them alike; times are summed over the rounds."""
    from django.test.utils import override_settings

    each = SENDS // SEND_ROUNDS
    totals: dict[str, float | None] = {"sylva": 0.0, "bare": 0.0, "shared": 0.0, "reused": 0.0}
    sizes: list[int] = []

    def add(name: str, seconds: float | None) -> None:
        so_far = totals[name]
        totals[name] = None if seconds is None or so_far is None else so_far + seconds

    with (
        smtp_server() as (handler, port),
        override_settings(**_mail_settings(port)),
        _progress() as progress,
    ):
        task = progress.add_task("Sending, Sylva and bare smtplib", total=SEND_ROUNDS)
        for _ in range(SEND_ROUNDS):
            start = len(handler.received)
            add("sylva", _send_due(handler, each))
            messages = handler.received[start:]
            sizes += [len(content) for _s, _r, content in messages]
            add("bare", _bare(messages, port, reuse=False))
            add("shared", _send_due(handler, each, shared=True))
            add("reused", _bare(messages, port, reuse=True))
            progress.advance(task)
    return {
        "sylva_s": totals["sylva"],
        "bare_s": totals["bare"],
        "shared_s": totals["shared"],
        "reused_s": totals["reused"],
        "sent": each * SEND_ROUNDS,
        "bytes": statistics.median(sizes),
    }


# --- 3. the shell page with and without the inbox count -----------------------------------


class InboxSwitch:
    """The notifications context processor, switched on or off in this process only."""

    def __init__(self) -> None:
        from sylva.core import context_processors as shell
        from sylva.notifications import context_processors

        self.real = context_processors.inbox
        self.on = True

        def inbox(request: Any) -> dict[str, object]:
            return self.real(request) if self.on else {}

        context_processors.inbox = inbox
        shell._pillar_processors.cache_clear()


def _learner() -> tuple[Any, int]:
    """A learner with inbox items: the demo account with the most, else the person with the
    most among a sample spread over the company; and their count."""
    from sylva.notifications.queries import inbox_count
    from sylva.people.models import Person
    from sylva.people.seed import PERSONAS

    people = Person.objects.select_related("user")
    candidates = list(people.filter(user__username__in=[p.username for p in PERSONAS]))
    candidates.sort(key=lambda person: [p.username for p in PERSONAS].index(person.user.username))
    found = max(candidates, key=inbox_count, default=None)
    if found is None or not inbox_count(found):
        sample = list(people.filter(pk__in=range(1, PEOPLE + 1, max(1, PEOPLE // 500))))
        found = max([*candidates, *sample], key=inbox_count)
    return found.user, inbox_count(found)


def measure_page() -> dict[str, Any]:
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    switch = InboxSwitch()
    user, count = _learner()
    if not count:
        console.print("[yellow]  nobody sampled has an inbox item: the count is still computed[/]")
    client = Client()
    client.force_login(user)

    def get() -> float:
        started = time.perf_counter()
        response = client.get("/")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed

    queries: dict[bool, int] = {}
    for on in (True, False):
        switch.on = on
        for _ in range(10):  # templates, caches, database pages
            get()
        with CaptureQueriesContext(connection) as captured:
            get()
        queries[on] = len(captured.captured_queries)
    samples: dict[bool, list[float]] = {True: [], False: []}
    with _progress() as progress:
        task = progress.add_task("Home page, with and without the count", total=2 * REQUESTS)
        for i in range(2 * REQUESTS):
            switch.on = i % 2 == 0
            samples[switch.on].append(get())
            progress.advance(task)
    switch.on = True
    return {
        "user": user.username,
        "count": count,
        "with": samples[True],
        "without": samples[False],
        "queries": queries,
    }


# --- the report ----------------------------------------------------------------------------


def _p90(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def _rows(
    nudge: dict[str, Any], send: dict[str, Any], page: dict[str, Any]
) -> list[tuple[str, str, str, str]]:
    sylva_rate, bare_rate = send["sent"] / send["sylva_s"], send["sent"] / send["bare_s"]
    with_ms, without_ms = statistics.median(page["with"]), statistics.median(page["without"])
    rows = [
        ("nudge, s (median of 3)", f"{nudge['median']:.1f}", "aim < 60", ""),
        ("  CPU of this process, s (median)", f"{nudge['cpu']:.1f}", "", ""),
        ("  people nudged", f"{nudge['composed']:,}", "", ""),
        (
            f"sending, msg/s ({send['sent']:,} emails)",
            f"{sylva_rate:,.0f}",
            f"{bare_rate:,.0f}",
            f"{sylva_rate / bare_rate:.2f}",
        ),
    ]
    if send["shared_s"] is not None:
        shared_rate = send["sent"] / send["shared_s"]
        rows.append(
            (
                "  on one SMTP connection",
                f"{shared_rate:,.0f}",
                f"{bare_rate:,.0f}",
                f"{shared_rate / bare_rate:.2f}",
            )
        )
    rows += [
        ("  bare smtplib, one connection", "", f"{send['sent'] / send['reused_s']:,.0f}", ""),
        ("home page p50, ms", f"{with_ms:.2f}", f"{without_ms:.2f}", f"{with_ms / without_ms:.2f}"),
        (
            "home page p90, ms",
            f"{_p90(page['with']):.2f}",
            f"{_p90(page['without']):.2f}",
            f"{_p90(page['with']) / _p90(page['without']):.2f}",
        ),
        ("  queries per page", str(page["queries"][True]), str(page["queries"][False]), ""),
    ]
    return rows


def _load() -> str:
    """The machine's load: timings on a busy 2-core machine are wall-clock times."""
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def report(nudge: dict[str, Any], send: dict[str, Any], page: dict[str, Any]) -> None:
    table = Table(title=f"Notifications: {PEOPLE:,} people, {connection.vendor}")
    for column in ("measure", "Sylva", "baseline", "ratio"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for row in _rows(nudge, send, page):
        table.add_row(*row)
    console.print(table)
    runs = ", ".join(f"{s:.1f}" for s in nudge["seconds"])
    console.print(f"  nudge timed: {nudge['label']} (runs: {runs} s)")
    console.print(
        f"  sending baseline: bare smtplib, a connection per message, the same"
        f" {send['sent']:,} messages (median {send['bytes']:,.0f} bytes) into the same server"
    )
    if send["shared_s"] is not None:
        console.print("  'on one SMTP connection': the email channel patched in this process")
    console.print(
        f"  home page of {page['user']} ({page['count']} in the inbox) through the test"
        f" client; baseline: the same page without the inbox count, interleaved,"
        f" {REQUESTS} requests each"
    )
    console.print(f"  load average (1, 5, 15 min) at the end: {_load()}")
    sylva_rate, bare_rate = send["sent"] / send["sylva_s"], send["sent"] / send["bare_s"]
    with_ms, without_ms = statistics.median(page["with"]), statistics.median(page["without"])
    print(  # plain print: one line, never wrapped
        f"BENCH notify: nudge_s={nudge['median']:.1f} send_ratio={sylva_rate / bare_rate:.2f} "
        f"inbox_page_ratio={with_ms / without_ms:.2f} nudge_cpu_s={nudge['cpu']:.1f} "
        f"nudged={nudge['composed']} "
        f"sylva_msg_per_s={sylva_rate:.0f} bare_msg_per_s={bare_rate:.0f} "
        f"page_p50_ms={with_ms:.2f} page_without_p50_ms={without_ms:.2f}"
    )


def main() -> None:
    where = PG.rsplit("@", 1)[-1] if PG else str(DATABASE)
    console.print(
        f"[bold]bench notify[/]: {PEOPLE:,} people; database {where}; load average {_load()}"
    )
    call_command("migrate", verbosity=0)
    build_company()
    give_learners_memories()
    get_resolver().url_patterns  # noqa: B018 - loaded once in a worker, before any timing
    nudge = measure_nudge()
    send = measure_sending()
    page = measure_page()
    clear_notifications()
    report(nudge, send, page)
    if settings.DEBUG:
        console.print("[yellow]DEBUG is on: every query is kept, timings are pessimistic[/]")


if __name__ == "__main__":
    main()
