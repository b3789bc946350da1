"""The communities' demo: something alive on every page, for every persona. Each area
seeds its own part, in this order (questions need communities, feedback situations)."""

from __future__ import annotations

from rich.progress import Progress

from sylva.communities.demo import circles, feedback, projects, qa, situations, spaces

AREAS = (spaces, qa, circles, projects, situations, feedback)


def seed_demo(*, seed: int, progress: Progress | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for area in AREAS:
        counts.update(area.seed(seed=seed))
    return counts
