"""Where a form goes after it is posted: the ``next`` it names, if that is a path on this site.

``redirect(request.POST.get("next"))`` treated any text as a URL name (``next=abc`` was a
500, NoReverseMatch) and any address as a target (``next=https://elsewhere`` an open
redirect); this is the one way pages follow ``next``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return resolve_url(default)


def redirect_next(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Redirect to the request's ``next`` if it is a path here, else to ``default`` (a URL
    name or path)."""
    return HttpResponseRedirect(safe_next(request, default))
