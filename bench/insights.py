"""Benchmark of the insights: the full recomputation on 100,000 people and 2 million
learning events (reading from the database included), beside networkx on a 10,000-person
subset, and the recovery of planted ground truth on the default planted company.

    .venv/bin/python bench/insights.py [--people 100000] [--events-per-person 20]

The recomputation runs twice, each in its own process: first with the compact copy of the
event log emptied (the first recomputation ever builds it), then as every later one does
(the copy only re-reads the days that changed: today). recompute_s is the second.
Each measurement runs in its own process on its own temporary SQLite file, so that peak
memory (getrusage) is the recomputation's alone. Set SYLVA_BENCH_INSIGHTS_DB to a file to
keep (and reuse) the large company between runs: generating it takes several minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLANTED_PEOPLE = 600
SUBSET = 10_000


def setup(db: Path) -> None:
    os.environ["SYLVA_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sylva.settings")
    os.environ.setdefault("SYLVA_SECRET_KEY", "bench-only-" + "k" * 50)  # never served
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def child_generate(db: Path, people: int, per_person: int, seed: int, plant: bool) -> dict:
    setup(db)
    from rich.progress import Progress

    from sylva.people.models import Person
    from sylva.people.seed import generate_company

    out: dict = {}
    if not Person.objects.exists():
        with Progress(transient=True) as progress:
            summary = generate_company(
                people=people, seed=seed, events_per_person=per_person, progress=progress
            )
        out["generate_s"] = summary.seconds
    if plant:
        import pickle

        from sylva.insights.planting import plant as do_plant

        truth = do_plant(seed=seed)
        db.with_suffix(".truth").write_bytes(pickle.dumps(truth))
    return out


def child_recompute(db: Path, cold: bool) -> dict:
    import resource

    setup(db)
    from sylva.insights.compute import recompute
    from sylva.insights.models import EventDay

    if cold:  # the first recomputation ever: the compact copy of the log is built from scratch
        EventDay.objects.all().delete()

    steps: dict[str, float] = {}
    last = [time.perf_counter()]

    def step(name: str, n: int) -> None:
        now = time.perf_counter()
        key = "reading" if name == "reading" else name
        steps[key] = steps.get(key, 0.0) + now - last[0]
        last[0] = now

    data, _result, seconds = recompute(window_days=180, step=step)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {
        "recompute_s": seconds,
        "peak_mb": peak,
        "steps": steps,
        "people": data.n,
        "events": len(data.ev_actor),
    }
    if not cold:
        out["networkx"] = compare_networkx(data)
        out["leiden"] = compare_leiden(data)
    return out


def compare_leiden(data) -> dict:  # type: ignore[no-untyped-def]
    """igraph's built-in Leiden (what Sylva uses) against leidenalg on the whole weighted
    undirected learning network: time (median of 3), modularity reached, and how much the two
    partitions agree (AMI)."""
    import leidenalg
    import numpy as np
    from sklearn.metrics import adjusted_mutual_info_score

    from sylva.insights.health import help_edges
    from sylva.insights.metrics import network

    h = help_edges(data)
    u, v, w = network.unique_ties(h.helper, h.helped)
    g = network.graph(data.n, u, v, w)
    found: dict[str, np.ndarray] = {}

    def ours() -> None:
        found["igraph"] = network.leiden(g, seed=0)

    def theirs() -> None:
        part = leidenalg.find_partition(
            g,
            leidenalg.RBConfigurationVertexPartition,
            weights="weight",
            resolution_parameter=1.0,
            n_iterations=2,
            seed=0,
        )
        found["leidenalg"] = np.asarray(part.membership)

    out: dict = {"people": data.n, "ties": len(u)}
    for name, fn in (("igraph", ours), ("leidenalg", theirs)):
        out[f"{name}_s"] = _time(fn)
        out[f"{name}_modularity"] = g.modularity(found[name].tolist(), weights="weight")
    tied = np.asarray(g.degree()) > 0
    out["ami"] = float(adjusted_mutual_info_score(found["igraph"][tied], found["leidenalg"][tied]))
    return out


def _time(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def compare_networkx(data) -> dict:  # type: ignore[no-untyped-def]
    """The same metrics on the help graph among the first SUBSET people, ours and networkx's."""
    import networkx as nx
    import numpy as np

    from sylva.insights.health import help_edges
    from sylva.insights.metrics import network

    h = help_edges(data)
    keep = (h.helper < SUBSET) & (h.helped < SUBSET)
    src, dst = h.helper[keep], h.helped[keep]
    u, v, w = network.unique_ties(src, dst)
    dept = data.person_dept[:SUBSET]
    directed = nx.DiGraph()
    directed.add_nodes_from(range(SUBSET))
    directed.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))
    undirected = nx.Graph()
    undirected.add_nodes_from(range(SUBSET))
    undirected.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist(), strict=True))
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, SUBSET, 2000), rng.integers(0, SUBSET, 2000)
    g = network.graph(SUBSET, u, v, w)

    def nx_ei() -> None:
        inside = sum(1 for x, y in undirected.edges() if dept[x] == dept[y])
        (undirected.number_of_edges() - inside - inside) / undirected.number_of_edges()

    results = {}
    pairs = {
        "E-I index": (lambda: network.ei_index(u, v, dept), nx_ei),
        "reciprocity": (
            lambda: network.reciprocity(src, dst),
            lambda: nx.overall_reciprocity(directed),
        ),
        "communities (Leiden vs Louvain)": (
            lambda: network.leiden(g, seed=0),
            lambda: nx.community.louvain_communities(undirected, weight="weight", seed=0),
        ),
        "Burt constraint": (
            lambda: network.burt_constraint(g),
            lambda: nx.constraint(undirected, weight="weight"),
        ),
        "Adamic-Adar (2,000 pairs)": (
            lambda: network.adamic_adar(SUBSET, u, v, a, b),
            lambda: list(
                nx.adamic_adar_index(
                    undirected, [(int(x), int(y)) for x, y in zip(a, b, strict=True) if x != y]
                )
            ),
        ),
    }
    for name, (ours, theirs) in pairs.items():
        t_ours = _time(ours)
        t_nx = _time(theirs, repeat=1 if name == "Burt constraint" else 3)
        results[name] = {"ours_s": t_ours, "networkx_s": t_nx, "ratio": t_nx / max(t_ours, 1e-9)}
    return results


