"""What Sylva tells people, and how: their preferences, push subscriptions, the team
channels (webhooks), every notification and its delivery log.

A :class:`Notification` is rendered once, in its recipient's language, when a pillar calls
``notify``; each channel that should carry it gets a :class:`Delivery`, the row that the
sending task claims, retries and closes. A delivery is sent once: the claim is a
conditional update of its state, so a retried task finds nothing left to send."""

from __future__ import annotations

from datetime import time

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sylva.people.models import Person, Team


class Preference(models.Model):
    """How one person wants to be told. A person without a row has the defaults of their
    persona (see ``notifications.queries.channels_for``)."""

    class Digest(models.TextChoices):
        NONE = "none", _("each message as it comes")
        DAILY = "daily", _("one daily digest")
        WEEKLY = "weekly", _("one weekly digest (Mondays)")

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="notification_preference"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet until"), null=True, blank=True)
    digest = models.CharField(_("digest"), max_length=8, choices=Digest, default=Digest.NONE)
    digest_at = models.TimeField(_("digest time"), default=time(8, 0))
    nudge_at = models.TimeField(
        _("daily rendez-vous reminder"),
        null=True,
        blank=True,
        default=time(8, 30),
        help_text=_("Empty: no reminder."),
    )
    #: notice kind -> the channels chosen for it ([] = none); a kind absent uses defaults
    channels = models.JSONField(default=dict, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.person)


class PushSubscription(models.Model):
    """A browser's web-push subscription (the PWA's ``PushManager.subscribe``)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{self.person} · {self.endpoint[:60]}"


class Hook(models.Model):
    """A team's (or the whole organisation's) chat channel, reached by an incoming webhook."""

    class Service(models.TextChoices):
        SLACK = "slack", "Slack"
        TEAMS = "teams", _("Microsoft Teams (Workflows)")

    name = models.CharField(_("name"), max_length=120)
    service = models.CharField(_("service"), max_length=8, choices=Service)
    url = models.URLField(_("webhook URL"), max_length=1000)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hooks",
        help_text=_("Empty: the whole organisation's channel."),
    )
    #: the notice kinds posted there
    kinds = models.JSONField(_("kinds"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chat channel")
        verbose_name_plural = _("chat channels")

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """One message, rendered in its recipient's language: to a person, or to a chat channel."""

    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    hook = models.ForeignKey(
        Hook, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=64)
    #: what makes it one message: the same key to the same recipient is never sent twice
    key = models.CharField(max_length=200)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    #: the page of the next action, a path on Sylva
    url = models.CharField(max_length=500)
    action = models.CharField(max_length=120)
    #: an iCalendar invitation or cancellation (RFC 5546), when it is one
    calendar = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="notification_once_per_person"),
            models.UniqueConstraint(fields=["hook", "key"], name="notification_once_per_hook"),
            models.CheckConstraint(
                condition=Q(person__isnull=False, hook__isnull=True)
                | Q(person__isnull=True, hook__isnull=False),
                name="notification_has_one_recipient",
            ),
        ]
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    """One channel's carrying of one notification: the delivery log."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        HELD = "held", _("held for the digest")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("not sent")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=16)
    state = models.CharField(max_length=8, choices=State, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    #: the claim of the task sending it (a conditional update sets it: one task per delivery)
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    #: why it failed, was retried or was not sent, for the person and the administrator
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            )
        ]
        indexes = [models.Index(fields=["state", "due_at"])]

    def __str__(self) -> str:
        return f"{self.channel} · {self.state}"
