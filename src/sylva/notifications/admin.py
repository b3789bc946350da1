"""The administrator's side of notifications: the chat channels (saved through their
service: a bad webhook URL is a form error; the last failure is shown, which is how a
broken webhook is noticed), and read-only views of the log (notifications, deliveries),
people's preferences and push subscriptions — those are the people's own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sylva.core.admin import ReadOnlyMixin, ServiceAdmin, SylvaModelAdmin, SylvaStackedInline
from sylva.core.validation import limit_of
from sylva.notifications import queries, services
from sylva.notifications.models import Delivery, Hook, Notification, Preference, PushSubscription


class HookForm(forms.ModelForm):
    url = forms.URLField(
        label=_("webhook URL"),
        max_length=limit_of(Hook, "url"),
        assume_scheme="https",
        help_text=_("The https:// address the chat tool gives for its incoming webhook."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("kinds"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The kinds of notification posted to this channel."),
    )

    class Meta:
        model = Hook
        fields = ("name", "service", "url", "team", "kinds", "active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds: Any = self.fields["kinds"]
        kinds.choices = [
            (key, f"{notice.label} ({key})") for key, notice in queries.notice_kinds().items()
        ]


@admin.register(Hook)
class HookAdmin(ServiceAdmin):
    """A team's or the organisation's Slack or Teams channel. Saved through
    ``services.save_hook`` (an https webhook URL, declared kinds)."""

    form = HookForm
    list_display = ("name", "service", "team", "active", "last_error_at")
    list_filter = ("service", "active")
    search_fields = ("name",)
    readonly_fields = ("last_error", "last_error_at", "created_at")
    fields = ("name", "service", "url", "team", "kinds", "active", *readonly_fields)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.save_hook(obj)


class NeverDeleted:
    """The delivery log is kept: nobody deletes it from the admin."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeliveryInline(NeverDeleted, ReadOnlyMixin, SylvaStackedInline):
    """Stacked: six read-only columns would make a table that scrolls sideways on a phone,
    a region a keyboard cannot reach (nothing in it takes the focus)."""

    model = Delivery
    extra = 0
    can_delete = False
    fields = ("channel", "state", "attempts", "due_at", "sent_at", "error")
    readonly_fields = fields


@admin.register(Notification)
class NotificationAdmin(NeverDeleted, ReadOnlyMixin, SylvaModelAdmin):
    """What was told to whom, read-only. Its body and invitation are the recipient's (an
    exchange's place, an introduction's reason): confidential, not shown here."""

    list_display = ("subject", "person", "hook", "kind", "created_at")
    list_filter = ("kind", "deliveries__state", "deliveries__channel")
    search_fields = ("subject",)
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]
    fields = ("person", "hook", "kind", "key", "subject", "url", "action", "created_at")
    list_select_related = ("person", "hook")


@admin.register(Delivery)
class DeliveryAdmin(NeverDeleted, ReadOnlyMixin, SylvaModelAdmin):
    """The delivery log: what each channel did with each notification, and why it failed."""

    list_display = ("subject", "channel", "state", "attempts", "due_at", "sent_at", "error")
    list_filter = ("state", "channel", "notification__kind")
    search_fields = ("notification__subject",)
    fields = ("notification", "channel", "state", "attempts", "due_at", "sent_at", "error")
    list_select_related = ("notification",)

    @admin.display(description=_("subject"), ordering="notification__subject")
    def subject(self, obj: Delivery) -> str:
        return obj.notification.subject


@admin.register(Preference)
class PreferenceAdmin(NeverDeleted, ReadOnlyMixin, SylvaModelAdmin):
    """A person's own choices: changed on their preferences page only."""

    list_display = ("person", "digest", "time_zone", "quiet_from", "quiet_until", "nudge_at")
    list_filter = ("digest",)
    fields = (
        "person",
        "time_zone",
        "quiet_from",
        "quiet_until",
        "digest",
        "digest_at",
        "nudge_at",
        "channels",
        "last_digest_at",
        "updated_at",
    )


@admin.register(PushSubscription)
class PushSubscriptionAdmin(NeverDeleted, ReadOnlyMixin, SylvaModelAdmin):
    """Browsers subscribed to web push (their keys are not shown); a subscription the
    push service says is gone is removed by the sending."""

    list_display = ("person", "short_endpoint", "created_at", "last_sent_at")
    fields = ("person", "short_endpoint", "user_agent", "created_at", "last_sent_at")
    readonly_fields = fields
    list_select_related = ("person",)

    @admin.display(description=_("endpoint"))
    def short_endpoint(self, obj: PushSubscription) -> str:
        endpoint = obj.endpoint
        return endpoint if len(endpoint) <= 60 else endpoint[:57] + "…"
