"""The second factor's gate: who must have one, and a middleware that keeps a signed-in
person who has not given it (or must set it up) on the second-factor pages (django-otp).
The devices themselves are made and checked in sylva.people.second_factor."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_otp import user_has_device

from sylva.core.errorpages import is_api
from sylva.people.roles import roles_of

# --- second factor ----------------------------------------------------------------------

_ROLE_OF_SETTING = {
    "admin": "administrator",
    "administrator": "administrator",
    "animator": "animator",
    "manager": "manager",
    "designer": "designer",
    "learner": "learner",
}
SESSION_STATE = "sylva_second_factor"
RECHECK_SECONDS = 300


def second_factor_required(user: Any) -> bool:
    """Administrators (staff, superusers, the administrator role) always; the roles named in
    SYLVA_REQUIRE_MFA_FOR too; never the accounts `sylva demo` relaxes it for."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not getattr(settings, "SYLVA_MFA_ENFORCED", True):
        return False
    if user.get_username() in settings.SYLVA_MFA_RELAXED_FOR:
        return False
    if user.is_staff or user.is_superuser:
        return True
    wanted = {"administrator"} | {_ROLE_OF_SETTING[r] for r in settings.SYLVA_REQUIRE_MFA_FOR}
    if "learner" in wanted:
        return True
    return any(role.value in wanted for role in roles_of(user))


def second_factor_state(user: Any) -> str:
    """ "verify" (has a device: give its code), "setup" (must have one, has none) or "ok"."""
    if user_has_device(user, confirmed=True):
        return "verify"
    if second_factor_required(user):
        return "setup"
    return "ok"


# Pages a signed-in person reaches before giving their second factor.
_OPEN_URL_NAMES = {
    "login",
    "logout",
    "set_language",
    "healthz",
    "readyz",
    "second_factor_verify",
    "second_factor_setup",
}


class SecondFactorMiddleware:
    """After the password, a person with a device gives its code before anything else; a
    person who must have one and has none is kept on the setup page. Under /api/ a session
    in that state is refused (403, JSON); personal tokens are made from verified sessions."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if getattr(user, "is_verified", lambda: False)():
            return None
        # "ok" is remembered for a few minutes (never for staff), so a plain learner's pages
        # cost nothing; a role given meanwhile is seen at the next check. The rest is re-read.
        memo = request.session.get(SESSION_STATE)
        now = int(time.time())
        fresh = isinstance(memo, dict) and now - int(memo.get("at", 0)) < RECHECK_SECONDS
        remembered = memo.get("state") if fresh and isinstance(memo, dict) else None
        if remembered == "ok" and not (user.is_staff or user.is_superuser):
            state = "ok"
        else:
            state = second_factor_state(user)
            if remembered != state:  # no session write on every page
                request.session[SESSION_STATE] = {"state": state, "at": now}
        if state == "ok":
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        try:
            if resolve(request.path_info).url_name in _OPEN_URL_NAMES:
                return None
        except Resolver404:
            pass
        if is_api(request):
            return JsonResponse(
                {"detail": _("Give your second factor first: sign in again in the browser.")},
                status=403,
            )
        target = "second_factor_verify" if state == "verify" else "second_factor_setup"
        return redirect(reverse(target) + "?" + urlencode({"next": request.get_full_path()}))
