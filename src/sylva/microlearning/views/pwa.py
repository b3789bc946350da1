"""The installable web app: manifest and service worker (scope /learn/)."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control


@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    today = reverse("microlearning:today")
    body = {
        "name": _("Sylva — today's learning"),
        "short_name": "Sylva",
        "start_url": today,
        "scope": today,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#2f6b3b",
        "icons": [{"src": static("sylva/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")


ASSETS = (
    "sylva/sylva.css",
    "microlearning/microlearning.css",
    "microlearning/learn.js",
    "django_htmx/htmx-2.min.js",
)


@cache
def assets_version() -> str:
    """A digest of the cached assets' contents: a new learn.js makes a new service worker,
    which replaces the cache (the assets' names carry no hash of their own)."""
    digest = hashlib.sha256()
    for path in ASSETS:
        found = finders.find(path)
        if isinstance(found, str):
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:12]


@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    script = render_to_string(
        "microlearning/sw.js",
        {
            "today": reverse("microlearning:today"),
            "assets": [static(path) for path in ASSETS],
            "version": assets_version(),
        },
    )
    response = HttpResponse(script, content_type="application/javascript")
    response["Service-Worker-Allowed"] = reverse("microlearning:today")
    return response
