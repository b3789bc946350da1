"""Personal-token authentication for the JSON API (``Authorization: Bearer sylva_…``).

A token is found once per request (the rate limit and the API share the lookup). A read-only
token opens GET and HEAD only: anything else is refused with 403 before the operation runs.
The request remembers the token it came with (``request.sylva_token``), so that an operation
can refuse what a token may never do (make another token).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from ninja.security import HttpBearer


class ApiToken(Protocol):
    """What the API needs of a personal token (the ground's model, found through
    ``settings.SYLVA_TOKEN_FINDER``: core imports no app)."""

    read_only: bool
    person_id: int

    @property
    def person(self) -> Any: ...


@cache
def _finder() -> Any:
    return import_string(settings.SYLVA_TOKEN_FINDER)


SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_UNSET = object()


def lookup_token(request: HttpRequest, secret: str) -> ApiToken | None:
    """The live token of this secret (None if unknown, revoked or expired), once per request."""
    cached = getattr(request, "_sylva_token_lookup", _UNSET)
    if cached is not _UNSET and cached[0] == secret:  # type: ignore[index]
        return cached[1]  # type: ignore[index]
    token = _finder()(secret)
    request._sylva_token_lookup = (secret, token)  # type: ignore[attr-defined]
    return token


def request_token(request: HttpRequest) -> Any:
    """The token this request was authenticated with, if any."""
    return getattr(request, "sylva_token", None)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = lookup_token(request, token)
        if api_token is None:
            return None
        if api_token.read_only and request.method not in SAFE_METHODS:
            raise PermissionDenied(
                _("This token is read-only: it can read the API but not change anything.")
            )
        request.sylva_token = api_token  # type: ignore[attr-defined]
        request.user = api_token.person.user
        return request.user


class SignInGuardBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first among the backends so that a locked-out sign-in is
    refused before any password is hashed. A call without a request (the shell, a management
    command, the test client's ``login``) has no address to count and is let through to the
    password check."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


class SignInLockout(AxesDatabaseHandler):
    """django-axes' database handler with two limits instead of one: failures for one
    account (``SYLVA_LOGIN_FAILURE_LIMIT``, whatever address they come from) and failures
    from one address across usernames (``SYLVA_LOGIN_ADDRESS_FAILURE_LIMIT``, higher: a
    company's people often share one address, and a guesser there must not lock everyone
    else out after a few tries). Either one reached locks.

    axes compares one failure count with one limit: the address's count is given on the
    account's scale (``failures * account limit // address limit``), which
    reaches the account limit exactly when the address reaches its own."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        by_account, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        limit = settings.AXES_FAILURE_LIMIT
        return max(by_account, by_address * limit // settings.SYLVA_LOGIN_ADDRESS_FAILURE_LIMIT)
