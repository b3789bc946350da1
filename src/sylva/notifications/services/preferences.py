"""What people choose: channels per kind, quiet hours, digest, the rendez-vous reminder;
their push subscriptions; the one-click unsubscribe of an email's link. Each write checks
everything first and changes nothing on a refusal."""

from __future__ import annotations

import base64
import binascii
import zoneinfo
from collections.abc import Mapping
from datetime import time
from urllib.parse import urlparse

from cryptography.hazmat.primitives.asymmetric import ec
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.core.errors import ServiceError
from sylva.core.validation import check_field
from sylva.notifications import queries
from sylva.notifications.channels import read_unsubscribe_token
from sylva.notifications.models import Preference, PushSubscription
from sylva.people.models import Person


def _locked_preference(person: Person) -> Preference:
    Preference.objects.get_or_create(person=person)
    return Preference.objects.select_for_update().get(person=person)


def check_time_zone(name: str) -> None:
    if name and name not in zoneinfo.available_timezones():
        raise ServiceError(
            _("%(zone)s is not a time zone (for example Europe/Paris).") % {"zone": name}
        )


def check_channels(channels: Mapping[str, object]) -> dict[str, list[str]]:
    kinds = queries.notice_kinds()
    checked: dict[str, list[str]] = {}
    for kind, chosen in channels.items():
        if kind not in kinds:
            raise ServiceError(_("%(kind)s is not a kind of notification.") % {"kind": kind})
        if not isinstance(chosen, list | tuple) or any(
            c not in queries.PERSONAL_CHANNELS for c in chosen
        ):
            raise ServiceError(
                _("The channels of %(kind)s must be among: %(channels)s.")
                % {"kind": kind, "channels": ", ".join(queries.PERSONAL_CHANNELS)}
            )
        checked[kind] = sorted(set(chosen), key=queries.PERSONAL_CHANNELS.index)
    return checked


def set_preferences(
    person: Person,
    *,
    time_zone: str | None = None,
    quiet_from: time | None = None,
    quiet_until: time | None = None,
    digest: str | None = None,
    digest_at: time | None = None,
    nudge_at: time | str | None = "unchanged",
    channels: Mapping[str, object] | None = None,
) -> Preference:
    """Change the person's preferences (None leaves a field as it is; ``nudge_at=None``
    turns the reminder off). Quiet hours are both set or both empty."""
    if time_zone is not None:
        check_time_zone(time_zone)
    if digest is not None and digest not in Preference.Digest.values:
        raise ServiceError(_("Choose each message, a daily or a weekly digest."))
    if (quiet_from is None) != (quiet_until is None):
        raise ServiceError(_("Quiet hours need a start and an end, or neither."))
    checked = check_channels(channels) if channels is not None else None
    with transaction.atomic():
        preference = _locked_preference(person)
        if time_zone is not None:
            preference.time_zone = time_zone
        preference.quiet_from, preference.quiet_until = quiet_from, quiet_until
        if digest is not None:
            preference.digest = digest
        if digest_at is not None:
            preference.digest_at = digest_at
        if nudge_at != "unchanged":
            preference.nudge_at = nudge_at if isinstance(nudge_at, time) else None
        if checked is not None:
            preference.channels = {**preference.channels, **checked}
        preference.updated_at = timezone.now()
        preference.save()
    return preference


def unsubscribe(token: str) -> tuple[Person, str]:
    """The one-click unsubscribe of an email's link: that kind is no longer emailed to
    its person (their other channels for it stay). Returns (person, kind)."""
    try:
        person_id, kind = read_unsubscribe_token(token)
    except signing.BadSignature:
        raise ServiceError(_("This unsubscribe link is not valid.")) from None
    person = Person.objects.filter(pk=person_id).first()
    if person is None or kind not in queries.notice_kinds():
        raise ServiceError(_("This unsubscribe link is not valid."))
    with transaction.atomic():
        preference = _locked_preference(person)
        current = queries.channels_for(person, kind, preference)
        preference.channels = {**preference.channels, kind: [c for c in current if c != "email"]}
        preference.updated_at = timezone.now()
        preference.save(update_fields=["channels", "updated_at"])
    return person, kind


def _check_key(value: str, *, label: str, sizes: tuple[int, ...]) -> None:
    field = f"keys.{label}"
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ServiceError(
            _("The subscription's %(key)s key is not base64url.") % {"key": label}, field=field
        ) from None
    if len(raw) not in sizes:
        raise ServiceError(
            _("The subscription's %(key)s key has the wrong length.") % {"key": label},
            field=field,
        )
    if label == "p256dh":
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
        except ValueError:
            raise ServiceError(
                _("The subscription's %(key)s key is not a P-256 public key.") % {"key": label},
                field=field,
            ) from None


#: browsers one person keeps subscribed; a new one beyond replaces the least recently used
MAX_SUBSCRIPTIONS = 10


def subscribe_push(
    person: Person, *, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Keep a browser's push subscription (``PushSubscription.toJSON()`` of the PWA). An
    endpoint is one browser: subscribing it again, even as another person (a shared
    device), moves it. A person keeps at most ``MAX_SUBSCRIPTIONS`` browsers."""
    check_field(PushSubscription, "endpoint", endpoint)
    parts = urlparse(endpoint)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in endpoint):
        raise ServiceError(_("A push endpoint is an https:// address."), field="endpoint")
    _check_key(p256dh, label="p256dh", sizes=(65,))
    _check_key(auth, label="auth", sizes=(16,))
    with transaction.atomic():
        subscription, _created = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={
                "person": person,
                "p256dh": p256dh,
                "auth": auth,
                "user_agent": user_agent[:300],
            },
        )
        extra = (
            PushSubscription.objects.filter(person=person)
            .exclude(pk=subscription.pk)
            .order_by("-last_sent_at", "-created_at", "-pk")
            .values_list("pk", flat=True)[MAX_SUBSCRIPTIONS - 1 :]
        )
        PushSubscription.objects.filter(pk__in=list(extra)).delete()
    return subscription


def unsubscribe_push(person: Person, endpoint: str) -> int:
    """Forget one of the person's own subscriptions; how many were removed (0 or 1)."""
    return PushSubscription.objects.filter(person=person, endpoint=endpoint).delete()[0]
