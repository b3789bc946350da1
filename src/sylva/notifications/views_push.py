"""The PWA's notifications service worker, served under /inbox/ with
``Service-Worker-Allowed: /`` so that it can take the scope of the whole site (push is
one subscription per browser and origin), never cached without a check."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control

SCRIPT = "notifications/sw.js"


@cache
def _script() -> str:
    found = finders.find(SCRIPT)
    if not isinstance(found, str):
        raise FileNotFoundError(SCRIPT)
    return Path(found).read_text(encoding="utf-8")


@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    config = {"icon": static("sylva/favicon.svg"), "inbox": reverse("notifications:inbox")}
    body = f"self.SYLVA_PUSH = {json.dumps(config)};\n{_script()}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response
