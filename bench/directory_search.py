"""Benchmark of the directory's search ("Who knows what", ``people.queries.search_people``)
on a company of 10,000 people, side by side with two baselines measured in the same run on
the same database:

- *the same search without its ranking*: the same words matched the same way (name, job,
  profile texts, team, department, site, skills held or wished, accent-blind), ordered by
  name only: what the ranking (name first, then level in the skill named) costs;
- *icontains on the name*: ``first_name`` or ``last_name`` containing each word, case-blind
  only: what a naive search costs (and what it misses: its match counts are shown).

Each measure is what the directory page asks for one search: the number of matches (the
pager), the first page of people and, for Sylva, why each of them matched
(``why_matched``). Every measure is repeated ``--repeats`` times; the medians are reported
with the number of SQL queries each one runs.

Run: ``.venv/bin/python bench/directory_search.py [--people 10000] [--repeats 9]``. The
company is the seed generator's (``people.seed.generate_company``, no learning history), in
a temporary SQLite database removed afterwards; the whole run takes under two minutes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FOLDER = Path(tempfile.mkdtemp(prefix="sylva-bench-directory-"))
os.environ["SYLVA_DATABASE_URL"] = f"sqlite:///{FOLDER / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sylva.settings")
os.environ.setdefault("SYLVA_SECRET_KEY", "bench-only-" + "k" * 50)  # never served
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q, QuerySet  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402
from rich.table import Table  # noqa: E402

from sylva.people import queries  # noqa: E402
from sylva.people.models import Person, PersonSkill, Site, Skill  # noqa: E402
from sylva.people.seed import generate_company  # noqa: E402
from sylva.people.text import fold  # noqa: E402

console = Console()
SEED = 1
PAGE = settings.SYLVA_PAGE_SIZE


def build(people: int) -> float:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        generate_company(people=people, seed=SEED, events_per_person=0, progress=progress)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def terms() -> list[tuple[str, str]]:
    """The searches, read from the generated company (the same for a given seed): a
    person's full name typed without accents or capitals, the French name of the skill
    most held (lower case, without accents), a site's name, and a word matching nothing."""
    accented = (
        Person.objects.filter(user__is_active=True)
        .order_by("pk")
        .values_list("first_name", "last_name")
    )
    names = list(accented)
    first, last = next(
        ((f, n) for f, n in names if fold(f"{f} {n}") != f"{f} {n}".lower()), names[0]
    )
    held = Counter(PersonSkill.objects.values_list("skill_id", flat=True))
    skill = Skill.objects.get(pk=held.most_common(1)[0][0])
    site = Site.objects.order_by("pk").first()
    assert site is not None
    return [
        ("a name", fold(f"{first} {last}")),
        ("a skill (French)", fold(skill.name_fr)),
        ("a site", site.name),
        ("nothing", "zzqxw introuvable"),
    ]


def sylva(q: str) -> int:
    """What the directory page runs: count, first page, why each matched."""
    found = queries.search_people(queries.DirectoryFilter(q=q))
    total = found.count()
    page = list(found[:PAGE])
    queries.why_matched(page, q)
    return total


def unranked(q: str) -> int:
    """The same words matched the same way, ordered by name only (no ranking)."""
    words = queries.words_of(q)
    qs: QuerySet[Person] = queries.people_base()
    for word in words.words:
        qs = qs.filter(queries._word_filter(words, word))
    qs = qs.order_by("last_name", "first_name", "pk")
    total = qs.count()
    list(qs[:PAGE])
    return total


def naive(q: str) -> int:
    """``icontains`` on the first or last name, each word (case-blind, not accent-blind)."""
    qs = queries.people_base()
    for word in q.split():
        qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    qs = qs.order_by("last_name", "first_name", "pk")
    total = qs.count()
    list(qs[:PAGE])
    return total


def measure(fn: Callable[[str], int], q: str, repeats: int) -> dict[str, Any]:
    fn(q)  # warm: the statements prepared, the pages of the database in memory
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn(q)
        samples.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as captured:
        found = fn(q)
    return {"ms": statistics.median(samples), "queries": len(captured), "found": found}


METHODS: list[tuple[str, Callable[[str], int]]] = [
    ("Sylva (ranked, with reasons)", sylva),
    ("same search, no ranking", unranked),
    ("icontains on the name", naive),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    started = time.perf_counter()
    try:
        generate_s = build(args.people)
        count = Person.objects.count()
        console.print(
            f"[bold]bench directory_search[/]: {count:,} people generated in {generate_s:.1f} s"
            f" (seed {SEED}); page of {PAGE}; median of {args.repeats} repeats"
        )
        searched = terms()
        results = {
            (label, name): measure(fn, q, args.repeats)
            for label, q in searched
            for name, fn in METHODS
        }
    finally:
        connection.close()
        shutil.rmtree(FOLDER, ignore_errors=True)
    table = Table(title=f"Directory search, {count:,} people (SQLite)")
    table.add_column("search")
    table.add_column("method")
    for column in ("median ms", "queries", "found", "÷ no ranking"):
        table.add_column(column, justify="right")
    for label, q in searched:
        base = results[(label, "same search, no ranking")]["ms"]
        for name, _fn in METHODS:
            r = results[(label, name)]
            table.add_row(
                f"{label}: “{q}”" if name == METHODS[0][0] else "",
                name,
                f"{r['ms']:.2f}",
                str(r["queries"]),
                f"{r['found']:,}",
                f"{r['ms'] / base:.2f}" if base else "",
            )
        table.add_section()
    console.print(table)
    keys = {"a name": "name", "a skill (French)": "skill", "a site": "site", "nothing": "none"}
    parts = [f"people={count}", f"generate_s={generate_s:.1f}"]
    for label, _q in searched:
        mine = results[(label, METHODS[0][0])]
        plain = results[(label, METHODS[1][0])]
        naive_r = results[(label, METHODS[2][0])]
        key = keys[label]
        parts += [
            f"{key}_ms={mine['ms']:.2f}",
            f"{key}_unranked_ms={plain['ms']:.2f}",
            f"{key}_icontains_ms={naive_r['ms']:.2f}",
            f"{key}_queries={mine['queries']}",
            f"{key}_found={mine['found']}",
            f"{key}_icontains_found={naive_r['found']}",
        ]
    parts.append(f"total_s={time.perf_counter() - started:.1f}")
    print("BENCH directory_search: " + " ".join(parts))  # plain print: one line, never wrapped


if __name__ == "__main__":
    main()
