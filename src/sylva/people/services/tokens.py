"""Personal API tokens: made from a signed-in session only, with expiry, scope and the mark
of the password they were made under (a new password revokes them)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.core.errors import NotFound, ServiceError
from sylva.core.validation import check_field
from sylva.people.models import TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS, ApiToken, Person

TOKEN_PREFIX = "sylva_"
#: The lifetimes offered when a token is made, in days (the default is TOKEN_DEFAULT_DAYS).
TOKEN_LIFETIMES = (7, 30, TOKEN_DEFAULT_DAYS, 180, TOKEN_MAX_DAYS)
#: Live tokens a person may have at once.
MAX_LIVE_TOKENS = 20


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def password_mark(user: Any) -> str:
    """A digest of the account's password hash: it changes with the password, by any path
    (the profile, the admin, `sylva changepassword`, SSO), and tokens die with it."""
    return hashlib.sha256(("sylva-token:" + (user.password or "")).encode()).hexdigest()


def check_new_token(*, name: str, days: int, from_token: ApiToken | None) -> str:
    """The token's name, cleaned, if a token may be made so; else a ServiceError."""
    if from_token is not None:
        raise ServiceError(
            _("A token cannot create tokens: create them from your signed-in session."),
            status=403,
        )
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the token a name, so you can recognise it later."), field="name")
    check_field(ApiToken, "name", name)
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise ServiceError(
            _("A token lasts from 1 to %(limit)d days.") % {"limit": TOKEN_MAX_DAYS},
            field="days",
        )
    return name


@transaction.atomic
def create_token(
    *,
    person: Person,
    name: str,
    days: int = TOKEN_DEFAULT_DAYS,
    read_only: bool = False,
    from_token: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is shown once and never stored.

    Only a signed-in session makes tokens: a token never makes another (``from_token``
    refused), so no token outlives or outreaches the session that made it."""
    name = check_new_token(name=name, days=days, from_token=from_token)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one count at a time
    now = timezone.now()
    live = person.api_tokens.filter(revoked_at__isnull=True, expires_at__gt=now)
    if live.count() >= MAX_LIVE_TOKENS:
        raise ServiceError(_("You already have 20 active tokens; revoke one first."), field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(secret),
        created_at=now,
        expires_at=now + timedelta(days=days),
        read_only=read_only,
        password_mark=password_mark(person.user),
    )
    return token, secret


@transaction.atomic
def revoke_token(*, person: Person, token_id: int) -> ApiToken:
    try:
        token = ApiToken.objects.select_for_update().get(pk=token_id, person=person)
    except ApiToken.DoesNotExist:
        raise NotFound(_("No such token.")) from None
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def revoke_stale_tokens(*, person: Person) -> int:
    """Revoke the person's tokens made under another password than the current one."""
    return (
        ApiToken.objects.filter(person=person, revoked_at__isnull=True)
        .exclude(password_mark=password_mark(person.user))
        .update(revoked_at=timezone.now())
    )


def find_token(secret: str) -> ApiToken | None:
    """The live token of a secret: None if unknown, revoked, expired, made under another
    password (it is revoked then) or of an inactive account."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("person__user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.person.user.is_active:
        return None
    if token.password_mark != password_mark(token.person.user):
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=now)
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def authenticate_token(secret: str) -> Person | None:
    """The person a live token belongs to, or None."""
    token = find_token(secret)
    return token.person if token is not None else None
