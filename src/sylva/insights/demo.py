"""Demo content of insights, after the exchange pillar's demo has run (INSTALLED_APPS order):

- about half of the demo company agrees to appear by name in insights (drawn from the seed,
  so the same people every time; the persona accounts always do). In a real company this is
  each person's own choice, on their profile;
- the first snapshot of the default window, so that the pages open instantly after
  `sylva seed` (the other windows are computed on first visit or by `sylva insights`).
"""

from __future__ import annotations

import random

from rich.progress import Progress

from sylva.insights.services import DEFAULT_WINDOW, compute_snapshot
from sylva.people.models import Person
from sylva.people.seed import PERSONAS

STEPS = 7
VISIBLE_SHARE = 0.5


def _opt_in(rng: random.Random) -> int:
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    chosen = [pk for pk in ids if rng.random() < VISIBLE_SHARE]
    personas = Person.objects.filter(user__username__in=[p.username for p in PERSONAS])
    chosen = sorted(set(chosen) | set(personas.values_list("pk", flat=True)))
    for start in range(0, len(chosen), 5000):
        Person.objects.filter(pk__in=chosen[start : start + 5000]).update(visible_in_insights=True)
    return len(chosen)


def seed_demo(*, seed: int, progress: Progress | None = None) -> dict[str, int]:
    task = progress.add_task("Computing insights", total=STEPS) if progress else None
    rng = random.Random(f"insights-demo-{seed}")
    visible = _opt_in(rng)

    def step(name: str, n: int) -> None:
        if progress is not None and task is not None and name != "reading":
            progress.advance(task)

    snapshot = compute_snapshot(window_days=DEFAULT_WINDOW, seed=seed, step=step)
    if progress is not None and task is not None:
        progress.update(task, completed=STEPS)
    return {
        "insights snapshots": 1,
        "insights scopes": snapshot.figures.count(),
        "people named in insights": visible,
    }
