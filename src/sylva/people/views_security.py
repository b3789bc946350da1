"""Pages of sign-in security: personal API tokens and the second factor. Thin, as the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from sylva.core.errors import ServiceError
from sylva.core.pages import apply_error
from sylva.people import second_factor, services
from sylva.people.forms import TokenForm
from sylva.people.middleware import SESSION_STATE, second_factor_required


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    return target


# --- personal API tokens ----------------------------------------------------------------


@login_required
def my_tokens(request: HttpRequest) -> HttpResponse:
    """Tokens are made here only: from a signed-in (and, with a device, verified) session."""
    person = services.ensure_person(request.user)
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = services.create_token(
                person=person,
                name=form.cleaned_data["name"],
                days=int(form.cleaned_data["days"]),
                read_only=form.cleaned_data["read_only"],
            )
            form = TokenForm()
        except ServiceError as exc:
            apply_error(form, exc)
    return render(
        request,
        "people/tokens.html",
        {
            "form": form,
            "tokens": services.tokens_of(person=person),
            "new_secret": new_secret,
            "api_url": request.build_absolute_uri("/api/v1/"),
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.revoke_token(person=services.ensure_person(request.user), token_id=token_id)
        messages.success(request, _("Token revoked: it no longer opens the API."))
    except ServiceError as exc:
        messages.error(request, exc.message)
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
        try:
            device = second_factor.check_code(user=request.user, code=form.cleaned_data["code"])
        except ServiceError as exc:
            apply_error(form, exc)
        else:
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
    device = second_factor.pending_device(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = second_factor.confirm_device(user=user, code=form.cleaned_data["code"])
        except ServiceError as exc:
            apply_error(form, exc)
        else:
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
def turn_off(request: HttpRequest) -> HttpResponse:
    try:
        second_factor.turn_off(user=request.user)
        request.session.pop(SESSION_STATE, None)
        messages.success(request, _("Second factor turned off."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("second_factor_setup")
