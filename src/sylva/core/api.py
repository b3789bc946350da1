"""The JSON API at /api/v1/: one NinjaAPI, each app adds its router.

Authentication: the browser session (with CSRF on writes) or a personal token sent as
``Authorization: Bearer sylva_…``. Errors are JSON with a ``detail`` message and, where one
input is at fault, ``errors: [{field, message}]``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import django_auth

from sylva.core import errorpages
from sylva.core.auth import TokenAuth
from sylva.core.errors import ServiceError
from sylva.core.openapi import declare_errors
from sylva.core.parsers import CheckedJsonParser
from sylva.core.pillars import pillars
from sylva.core.validation import schema_message


class SylvaAPI(NinjaAPI):
    """Every operation's document also declares the refusals every route shares."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        declare_errors(schema)
        return schema


api = SylvaAPI(
    title="Sylva API",
    version="1",
    description=(
        "The learning ecosystem of a company: people, organisation and skills. "
        "Authenticate with your browser session or a personal token "
        "(`Authorization: Bearer sylva_…`, created on your profile page)."
    ),
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    parser=CheckedJsonParser(),
)


def _field_of(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form")]
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field_of(list(e.get("loc", []))), "message": schema_message(e)}
        for e in exc.errors
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(ServiceError)
def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or _("You do not have permission to do this.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": _("Authentication required: sign in, or send a personal token.")},
        status=401,
    )


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def on_database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    return errorpages.database_unavailable(request)


@api.exception_handler(RequestDataTooBig)
def on_too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    return errorpages.too_large(request)


def register_routers() -> None:
    """Each pillar's router at its contract's ``api_prefix``, in the order of INSTALLED_APPS
    (the URLconf imports this module once the apps are ready)."""
    for config in pillars():
        router = config.router()
        if router is not None and config.api_prefix is not None:
            api.add_router(config.api_prefix, router)


register_routers()
