"""What every refusal looks like, for every route: JSON under /api/, a page elsewhere.

Django's error handlers (``handler400``/``403``/``404``/``500`` in ``sylva.urls``) and the
edge middlewares (``core/middleware.py``) all answer through :func:`error_response`, so that

- a script (any path under ``/api/``, or a request that sends or asks for JSON) always gets
  ``{"detail": …, "errors": [{"field", "message"}]}`` with the right status, never HTML;
- a person gets a translated page that says what happened, never a blank or a stack trace;
- a database that does not answer is a 503 with ``Retry-After``, not a 500.
"""

from __future__ import annotations

import logging
import sys
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger("sylva.errors")

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 30
# A page renders the shell (navigation, the signed-in person): no page for these statuses
# may need the database, so they use a template that stands alone.
_STANDALONE = {500: "500.html", 503: "503.html"}
_TEMPLATES = {400: "400.html", 403: "403.html", 404: "404.html", 413: "400.html", 415: "400.html"}


def is_api(request: HttpRequest) -> bool:
    """Under /api/: every answer is JSON (errors, refusals, rate limits, lockouts)."""
    return request.path_info.startswith(API_PREFIX) or request.path.startswith(API_PREFIX)


def wants_json(request: HttpRequest) -> bool:
    """Scripts get JSON: anything under /api/, or a request that sends or asks for JSON."""
    if is_api(request):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if "json" in content_type:
        return True
    accept = request.META.get("HTTP_ACCEPT", "")
    return "application/json" in accept and "text/html" not in accept


def error_body(detail: str, field: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail}
    if field:
        body["errors"] = [{"field": field, "message": detail}]
    return body


def error_response(
    request: HttpRequest,
    status: int,
    detail: str,
    *,
    field: str | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse(error_body(detail, field), status=status)
    else:
        response = HttpResponse(_render_page(request, status, detail), status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _render_page(request: HttpRequest, status: int, detail: str) -> str:
    context = {"detail": detail, "status": status}
    if status in _STANDALONE:
        return loader.get_template(_STANDALONE[status]).render(context)
    name = _TEMPLATES.get(status, "400.html")
    try:
        return loader.get_template(name).render(context, request)
    except Exception:  # the shell failed (the database?): say it without the shell
        logger.exception("error page %s could not render with the shell", name)
        return loader.get_template("500.html").render(context)


def status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


# --- Django's handlers -------------------------------------------------------------------


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if isinstance(exception, TooManyFieldsSent):
        return error_response(request, 400, _("The request sends too many fields."))
    return error_response(
        request, 400, _("The request could not be understood. Check what was sent and retry.")
    )


def too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return error_response(
        request,
        413,
        _("The request is too large: at most %(size)d kB may be sent at once.")
        % {"size": limit // 1024},
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = str(exception or "") or _("You do not have permission to do this.")
    return error_response(request, 403, detail)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if wants_json(request):
        return error_response(request, 404, _("No such route: %(path)s") % {"path": request.path})
    return error_response(
        request, 404, _("The page you asked for does not exist, or no longer does.")
    )


def refusal(request: HttpRequest, exc: Any) -> HttpResponse:
    """A business rule's refusal (a ServiceError) that no page handled: its message, with
    its status (the API answers the same status in JSON)."""
    return error_response(request, exc.status, exc.message, field=exc.field)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    return error_response(
        request,
        503,
        _("Sylva cannot reach its database right now. Please try again in a moment."),
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Called by Django inside its ``except`` block: the exception is in ``sys.exc_info``."""
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        return database_unavailable(request)
    return error_response(
        request, 500, _("Something went wrong on our side. Please try again in a moment.")
    )
