"""What waits on a person in the communities: one module per area, gathered here."""

from __future__ import annotations

from typing import Any

from sylva.communities.inbox import (
    circles,
    feedback,
    projects,
    qa,
    routing,
    situations,
    spaces,
)
from sylva.core.pillars import InboxItem

AREAS = (spaces, qa, routing, circles, projects, situations, feedback)


def items(person: Any) -> list[InboxItem]:
    return [item for area in AREAS for item in area.items(person)]


def count(person: Any) -> int:
    return sum(area.count(person) for area in AREAS)
