"""What the sample pillar gives "Where can I learn this?" on a skill's page: one way, to
show that the page (and its API) picks up a pillar's ``ways``; and one place to ask."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from sylva.core.pillars import Way


def ways(person: Any, skill: Any) -> list[Way]:
    url = reverse("sample_pillar:home")
    return [Way("sample_pillar.way", "Sample ways", "sample-way", url, ("sample-condition",))]


def asks(person: Any, skill: Any) -> list[Way]:
    return [Way("sample_pillar.ask", "Sample asks", "sample-ask", reverse("sample_pillar:home"))]
