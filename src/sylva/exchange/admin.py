"""The Django admin for the exchange network. What two people say in an exchange —
messages, review texts, reasons, the place — is never shown, filtered, searched or ordered
on, to administrators neither (sylva.core.admin guards the fields the app declares
confidential). Nothing here engages a person: postings, exchanges, runs and fairs are made
by their people through the services; the settings are saved through their service."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sylva.core.admin import ReadOnlyMixin, ServiceAdmin, SylvaModelAdmin, SylvaTabularInline
from sylva.core.errors import ServiceError
from sylva.exchange.models import (
    Exchange,
    ExchangeSettings,
    Fair,
    MatchRun,
    Message,
    Offer,
    Proposal,
    Request,
    Review,
)
from sylva.exchange.services import board, fairs

REDACTED = _("[private to the two participants]")


@admin.register(ExchangeSettings)
class ExchangeSettingsAdmin(ServiceAdmin):
    """Saved through :func:`board.update_settings`, as on the animators' page."""

    list_display = [
        "__str__",
        "joining_requires_both",
        "request_expiry_days",
        "default_capacity",
        "send_directly",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ExchangeSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = board.update_settings(
            joining_requires_both=obj.joining_requires_both,
            request_expiry_days=obj.request_expiry_days,
            default_capacity=obj.default_capacity,
            send_directly=obj.send_directly,
        )
        obj.pk = saved.pk


class PostingAdmin(ReadOnlyMixin, SylvaModelAdmin):
    """Read-only: an offer or a request is published, edited and closed by its person only
    (nobody posts in another's name)."""

    list_display = ["person", "state", "duration_minutes", "site", "created_at"]
    list_filter = ["state", "site", "in_person", "phone", "video"]
    search_fields = ["person__last_name", "person__first_name", "text"]
    autocomplete_fields = ["person"]
    filter_horizontal = ["skills"]
    list_select_related = ["person", "site"]


admin.site.register(Offer, PostingAdmin)


@admin.register(Request)
class RequestAdmin(PostingAdmin):
    list_display = [*PostingAdmin.list_display, "expires_at"]


EXCHANGE_FIELDS = (
    "teacher",
    "learner",
    "skill",
    "offer",
    "request",
    "origin",
    "fair",
    "state",
    "teacher_accepted",
    "learner_accepted",
    "starts_at",
    "duration_minutes",
    "mode",
    "created_at",
    "accepted_at",
    "updated_at",
    "message_count",
)


@admin.register(Exchange)
class ExchangeAdmin(ReadOnlyMixin, SylvaModelAdmin):
    """Read-only: an exchange changes through its state machine, never by hand here; the
    reason a participant gave for declining or cancelling, and the place, stay between
    them. Not deleted here either (its messages and reviews would go with it)."""

    list_display = ["pk", "teacher", "learner", "skill", "state", "origin", "starts_at"]
    list_filter = ["state", "origin"]
    search_fields = ["teacher__last_name", "learner__last_name"]
    list_select_related = ["teacher", "learner", "skill"]
    fields = EXCHANGE_FIELDS
    readonly_fields = EXCHANGE_FIELDS

    @admin.display(description=_("messages"))
    def message_count(self, obj: Exchange) -> int:
        return obj.messages.count()


class RedactedAdmin(ReadOnlyMixin, SylvaModelAdmin):
    """Rows are listed (who and when), never their words; nobody adds, edits or deletes
    them here."""

    fields = ["exchange", "author", "created_at"]

    @admin.display(description=_("content"))
    def content(self, obj: Any) -> str:
        return str(REDACTED)


@admin.register(Message)
class MessageAdmin(RedactedAdmin):
    list_display = ["pk", "exchange", "author", "created_at", "content"]
    list_select_related = ["author", "exchange"]


@admin.register(Review)
class ReviewAdmin(RedactedAdmin):
    list_display = ["pk", "exchange", "author", "usefulness", "created_at", "content"]
    list_select_related = ["author", "exchange"]

    fields = ["exchange", "author", "usefulness", "story_shared", "created_at"]


class ProposalInline(SylvaTabularInline):
    model = Proposal
    fields = ["request", "offer", "score", "cycle", "state", "exchange"]
    readonly_fields = ["request", "offer", "score", "cycle", "state", "exchange"]
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnlyMixin, SylvaModelAdmin):
    """Read-only: a run is started, reviewed and sent on the animators' matching page, whose
    services create the exchanges and write their events."""

    list_display = ["pk", "created_at", "state", "requests", "offers", "total_score", "seconds"]
    list_filter = ["state"]
    inlines = [ProposalInline]
    readonly_fields = [
        "created_at",
        "started_by",
        "requests",
        "offers",
        "candidates",
        "total_score",
        "seconds",
        "sent_at",
    ]


@admin.register(Fair)
class FairAdmin(ReadOnlyMixin, SylvaModelAdmin):
    """A fair is opened by its animator on the fair page (never in another's name); an
    administrator may close one, through the same service."""

    list_display = ["title", "site", "animator", "opens_at", "closes_at", "closed_at"]
    actions = ["close"]

    @admin.action(description=_("Close the selected fairs"))
    def close(self, request: HttpRequest, queryset: QuerySet[Fair]) -> None:
        for fair in queryset.filter(closed_at__isnull=True):
            try:
                fairs.close_fair(fair=fair)
            except ServiceError as exc:
                self.message_user(request, exc.message, messages.WARNING)
            else:
                self.log_change(request, fair, [{"changed": {"fields": ["closed_at"]}}])
