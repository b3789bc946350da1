"""The notification service every pillar calls (``notify``, ``notify_many``,
``notify_team``), the sending, and people's choices."""

from sylva.notifications.services.compose import (
    notify,
    notify_many,
    notify_team,
    send_due,
    send_notification,
)
from sylva.notifications.services.digests import send_digests, send_digests_task
from sylva.notifications.services.hooks import save_hook
from sylva.notifications.services.preferences import (
    set_preferences,
    subscribe_push,
    unsubscribe,
    unsubscribe_push,
)

__all__ = [
    "notify",
    "notify_many",
    "notify_team",
    "save_hook",
    "send_digests",
    "send_digests_task",
    "send_due",
    "send_notification",
    "set_preferences",
    "subscribe_push",
    "unsubscribe",
    "unsubscribe_push",
]
