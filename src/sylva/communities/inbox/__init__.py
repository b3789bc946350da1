"""What waits on a person in the communities: one module per area, gathered here."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

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


def waiting(person: Any) -> list[QuerySet[Any]]:
    """Every area's querysets of what is the person's to act on (Sylva counts them all, and
    the other pillars', in one query)."""
    return [qs for area in AREAS for qs in area.waiting(person)]
