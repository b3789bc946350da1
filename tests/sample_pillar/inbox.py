"""What waits on a person in the sample pillar: one item for everyone, to show that the
inbox and the navigation's count pick up a pillar's contribution."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from sylva.core.pillars import InboxAction, InboxItem


def items(person: Any) -> list[InboxItem]:
    return [
        InboxItem(
            kind="sample.noticed",
            title="sample-inbox-item",
            detail="waiting on you",
            url=reverse("sample_pillar:home"),
            since=timezone.now(),
            actions=(InboxAction("Look", reverse("sample_pillar:home"), method="get"),),
        )
    ]


def count(person: Any) -> int:
    return 1
