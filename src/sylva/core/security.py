"""Sign-in protection and security headers.

- The client's address, read behind ``SYLVA_TRUSTED_PROXY_COUNT`` proxies (django-axes and
  the API rate limits share it).
- The lockout answer of django-axes: the sign-in page with a clear message, HTTP 429 and
  ``Retry-After``.
- The ``Permissions-Policy`` header.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from sylva.core.errorpages import is_api

# --- the client's address ---------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The peer's address, or with N trusted proxies the Nth address from the right of
    X-Forwarded-For (what the outermost trusted proxy saw). Never a value the client chose."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    count = settings.SYLVA_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]


# --- django-axes' lockout ---------------------------------------------------------------


def retry_after_seconds() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds()))


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """Too many failed sign-ins for this account or from this address: 429, Retry-After."""
    seconds = retry_after_seconds()
    minutes = max(1, (seconds + 59) // 60)
    message = _(
        "Too many failed sign-in attempts. For your security, signing in is paused for "
        "%(minutes)d minutes; try again later."
    ) % {"minutes": minutes}
    if is_api(request):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        from django.contrib.auth.forms import AuthenticationForm

        response = TemplateResponse(
            request,
            "registration/login.html",
            {"form": AuthenticationForm(request), "locked_out": message, "next": ""},
            status=429,
        )
        response.render()
    response["Retry-After"] = str(seconds)
    return response


# --- Permissions-Policy -----------------------------------------------------------------


class PermissionsPolicyMiddleware:
    """Adds ``Permissions-Policy`` (SYLVA_PERMISSIONS_POLICY; empty: no header)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.SYLVA_PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response
