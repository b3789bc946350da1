"""Benchmark of the communities on a large company: full-text search, routing a question,
and a community's page, each beside a baseline measured in the same run.

- **search**: what the search page asks for one search (``queries.search.search_posts``:
  the count for the pager and the first page, through the access rules, ranked), beside
  the database's raw full-text query for the same words (the FTS5 table alone: its count
  and its first page by ``rank``) → ``search_ratio``;
- **routing**: ``services.routing.route`` on fresh questions naming a skill (who is
  invited, with reasons, the weekly cap read), p50;
- **page**: the busiest community's page for one of its members (the Django test client, the whole
  server side) beside the shell's home page ``/`` → ``page_ratio``.

Run: ``.venv/bin/python bench/communities.py [--people 100000] [--posts 1000000]
[--model uniform|skewed]``. The company is the seed generator's (no learning history), the
communities and posts are bulk-inserted from the demo taxonomy's skill names (French and
English), into a temporary SQLite database removed afterwards. Smaller
``--people``/``--posts`` keep their ratio in the output (``posts_per_person``).

Two models of the data, so that a measure tuned on one is checked on the other:

- ``uniform`` (the default): posts spread evenly over communities, authors and words, no
  answers;
- ``skewed``: a Zipf law everywhere — one community holds about a quarter of the posts, a few
  authors write most, a few words fill most texts, bodies are longer — and a third of the
  questions have answers (some accepted), so the page's "unanswered first" and "who
  answers most" have real rows to sort.

The page measured is the busiest community's (the most posts); the control is a community
with nothing in it, and the search for words found nowhere.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FOLDER = Path(tempfile.mkdtemp(prefix="sylva-bench-communities-"))
os.environ["SYLVA_DATABASE_URL"] = f"sqlite:///{FOLDER / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sylva.settings")
os.environ.setdefault("SYLVA_SECRET_KEY", "bench-only-" + "k" * 50)  # never served
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import Progress  # noqa: E402
from rich.table import Table  # noqa: E402

from sylva.communities.models import Community, Membership, Post  # noqa: E402
from sylva.communities.queries import search as search_queries  # noqa: E402
from sylva.communities.services import routing  # noqa: E402
from sylva.people.models import Person, PersonSkill, Skill  # noqa: E402
from sylva.people.seed import generate_company  # noqa: E402

console = Console()
SEED = 1
PAGE = settings.SYLVA_PAGE_SIZE
FTS = search_queries.FTS_TABLE
BATCH = 20_000
COMMUNITIES = 60
MEMBERSHIPS_PER_PERSON = 2

FR_TEMPLATES = (
    "Comment réussir {s} sur la ligne {n} ?",
    "Problème de {s} après l'arrêt",
    "Retour d'expérience : {s} en équipe de nuit",
    "Fiche pratique : {s}",
    "Question sur {s} et {t}",
)
EN_TEMPLATES = (
    "How do you handle {s} on line {n}?",
    "Trouble with {s} after the shutdown",
    "Lessons learned: {s} on the night shift",
    "Checklist: {s}",
    "A question about {s} and {t}",
)
_FILLER = {
    "fr": "réglages machine arrêt démarrage consigne sécurité qualité défaut bobine film "
    "palette température pression vitesse maintenance préventive opérateur équipe atelier "
    "contrôle mesure client délai formation procédure",
    "en": "settings machine shutdown startup instruction safety quality defect reel film "
    "pallet temperature pressure speed preventive maintenance operator team workshop check "
    "measure customer deadline training procedure changes changing",
}
FILLER_FR, FILLER_EN = _FILLER["fr"].split(), _FILLER["en"].split()
KINDS = ["question"] * 5 + ["experience"] * 2 + ["resource"] * 2 + ["announcement"]
ZIPF = 1.1  # the skewed model's exponent


class Model:
    """How posts are drawn: which community, which author, which words, how long."""

    def __init__(self, name: str, rng: random.Random, communities: int, people: int) -> None:
        self.name, self.rng = name, rng
        self.skewed = name == "skewed"
        self.word_weights: dict[int, list[float]] = {}
        if self.skewed:
            self.community_weights = _zipf_cumulative(communities)
            self.author_weights = _zipf_cumulative(people)

    def pick(self, items: list[int], cumulative: list[float] | None) -> int:
        if cumulative is None:
            return self.rng.choice(items)
        return self.rng.choices(items, cum_weights=cumulative, k=1)[0]

    def community(self, ids: list[int]) -> int:
        return self.pick(ids, self.community_weights if self.skewed else None)

    def author(self, ids: list[int]) -> int:
        return self.pick(ids, self.author_weights if self.skewed else None)

    def words(self, vocabulary: list[str]) -> list[str]:
        if not self.skewed:
            return self.rng.choices(vocabulary, k=self.rng.randint(8, 20))
        weights = self.word_weights.get(len(vocabulary))
        if weights is None:
            weights = self.word_weights[len(vocabulary)] = _zipf_cumulative(len(vocabulary))
        return self.rng.choices(vocabulary, cum_weights=weights, k=self.rng.randint(20, 120))


def _zipf_cumulative(n: int) -> list[float]:
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**ZIPF
        out.append(total)
    return out


def build_company(people: int) -> float:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        generate_company(people=people, seed=SEED, events_per_person=0, progress=progress)
    return time.perf_counter() - started


def _communities(rng: random.Random, skills: list[Skill], person_ids: list[int]) -> list[int]:
    made = Community.objects.bulk_create(
        Community(
            slug=f"c{i}-{skill.code}"[:80],
            name=skill.name_fr,
            access=Community.Access.REQUEST if i % 6 == 5 else Community.Access.OPEN,
        )
        for i, skill in enumerate(skills[:COMMUNITIES])
    )
    Community.objects.create(slug="empty-control", name="Nothing here yet")
    ids = [c.pk for c in made]
    now = timezone.now()
    rows = {(rng.choice(ids), pid) for pid in person_ids for _ in range(MEMBERSHIPS_PER_PERSON)}
    Membership.objects.bulk_create(
        (Membership(community_id=c, person_id=p, joined_at=now) for c, p in rows),
        batch_size=BATCH,
    )
    return ids


def vocabulary(skills: list[Skill]) -> dict[str, list[str]]:
    """Each language's words for a post's text: the skill names' and the trade's."""
    french = [w for s in skills for w in s.name_fr.lower().split() if len(w) > 3]
    english = [w for s in skills for w in s.name_en.lower().split() if len(w) > 3]
    return {"fr": sorted(set(french)) + FILLER_FR, "en": sorted(set(english)) + FILLER_EN}


def _text(model: Model, skills: list[Skill], words: dict[str, list[str]]) -> tuple[str, str, str]:
    rng = model.rng
    skill, other = rng.choice(skills), rng.choice(skills)
    if rng.random() < 0.6:
        language, templates = "fr", FR_TEMPLATES
        s, t = skill.name_fr.lower(), other.name_fr.lower()
    else:
        language, templates = "en", EN_TEMPLATES
        s, t = skill.name_en.lower(), other.name_en.lower()
    title = rng.choice(templates).format(s=s, t=t, n=rng.randint(1, 12))
    body = " ".join(model.words(words[language]))
    return title, body, language


COLUMNS = (
    "kind, community_id, author_id, title, body, language, intended, happened, why, "
    "next_time, audience, hidden_reason, created_at, last_activity_at, search_document"
)


def build_posts(posts: int, progress: Progress, model_name: str = "uniform") -> float:
    """``posts`` posts, bulk-inserted with the FTS triggers off, then the index rebuilt once
    (what a bulk load does: the triggers are for the rows written one by one)."""
    started = time.perf_counter()
    rng = random.Random(SEED)
    skills = list(Skill.objects.order_by("code"))
    person_ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    community_ids = _communities(rng, skills, person_ids)
    model = Model(model_name, rng, len(community_ids), len(person_ids))
    words = vocabulary(skills)
    now = timezone.now().replace(tzinfo=None)
    task = progress.add_task("Writing posts", total=posts)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {FTS}_insert")
        written = 0
        while written < posts:
            rows = []
            for _ in range(min(BATCH, posts - written)):
                title, body, language = _text(model, skills, words)
                kind = rng.choice(KINDS)
                moment = now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
                when = moment.strftime("%Y-%m-%d %H:%M:%S.%f")
                doc = "\n".join(
                    [search_queries.analyse(title)] * search_queries.TITLE_WEIGHT
                    + [search_queries.analyse(body)]
                )
                place, author = model.community(community_ids), model.author(person_ids)
                aar = ("", "", "", "")
                rest = ("everyone", "", when, when, doc)
                rows.append((kind, place, author, title, body, language, *aar, *rest))
            cursor.executemany(
                f"INSERT INTO communities_post ({COLUMNS}) VALUES ({', '.join(['%s'] * 15)})",
                rows,
            )
            written += len(rows)
            progress.update(task, completed=written)
        rebuild = progress.add_task("Building the full-text index", total=None)
        cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
        cursor.execute(
            f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON communities_post BEGIN "
            f"INSERT INTO {FTS}(rowid, search_document) VALUES (new.id, new.search_document); END"
        )
        if model.skewed:
            _answers(cursor, model, person_ids, progress)
        cursor.execute("ANALYZE")
        progress.update(rebuild, total=1, completed=1)
    return time.perf_counter() - started


def _answers(cursor: Any, model: Model, person_ids: list[int], progress: Progress) -> None:
    """A third of the questions answered, one to three times; a third of those accepted."""
    cursor.execute("SELECT id, created_at FROM communities_post WHERE kind = 'question'")
    questions = cursor.fetchall()
    task = progress.add_task("Writing answers", total=len(questions))
    rows, solved = [], []
    for i, (post_id, created) in enumerate(questions):
        if model.rng.random() < 1 / 3:
            accepted = model.rng.random() < 1 / 3
            for n in range(model.rng.randint(1, 3)):
                mark = created if accepted and n == 0 else None
                rows.append((post_id, model.author(person_ids), "Voir la fiche.", created, mark))
            if accepted:
                solved.append((created, post_id))
        if len(rows) >= BATCH or i == len(questions) - 1:
            cursor.executemany(
                "INSERT INTO communities_reply (post_id, author_id, body, created_at, "
                "accepted_at, hidden_reason) VALUES (%s, %s, %s, %s, %s, '')",
                rows,
            )
            rows = []
            progress.update(task, completed=i + 1)
    cursor.executemany("UPDATE communities_post SET solved_at = %s WHERE id = %s", solved)


def raw(q: str) -> int:
    """The engine alone: its count and its first page of rowids by rank."""
    match = search_queries.match_expression(search_queries.query_stems(q))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FTS} WHERE {FTS} MATCH %s", [match])
        (total,) = cursor.fetchone()
    search_queries.raw_search(q, PAGE)
    return int(total)


def sylva(person: Person) -> Callable[[str], int]:
    def run(q: str) -> int:
        found = search_queries.search_posts(person, q)
        total = found.count()
        list(found[:PAGE])
        return int(total)

    return run


def samples(fn: Callable[[], Any], repeats: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def measure_routing(repeats: int) -> tuple[list[float], int, bool]:
    rng = random.Random(SEED + 1)
    held = list(
        PersonSkill.objects.filter(level__gte=3).values_list("skill_id", flat=True).distinct()
    )
    askers = list(Person.objects.order_by("?").values_list("pk", flat=True)[: repeats + 1])
    community = Community.objects.filter(access=Community.Access.OPEN).first()
    times, invited = [], 0
    for i, asker in enumerate(askers):
        post = Post.objects.create(
            kind=Post.Kind.QUESTION,
            community=community,
            author_id=asker,
            title="Question du banc",
            audience=Post.Audience.EVERYONE,
        )
        post.skills.set([rng.choice(held)] if held else [])
        started = time.perf_counter()
        made = routing.route(post=post)
        if i:  # the first warms
            times.append((time.perf_counter() - started) * 1000)
            invited += len(made)
    return times, invited, invited > 0


def measure_pages(repeats: int) -> tuple[list[float], list[float], list[float], int]:
    """The busiest open community's page for one of its members, the home page, and the
    control: a community with nothing in it."""
    busiest = (
        Post.objects.filter(community__access=Community.Access.OPEN)
        .values("community")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None
    membership = (
        Membership.objects.filter(community_id=busiest["community"])
        .select_related("person__user", "community")
        .first()
    )
    assert membership is not None
    client = Client()
    client.force_login(membership.person.user)
    community = reverse("communities:community", args=[membership.community.slug])
    empty = reverse("communities:community", args=["empty-control"])

    def get(url: str) -> Callable[[], None]:
        def run() -> None:
            answer = client.get(url)
            assert answer.status_code == 200, (url, answer.status_code)

        return run

    return (
        samples(get(community), repeats),
        samples(get("/"), repeats),
        samples(get(empty), repeats),
        int(busiest["n"]),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--model", choices=("uniform", "skewed"), default="uniform")
    args = parser.parse_args()
    started = time.perf_counter()
    terms = [
        ("a French skill word", "réglage"),
        ("two words, either language", "maintenance préventive"),
        ("an English form", "changing"),
        ("a rarer pair", "thermoformeuse nuit"),
        ("nothing", "zzqxw introuvable"),
    ]
    try:
        company_s = build_company(args.people)
        with Progress(console=console, transient=True) as progress:
            posts_s = build_posts(args.posts, progress, args.model)
        people = Person.objects.count()
        posts = Post.objects.count()
        console.print(
            f"[bold]bench communities[/]: {people:,} people in {company_s:.1f} s, "
            f"{posts:,} posts in {posts_s:.1f} s (seed {SEED}, model {args.model}); "
            f"page of {PAGE}; "
            f"{args.repeats} repeats"
        )
        reader = Person.objects.order_by("pk").first()
        assert reader is not None
        results = {}
        for label, q in terms:
            mine = samples(lambda q=q: sylva(reader)(q), args.repeats)
            base = samples(lambda q=q: raw(q), args.repeats)
            results[label] = (q, mine, base, sylva(reader)(q), raw(q))
        route_ms, invited, routed = measure_routing(args.repeats)
        page_ms, shell_ms, empty_ms, busiest = measure_pages(args.repeats)
    finally:
        connection.close()
        shutil.rmtree(FOLDER, ignore_errors=True)

    table = Table(title=f"Communities search, {posts:,} posts (SQLite FTS5)")
    for column in ("search", "Sylva p50 ms", "p99", "raw FTS p50 ms", "p99", "ratio", "found"):
        table.add_column(column, justify="left" if column == "search" else "right")
    all_mine, all_raw = [], []
    for label, (q, mine, base, found, raw_found) in results.items():
        all_mine += mine
        all_raw += base
        m, b = statistics.median(mine), statistics.median(base)
        table.add_row(
            f"{label}: “{q}”",
            f"{m:.2f}",
            f"{p99(mine):.2f}",
            f"{b:.2f}",
            f"{p99(base):.2f}",
            f"{m / b:.2f}" if b else "",
            f"{found:,} / {raw_found:,}",
        )
    console.print(table)
    side = Table(title="Routing and pages")
    for column in ("measure", "p50 ms", "p99 ms", "beside", "ratio"):
        side.add_column(column, justify="left" if column in ("measure", "beside") else "right")
    route_p50 = statistics.median(route_ms) if route_ms else 0.0
    side.add_row(
        f"route a question ({invited} invitations)", f"{route_p50:.2f}", f"{p99(route_ms):.2f}"
    )
    page_p50, shell_p50 = statistics.median(page_ms), statistics.median(shell_ms)
    side.add_row(
        f"the busiest community's page ({busiest:,} posts; a member)",
        f"{page_p50:.2f}",
        f"{p99(page_ms):.2f}",
        f"home page / {shell_p50:.2f} ms",
        f"{page_p50 / shell_p50:.2f}",
    )
    empty_p50 = statistics.median(empty_ms)
    side.add_row(
        "control: an empty community's page",
        f"{empty_p50:.2f}",
        f"{p99(empty_ms):.2f}",
        f"home page / {shell_p50:.2f} ms",
        f"{empty_p50 / shell_p50:.2f}",
    )
    console.print(side)
    if not routed:
        console.print("[yellow]routing invited nobody: services.routing.route is a no-op here")
    search_p50 = statistics.median(all_mine)
    raw_p50 = statistics.median(all_raw)
    parts = [
        f"search_p50_ms={search_p50:.2f}",
        f"search_p99_ms={p99(all_mine):.2f}",
        f"search_ratio={search_p50 / raw_p50:.2f}",
        f"route_p50_ms={route_p50:.2f}",
        f"page_ratio={page_p50 / shell_p50:.2f}",
        f"empty_page_ratio={empty_p50 / shell_p50:.2f}",
        f"model={args.model}",
        f"busiest_posts={busiest}",
        f"people={people}",
        f"posts={posts}",
        f"posts_per_person={posts / people:.1f}",
        f"routed={'yes' if routed else 'no-op'}",
        f"generate_s={company_s + posts_s:.1f}",
        f"total_s={time.perf_counter() - started:.1f}",
    ]
    print("BENCH communities: " + " ".join(parts))  # plain print: one line, never wrapped


if __name__ == "__main__":
    main()
