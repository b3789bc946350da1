"""The organisation's chat channels (Slack, Microsoft Teams Workflows), set up by an
administrator: a webhook URL is checked before it is kept."""

from __future__ import annotations

from urllib.parse import urlparse

from django.conf import settings
from django.utils.translation import gettext as _

from sylva.core.errors import ServiceError
from sylva.core.validation import check_field
from sylva.notifications import queries
from sylva.notifications.models import Hook


def check_hook(hook: Hook) -> None:
    """A webhook URL is an https:// address with a host (plain http only where
    ``SYLVA_WEBHOOK_ALLOW_HTTP`` says so: a local test server); its kinds are declared."""
    check_field(Hook, "name", hook.name)
    check_field(Hook, "url", hook.url)
    parts = urlparse(hook.url.strip())
    allowed = ("https", "http") if settings.SYLVA_WEBHOOK_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed or not parts.hostname or " " in hook.url.strip():
        raise ServiceError(
            _("The webhook URL must be an https:// address, as the chat tool gives it.")
        )
    if hook.service not in Hook.Service.values:
        raise ServiceError(_("Choose Slack or Microsoft Teams."))
    kinds = queries.notice_kinds()
    unknown = [kind for kind in hook.kinds or [] if kind not in kinds]
    if not isinstance(hook.kinds, list) or unknown:
        raise ServiceError(
            _("Unknown kinds of notification: %(kinds)s. Known: %(known)s.")
            % {"kinds": ", ".join(map(str, unknown)), "known": ", ".join(sorted(kinds))}
        )


def save_hook(hook: Hook) -> Hook:
    hook.url = hook.url.strip()
    check_hook(hook)
    hook.save()
    return hook
