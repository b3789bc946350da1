"""Background work of notifications, as ``sylva enqueue`` lists it: ``send_due`` each minute
(retries, the end of quiet hours), ``send_digests`` each hour. Declared beside the services
that enqueue them."""

from __future__ import annotations

from sylva.notifications.services import send_digests_task as send_digests
from sylva.notifications.services import send_due, send_notification

__all__ = ["send_digests", "send_due", "send_notification"]
