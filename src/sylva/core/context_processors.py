"""What every page's shell needs: the navigation the user may see, languages, the person."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url: str
    label: Promise | str
    icon: str
    active: bool


# (url name, label, icon, permission or None for everyone signed in)
NAV: list[tuple[str, Promise, str, str | None]] = [
    ("home", _("Home"), "home", None),
    ("people:directory", _("Who knows what"), "people", "people.view_person"),
    ("people:skills", _("Skills"), "skills", "people.view_skill"),
    ("people:organisation", _("Organisation"), "org", "people.view_department"),
    ("people:my_team", _("My team"), "team", "people.view_team_people"),
]


def nav_entries() -> list[tuple[str, Promise, str, str | None]]:
    """The shell's navigation: people's entries, then each pillar app's ``nav`` attribute
    (on its AppConfig), in the order of INSTALLED_APPS."""
    from django.apps import apps

    entries = list(NAV)
    for config in apps.get_app_configs():
        entries.extend(getattr(config, "nav", []))
    return entries


def shell(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    items: list[NavItem] = []
    if user is not None and user.is_authenticated:
        path = request.path
        for name, label, icon, perm in nav_entries():
            if perm and not user.has_perm(perm):
                continue
            url = reverse(name)
            active = path == url if url == "/" else path.startswith(url)
            items.append(NavItem(url, label, icon, active))
        if user.is_staff:
            items.append(NavItem(reverse("admin:index"), _("Administration"), "admin", False))
    return {
        "nav_items": items,
        "organisation_name": settings.SYLVA_ORGANISATION_NAME,
    }
