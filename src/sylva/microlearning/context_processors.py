"""The microlearning pages' fixed links, reversed once per process.

The rendez-vous is the page people open every day: its ~15 links (navigation, answer API,
service worker, done-for-today actions) never change while the process runs, so templates
read them from ``learn_urls`` instead of resolving each one on every request.
"""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

NAMES = (
    "today",
    "memory",
    "challenges",
    "share",
    "studio",
    "campaigns",
    "reviews",
    "analytics",
    "settings",
    "manifest",
    "pause",
    "resume",
    "service_worker",
)


@cache
def _paths(script_prefix: str) -> dict[str, str]:
    paths = {name: reverse(f"microlearning:{name}") for name in NAMES}
    paths["api_answers"] = reverse("api:learn_answers")
    paths["login"] = reverse("login")
    return paths


def learn_urls(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {"learn_urls": _paths(get_script_prefix())}
