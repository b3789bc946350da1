"""The PWA's service worker (served under /inbox/ with ``Service-Worker-Allowed: /``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def service_worker(request: HttpRequest) -> HttpResponse:
    return HttpResponse("", content_type="text/javascript")
