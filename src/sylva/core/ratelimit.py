"""Rate limits on the JSON API, with django-ratelimit's fixed-window counters.

Each request under /api/ counts in one bucket: the person's (``SYLVA_API_RATE``) when it
carries a valid personal token or a signed-in session, otherwise its address's
(``SYLVA_API_ADDRESS_RATE``: unknown tokens, anonymous calls). Past the limit the answer is
429 with ``Retry-After`` and a JSON ``detail``. The counters live in the ``ratelimit`` cache
(the database by default), so they hold across processes and servers.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from sylva.core.auth import lookup_token
from sylva.core.errorpages import is_api
from sylva.core.security import client_ip


def bearer_secret(request: HttpRequest) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def _bucket(request: HttpRequest) -> tuple[str, str]:
    """(key, rate) of the bucket this request counts in."""
    secret = bearer_secret(request)
    if secret:
        token = lookup_token(request, secret)
        if token is not None:
            return f"person:{token.person_id}", settings.SYLVA_API_RATE
    elif request.user.is_authenticated:
        return f"user:{request.user.pk}", settings.SYLVA_API_RATE
    return f"address:{client_ip(request)}", settings.SYLVA_API_ADDRESS_RATE


class ApiRateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api(request):
            refusal = self._refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        key, rate = _bucket(request)
        if not rate:
            return None
        usage = get_usage(
            request, group="sylva.api", key=lambda _group, _request: key, rate=rate, increment=True
        )
        if usage is None or not usage["should_limit"]:
            return None
        seconds = max(1, int(usage["time_left"]))
        response = JsonResponse(
            {
                "detail": _("Too many requests: try again in %(seconds)d seconds.")
                % {"seconds": seconds}
            },
            status=429,
        )
        response["Retry-After"] = str(seconds)
        return response
