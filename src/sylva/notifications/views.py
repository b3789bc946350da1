"""The inbox, preferences, the delivery log, the one-click unsubscribe (placeholder views:
the web pages are built in their own change)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def inbox(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


preferences = log = inbox


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse("")
