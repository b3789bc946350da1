"""What every page's shell needs: the navigation the user may see, the organisation's name,
and what each pillar adds to every page (its contract's ``context_processors``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from sylva.core.pillars import NavEntry, pillars


@dataclass(frozen=True)
class NavItem:
    url: str
    label: Promise | str
    icon: str
    active: bool
    badge: str | None = None
    #: the badge's count (a lazy object from a pillar's context processor)
    count: object = None


def nav_entries() -> list[NavEntry]:
    """The shell's navigation: each pillar's ``nav`` (people's first), in the order of
    INSTALLED_APPS."""
    return [entry for config in pillars() for entry in config.nav]


@cache
def _pillar_processors() -> tuple[Callable[[HttpRequest], dict[str, Any]], ...]:
    return tuple(import_string(path) for config in pillars() for path in config.context_processors)


def shell(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    items: list[NavItem] = []
    if user is not None and user.is_authenticated:
        for entry in nav_entries():
            if entry.permission and not user.has_perm(entry.permission):
                continue
            url = reverse(entry.url_name)
            items.append(NavItem(url, entry.label, entry.icon, False, entry.badge))
        if user.is_staff:
            items.append(NavItem(reverse("admin:index"), _("Administration"), "admin", False))
        items = mark_current(items, request.path)
    context: dict[str, object] = {
        "nav_items": items,
        "organisation_name": settings.SYLVA_ORGANISATION_NAME,
    }
    for processor in _pillar_processors():
        context.update(processor(request))
    context["nav_items"] = [_with_badge(item, context) for item in items]
    return context


def mark_current(items: list[NavItem], path: str) -> list[NavItem]:
    """The entries with exactly one current: the one whose URL is the longest prefix of the
    path ("/exchange/runs/" is Matching, not Exchange too), "/" only for the home page
    itself; none when the page belongs to no entry (one's profile, say)."""
    best: NavItem | None = None
    for item in items:
        matches = path == item.url if item.url == "/" else path.startswith(item.url)
        if matches and (best is None or len(item.url) > len(best.url)):
            best = item
    return [replace(item, active=item is best) for item in items]


def _with_badge(item: NavItem, context: dict[str, object]) -> NavItem:
    """The entry with its count read from the pillars' context (computed there lazily)."""
    return item if item.badge is None else replace(item, count=context.get(item.badge))
