from __future__ import annotations

from typing import Any

from sylva.core.pillars import InboxItem


def items(person: Any) -> list[InboxItem]:
    return []


def count(person: Any) -> int:
    return 0