def child_recovery(db: Path) -> dict:
    import pickle

    setup(db)
    from sylva.insights.compute import recompute
    from sylva.insights.planting import score

    truth = pickle.loads(db.with_suffix(".truth").read_bytes())
    _data, result, seconds = recompute(window_days=180)
    return {
        "seconds": seconds,
        "recovery": [r.__dict__ for r in score(truth, result.findings)],
    }


def run_child(*args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, cwd=ROOT
    )
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"child {args[0]} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--events-per-person", type=int, default=20)
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_as_child(args.child)))
        return
    run(args)


def run_as_child(child: list[str]) -> dict:
    """One measurement, in this process: ``generate``, ``recompute`` or ``recovery``."""
    kind, db = child[0], Path(child[1])
    if kind == "generate":
        return child_generate(db, int(child[2]), int(child[3]), int(child[4]), child[5] == "plant")
    if kind == "recompute":
        return child_recompute(db, cold=child[2] == "cold")
    return child_recovery(db)


def run(args: argparse.Namespace) -> None:
    from rich.console import Console

    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(os.environ.get("SYLVA_BENCH_INSIGHTS_DB") or Path(tmp) / "big.sqlite3")
        console.print(f"Company of {args.people:,} people in {big} …")
        gen = run_child(
            "generate", str(big), str(args.people), str(args.events_per_person), "1", "no"
        )
        if "generate_s" in gen:
            console.print(f"generated in {gen['generate_s']:.0f} s")
        first = run_child("recompute", str(big), "cold")
        full = run_child("recompute", str(big), "warm")
        small = Path(tmp) / "planted.sqlite3"
        run_child("generate", str(small), str(PLANTED_PEOPLE), "20", "7", "plant")
        recovery = run_child("recovery", str(small))
    report(console, first, full, recovery)


def report(console, first: dict, full: dict, recovery: dict) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    table = Table(title=f"Full recomputation: {full['people']:,} people, {full['events']:,} events")
    table.add_column("step")
    table.add_column("first (copy built), s", justify="right")
    table.add_column("next (copy up to date), s", justify="right")
    for name, seconds in full["steps"].items():
        table.add_row(name, f"{first['steps'].get(name, 0):.1f}", f"{seconds:.1f}")
    table.add_row("total", f"{first['recompute_s']:.1f}", f"{full['recompute_s']:.1f}")
    table.add_row("peak memory (MB)", f"{first['peak_mb']:.0f}", f"{full['peak_mb']:.0f}")
    console.print(table)
    lei = full["leiden"]
    lei_table = Table(
        title=f"Leiden on the whole learning network ({lei['people']:,} people, "
        f"{lei['ties']:,} ties; median of 3)"
    )
    for column in ("implementation", "seconds", "modularity"):
        lei_table.add_column(column, justify="right" if column != "implementation" else "left")
    lei_table.add_row(
        "igraph community_leiden", f"{lei['igraph_s']:.2f}", f"{lei['igraph_modularity']:.4f}"
    )
    lei_table.add_row(
        "leidenalg RBConfiguration, n_iterations=2",
        f"{lei['leidenalg_s']:.2f}",
        f"{lei['leidenalg_modularity']:.4f}",
    )
    console.print(lei_table)
    console.print(f"agreement of the two partitions (AMI over tied people): {lei['ami']:.3f}")
    nx_table = Table(title=f"Same metrics on a {SUBSET:,}-person subset (medians)")
    for column in ("metric", "Sylva (s)", "networkx (s)", "ratio"):
        nx_table.add_column(column, justify="right" if column != "metric" else "left")
    for name, r in full["networkx"].items():
        nx_table.add_row(name, f"{r['ours_s']:.4f}", f"{r['networkx_s']:.4f}", f"{r['ratio']:.1f}x")
    console.print(nx_table)
    rec_table = Table(title=f"Planted ground truth recovered ({PLANTED_PEOPLE} people, seed 7)")
    for column in ("kind", "planted", "found", "listed", "recall", "precision"):
        rec_table.add_column(column, justify="right" if column != "kind" else "left")
    for r in recovery["recovery"]:
        rec_table.add_row(
            r["kind"],
            str(r["planted"]),
            str(r["found"]),
            str(r["listed"]),
            f"{r['recall']:.0%}",
            f"{r['precision']:.0%}",
        )
    console.print(rec_table)
    ratio = statistics.median(r["ratio"] for r in full["networkx"].values())
    recall = min(r["recall"] for r in recovery["recovery"])
    precision = min(r["precision"] for r in recovery["recovery"])
    print(
        f"BENCH insights: recompute_s={full['recompute_s']:.1f} peak_mb={full['peak_mb']:.0f} "
        f"networkx_ratio={ratio:.1f} recall_min={recall:.2f} precision_min={precision:.2f} "
        f"first_recompute_s={first['recompute_s']:.1f} "
        f"leiden_igraph_s={lei['igraph_s']:.2f} leidenalg_s={lei['leidenalg_s']:.2f}"
    )


if __name__ == "__main__":
    main()
