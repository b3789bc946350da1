from django.utils.translation import gettext_lazy as _

from sylva.core import pillars
from sylva.core.pillars import NavEntry, NoticeKind


class NotificationsConfig(pillars.Pillar):
    """Ground beside people: the inbox of what waits on each person (items contributed by
    every pillar's ``inbox``), people's preferences, push subscriptions, chat channels and
    the delivery log. Pillars call ``notify`` (sylva.notifications.services)."""

    name = "sylva.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    url_prefix = "inbox/"
    api_prefix = "/notifications/"
    nav = (NavEntry("notifications:inbox", _("Inbox"), "inbox", badge="inbox_count"),)
    context_processors = ("sylva.notifications.context_processors.inbox",)
    tasks = "sylva.notifications.tasks"
    # a notification's body and invitation may carry an exchange's place or an
    # introduction's reason: its recipient's, never shown in the admin or to anyone else
    confidential = {"Notification": ("body", "calendar")}
    notices = (NoticeKind("notifications.digest", _("My digest"), urgent=True),)
