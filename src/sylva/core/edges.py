"""The edges of every request, whatever the route: probes, input that no view should see,
and errors that must be JSON under /api/.

``EdgeMiddleware`` comes first in ``MIDDLEWARE``:

- ``/healthz`` and ``/readyz`` are answered before sessions, authentication, CSRF, rate
  limits or host checks run, so a probe answers whatever cookies or headers it sends (and
  ``/healthz`` never touches the database);
- under ``/api/`` any error response that is not JSON (Django's 404 for an unknown route,
  405 for a wrong method, a 413 or 400 from Django itself, another middleware's page) is
  rewritten as ``{"detail": …}`` with the same status and headers.

``InputGuardMiddleware`` comes after the language middleware (its refusals are pages in the
person's language) and refuses, before any view runs and so with nothing changed:

- a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413);
- under ``/api/``, a body that is not ``application/json`` (415) or not valid JSON (400);
- anywhere, a NUL or another control character (other than tab and line breaks), or a lone
  surrogate, in the path, the query string, a form field or a JSON string (400, naming the
  field): PostgreSQL refuses NUL, SQLite stored it, and no person types one;
- in a JSON body, a number no database column holds (an integer beyond 64 bits, NaN,
  infinities) (400).

The JSON it parsed is kept on the request; the API's parser (``core/parsers.py``) uses it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from sylva.core import errorpages, health
from sylva.core.errorpages import error_body, error_response, is_api, status_phrase

PARSED_JSON = "_sylva_json"
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_INT64 = 2**63
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Headers an error keeps when it is rewritten as JSON.
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")


def _probes() -> dict[str, Callable[[HttpRequest], HttpResponse]]:
    return {"/healthz": health.healthz, "/readyz": health.readyz}


def _is_json_response(response: HttpResponse) -> bool:
    return "json" in response.get("Content-Type", "")


class EdgeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.probes = _probes()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = self.probes.get(request.path_info)
        if probe is not None:
            return probe(request)
        response = self.get_response(request)
        if response.status_code < 400 or response.streaming:
            return response
        if is_api(request):
            return response if _is_json_response(response) else self._as_json(request, response)
        if _is_bare(request, response):
            return self._as_page(request, response)
        return response

    @staticmethod
    def _as_page(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """A bare refusal (Django's empty 405, a view's plain-text 400) as a clear page."""
        status = response.status_code
        text = response.content.decode(response.charset or "utf-8", "replace").strip()
        if status == 405:
            detail = _("This page cannot be opened this way (it accepts: %(allowed)s).") % {
                "allowed": response.get("Allow", "")
            }
        else:
            detail = text or status_phrase(status)
        page = error_response(request, status, detail)
        for name in _KEPT_HEADERS:
            if name in response:
                page[name] = response[name]
        return page

    @staticmethod
    def _as_json(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        status = response.status_code
        if status == 404:
            detail = _("No such route: %(path)s") % {"path": request.path}
        elif status == 405:
            detail = _("Method %(method)s is not allowed here; allowed: %(allowed)s.") % {
                "method": request.method,
                "allowed": response.get("Allow", ""),
            }
        elif status == 413:
            return errorpages.too_large(request)
        else:
            detail = status_phrase(status)
        new = JsonResponse(error_body(detail), status=status)
        for name in _KEPT_HEADERS:
            if name in response:
                new[name] = response[name]
        return new


def _is_bare(request: HttpRequest, response: HttpResponse) -> bool:
    """An error response that is no page: empty, or a line of text (not for htmx, which swaps
    fragments, nor for a script that asked for JSON)."""
    if request.headers.get("HX-Request") or errorpages.wants_json(request):
        return False
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(("text/html", "text/plain")):
        return False
    return b"<" not in response.content and len(response.content) < 500


class InvalidInput(Exception):
    def __init__(self, message: str, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


def invalid_character(value: str) -> str | None:
    """The first character no input may hold, as ``U+XXXX``, or None."""
    match = _INVALID.search(value)
    return f"U+{ord(match.group()):04X}" if match else None


def _refuse_character(char: str, field: str) -> InvalidInput:
    return InvalidInput(
        _("The field “%(field)s” contains a character that is not allowed (%(char)s).")
        % {"field": field, "char": char},
        field=field,
    )


def check_text(value: str, field: str) -> None:
    char = invalid_character(value)
    if char:
        raise _refuse_character(char, field)


def check_querydict(data: Any) -> None:
    for key, values in data.lists():
        check_text(key, "field name")
        for value in values:
            if isinstance(value, str):
                check_text(value, key)


def check_json(data: Any) -> None:
    """Walk a parsed JSON document (iteratively: it may be deep) for invalid characters."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            check_text(value, path or "body")
        elif isinstance(value, dict):
            for key, item in value.items():
                check_text(key, path or "body")
                stack.append((item, f"{path}.{key}" if path else key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append((item, f"{path}.{index}" if path else str(index)))


def _parse_int(text: str) -> int:
    number = int(text)
    if not -_INT64 <= number < _INT64:
        raise InvalidInput(_("A number in the body is too large."))
    return number


def _parse_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise InvalidInput(_("A number in the body is too large."))
    return number


def _parse_constant(text: str) -> Any:
    raise InvalidInput(_("%(value)s is not a number JSON allows.") % {"value": text})


def parse_json(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(_("The body is not valid UTF-8.")) from None
    try:
        return json.loads(
            text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant
        )
    except InvalidInput:
        raise
    except (ValueError, RecursionError) as exc:
        raise InvalidInput(
            _("The body is not valid JSON: %(reason)s") % {"reason": _json_reason(exc)}
        ) from None


def _json_reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} (line {exc.lineno}, column {exc.colno})"
    return _("too deeply nested") if isinstance(exc, RecursionError) else str(exc)


def _is_json_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            self.check(request)
        except InvalidInput as exc:
            return error_response(request, exc.status, exc.message, field=exc.field)
        except RequestDataTooBig:
            return errorpages.too_large(request)
        except (SuspiciousOperation, MultiPartParserError) as exc:
            return errorpages.bad_request(request, exc)
        return self.get_response(request)

    def check(self, request: HttpRequest) -> None:
        check_text(request.path_info, "path")
        check_querydict(request.GET)
        if request.method not in _BODY_METHODS and not request.META.get("CONTENT_LENGTH"):
            return
        content_type = request.META.get("CONTENT_TYPE", "")
        multipart = content_type.lower().startswith("multipart/")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and not multipart and _content_length(request) > limit:
            raise RequestDataTooBig
        if is_api(request):
            self.check_api_body(request, content_type)
        elif _is_json_type(content_type):
            body = request.body
            if body:
                data = parse_json(body)
                check_json(data)
                setattr(request, PARSED_JSON, data)
        else:
            check_querydict(request.POST)

    @staticmethod
    def check_api_body(request: HttpRequest, content_type: str) -> None:
        body = request.body
        if not body:
            return
        if not _is_json_type(content_type):
            if _is_empty_form(content_type, body):
                return  # an empty form: what some clients send for a POST without data
            raise InvalidInput(
                _("Send the body as JSON, with the header Content-Type: application/json."),
                status=415,
            )
        data = parse_json(body)
        if not isinstance(data, dict):  # every operation of the API takes an object
            raise InvalidInput(_("The body must be a JSON object: {…}."))
        check_json(data)
        setattr(request, PARSED_JSON, data)


def _is_empty_form(content_type: str, body: bytes) -> bool:
    media, _, params = content_type.partition(";")
    media = media.strip().lower()
    if media == "application/x-www-form-urlencoded":
        return not body.strip()
    if media == "multipart/form-data":
        boundary = params.partition("boundary=")[2].split(";")[0].strip().strip('"')
        return bool(boundary) and body.strip() == f"--{boundary}--".encode()
    return False


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
