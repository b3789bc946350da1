"""Demo content of insights: the first snapshot of the default window, so that the pages
open instantly after `sylva seed` (the other windows are computed on first visit or by
`sylva insights`)."""

from __future__ import annotations

from rich.progress import Progress

from sylva.insights.services import DEFAULT_WINDOW, compute_snapshot

STEPS = 7


def seed_demo(*, seed: int, progress: Progress | None = None) -> dict[str, int]:
    task = progress.add_task("Computing insights", total=STEPS) if progress else None

    def step(name: str, n: int) -> None:
        if progress is not None and task is not None and name != "reading":
            progress.advance(task)

    snapshot = compute_snapshot(window_days=DEFAULT_WINDOW, seed=seed, step=step)
    if progress is not None and task is not None:
        progress.update(task, completed=STEPS)
    return {"insights snapshots": 1, "insights scopes": snapshot.figures.count()}
