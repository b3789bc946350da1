"""The installable web app: manifest and service worker (scope /learn/)."""

from __future__ import annotations

import json

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


@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    script = render_to_string(
        "microlearning/sw.js",
        {
            "today": reverse("microlearning:today"),
            "assets": [
                static("sylva/sylva.css"),
                static("microlearning/microlearning.css"),
                static("microlearning/learn.js"),
                static("django_htmx/htmx-2.min.js"),
            ],
        },
    )
    response = HttpResponse(script, content_type="application/javascript")
    response["Service-Worker-Allowed"] = reverse("microlearning:today")
    return response
