"""The second factor: a TOTP device (django-otp) with static recovery codes.

Setting up: an unconfirmed TOTP device is made (its key shown as a QR code), confirmed by one
code from the app, and ten one-use recovery codes are issued with it. Signing in: after the
password, a code from the app or one recovery code (django-otp throttles wrong codes).
Turning it off is refused to whoever must have one (sylva.people.middleware).
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from sylva.core.errors import ServiceError
from sylva.people.middleware import second_factor_required

RECOVERY_CODES = 10
DEVICE_NAME = "Sylva"


def confirmed_totp(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: Any) -> bool:
    return confirmed_totp(user) is not None


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_key() -> str:
    """A fresh TOTP key (hex), as django-otp makes them."""
    return random_hex(20)


def proposed_device(*, user: Any, key: str) -> TOTPDevice:
    """The device the set-up page shows (its QR code, its key), not saved: the page only
    reads, and the device is written when a code from it confirms it."""
    return TOTPDevice(user=user, name=DEVICE_NAME, key=key, confirmed=False)


def manual_key(device: TOTPDevice) -> str:
    """The key in base 32, grouped by four, for apps without a camera."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (no image file, no script)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, border=2))


@transaction.atomic
def confirm_device(*, user: Any, code: str, key: str | None) -> tuple[TOTPDevice, list[str]]:
    """Confirm the device of ``key`` (the one the set-up page showed) with a code from the
    app; returns it and fresh recovery codes (shown once). Any earlier device of the
    person is replaced."""
    if not key:
        raise ServiceError(_("Start again: open the set-up page to get a new QR code."))
    device = proposed_device(user=user, key=key)
    # earlier devices (unconfirmed leftovers) give way; a wrong code rolls this back
    TOTPDevice.objects.filter(user=user).delete()
    if not device.verify_token(_clean(code)):
        raise ServiceError(
            _("This code does not match. Check your phone's time and type the current code."),
            field="code",
        )
    device.confirmed = True
    device.save()
    return device, new_recovery_codes(user=user)


@transaction.atomic
def new_recovery_codes(*, user: Any) -> list[str]:
    """Replace the person's recovery codes with ten new one-use codes."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def check_code(*, user: Any, code: str) -> Any:
    """The device a code (from the app, or a recovery code) belongs to, or a refusal."""
    device = match_token(user, _clean(code))
    if device is None:
        raise ServiceError(_("This code is not valid. Try the current one."), field="code")
    return device


@transaction.atomic
def turn_off(*, user: Any) -> None:
    if second_factor_required(user):
        raise ServiceError(
            _("Your account must keep a second factor: it can see the organisation's data."),
            status=403,
        )
    for device in devices_for_user(user, confirmed=None):
        device.delete()


def _clean(code: str) -> str:
    return "".join((code or "").split())
