"""Pages of sign-in security: personal API tokens and the second factor. Thin, as the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from sylva.core.web import on_form, refusals_go_to, safe_next
from sylva.people import queries, second_factor, services
from sylva.people.forms import TokenForm
from sylva.people.middleware import SESSION_STATE, second_factor_required
from sylva.people.web import current_person

#: the session key of the TOTP key being set up
SETUP_KEY = "sylva_second_factor_key"


def _next(request: HttpRequest) -> str:
    """Where to go once the factor is given: the request's ``next`` if it is a path here."""
    return safe_next(request, "/")


# --- personal API tokens ----------------------------------------------------------------


@login_required
def my_tokens(request: HttpRequest) -> HttpResponse:
    """Tokens are made here only: from a signed-in (and, with a device, verified) session."""
    person = current_person(request)
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = on_form(
            form,
            lambda: services.create_token(
                person=person,
                name=data["name"],
                days=int(data["days"]),
                read_only=data["read_only"],
            ),
        )
        if made is not None:
            _token, new_secret = made
            form = TokenForm()
    return render(
        request,
        "people/tokens.html",
        {
            "form": form,
            "tokens": queries.tokens_of(person=person),
            "new_secret": new_secret,
            "api_url": request.build_absolute_uri("/api/v1/"),
        },
    )


@login_required
@require_POST
@refusals_go_to("people:my_tokens")
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    services.revoke_token(person=current_person(request), token_id=token_id)
    messages.success(request, _("Token revoked: it no longer opens the API."))
    return redirect("people:my_tokens")


# --- the second factor ------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _factor_given(request: HttpRequest, device: Any) -> None:
    """The session is verified from now on; the middleware's remembered state is stale."""
    otp_login(request, device)
    request.session.pop(SESSION_STATE, None)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the authenticator app, or one recovery code."""
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    if not second_factor.has_second_factor(request.user):
        return redirect("second_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        device = on_form(form, lambda: second_factor.check_code(user=request.user, code=code))
        if device is not None:
            _factor_given(request, device)
            return redirect(_next(request))
    return render(
        request, "registration/second_factor_verify.html", {"form": form, "next": _next(request)}
    )


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Set up (or look at) the second factor. A person who must have one lands here."""
    user = request.user
    required = second_factor_required(user)
    if second_factor.has_second_factor(user):
        return render(
            request,
            "registration/second_factor.html",
            {
                "required": required,
                "codes_left": second_factor.recovery_codes_left(user),
                "next": _next(request),
            },
        )
    # The key being set up lives in the session until a code confirms it (a reload shows
    # the same key; the page writes nothing).
    key = request.session.get(SETUP_KEY)
    if not isinstance(key, str):
        key = request.session[SETUP_KEY] = second_factor.new_key()
    device = second_factor.proposed_device(user=user, key=key)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        confirmed = on_form(
            form, lambda: second_factor.confirm_device(user=user, code=code, key=key)
        )
        if confirmed is not None:
            device, codes = confirmed
            request.session.pop(SETUP_KEY, None)
            _factor_given(request, device)
            return render(
                request,
                "registration/second_factor_codes.html",
                {"codes": codes, "next": _next(request)},
            )
    return render(
        request,
        "registration/second_factor_setup.html",
        {
            "form": form,
            "required": required,
            "qr_svg": second_factor.qr_svg(device),
            "manual_key": second_factor.manual_key(device),
            "next": _next(request),
        },
    )


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not second_factor.has_second_factor(request.user):
        return redirect("second_factor_setup")
    codes = second_factor.new_recovery_codes(user=request.user)
    return render(request, "registration/second_factor_codes.html", {"codes": codes, "next": "/"})


@login_required
@require_POST
@refusals_go_to("second_factor_setup")
def turn_off(request: HttpRequest) -> HttpResponse:
    second_factor.turn_off(user=request.user)
    request.session.pop(SESSION_STATE, None)
    messages.success(request, _("Second factor turned off."))
    return redirect("second_factor_setup")
