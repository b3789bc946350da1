"""The plumbing every page view shares, in one place (the JSON API's is in core.api).

- **Permissions**: :func:`perm_page` for pages (anonymous visitors sign in first, others
  without the permission get a 403), :func:`require_perm` inside a view or an operation.
- **Pagination** of pages: :func:`page_of` (bounded like the API's ``Pages``, which is
  re-exported here).
- **Refusals**: a business rule raises :class:`~sylva.core.errors.ServiceError`; a page
  never catches it by hand. :func:`on_form` runs a service for a bound form and puts the
  refusal on the field it names; :func:`attempt` gives a fragment the result or the
  refusal to show in place; an action (a button posting to a view) declares where to
  go back with :func:`refusals_go_to`, and the refusal becomes a message there. Any other
  refusal reaching :class:`ServiceErrorMiddleware` becomes the page of its status (404,
  403, 409/400), exactly as the API turns it into JSON.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from sylva.core import errorpages
from sylva.core.errors import ServiceError
from sylva.core.pagination import Pages
from sylva.core.redirects import redirect_next, safe_next

__all__ = [
    "Attempt",
    "Pages",
    "ServiceErrorMiddleware",
    "apply_error",
    "attempt",
    "on_form",
    "page_of",
    "perm_page",
    "query_without_page",
    "redirect_next",
    "refusals_go_to",
    "require_perm",
    "safe_next",
]

T = TypeVar("T")
View = Callable[..., HttpResponse]


# --- permissions ------------------------------------------------------------------------


def perm_page(perm: str) -> Callable[[View], View]:
    """Signed-in users with ``perm``; anonymous visitors go to the sign-in page first."""

    def decorate(view: View) -> View:
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorate


def require_perm(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(_("You do not have permission to do this."))


# --- pagination -------------------------------------------------------------------------


def page_of(request: HttpRequest, items: Any, size: int | None = None) -> Page[Any]:
    """The ``?page=`` of ``items`` (a queryset or a list): out-of-range or malformed page
    numbers give the nearest page, never an error (Django's ``get_page`` checks the number
    against the page count before any offset is computed, so no number overflows)."""
    return Paginator(items, size or settings.SYLVA_PAGE_SIZE).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The request's query string without ``page`` (for the links of a pager)."""
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


# --- refusals ---------------------------------------------------------------------------


def apply_error(form: Any, exc: ServiceError) -> None:
    """Show a business rule's refusal on a form: on the field it names, if the form has it,
    else as a form-wide error."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def on_form(form: Any, call: Callable[[], T]) -> T | None:
    """Run ``call`` (a service, for a bound and valid ``form``): its result, or None when a
    business rule refused, the refusal being shown on the form."""
    try:
        return call()
    except ServiceError as exc:
        apply_error(form, exc)
        return None


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """A service's result, or the refusal of a business rule (then nothing was changed)."""

    value: T | None = None
    refusal: ServiceError | None = None


def attempt(call: Callable[[], T]) -> Attempt[T]:
    """Run ``call`` (a service) for a page that shows its refusal in place, in a fragment
    rather than on a form (forms use :func:`on_form`)."""
    try:
        return Attempt(value=call())
    except ServiceError as exc:
        return Attempt(refusal=exc)


def refusals_go_to(
    fallback: str | Callable[..., str],
    *,
    pages: tuple[int, ...] = (403, 404),
) -> Callable[[View], View]:
    """For an action view: a refusal becomes an error message, and the browser goes back to
    the request's ``next`` (when it is a path here) or else to ``fallback`` — a URL name or
    path, or a function of the view's arguments ``(request, **kwargs) -> URL name or path``.

    A refusal whose status is in ``pages`` — by default "not yours" (403) and "no such
    thing" (404), as the API answers them — stays that page. An action on the person's own
    things, where a 404 only means "already done" (a second click on Remove), passes
    ``pages=()``."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except ServiceError as exc:
                if exc.status in pages:
                    raise
                messages.error(request, exc.message)
                target = fallback(request, **kwargs) if callable(fallback) else fallback
                return redirect_next(request, target)

        return wrapper

    return decorate


class ServiceErrorMiddleware:
    """A refusal no page handled becomes the page of its status (the API's handler in
    core.api does the same in JSON)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, ServiceError) or errorpages.is_api(request):
            return None
        return errorpages.refusal(request, exc)
