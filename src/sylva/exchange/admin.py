"""The Django admin for the exchange network. What two people say in an exchange —
messages and review texts — is shown redacted, to administrators too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

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

REDACTED = _("[private to the two participants]")


@admin.register(ExchangeSettings)
class ExchangeSettingsAdmin(admin.ModelAdmin):
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


class PostingAdmin(admin.ModelAdmin):
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
class ExchangeAdmin(admin.ModelAdmin):
    """Read-only: an exchange changes through its state machine, never by hand here; the
    reason a participant gave for declining or cancelling stays between them."""

    list_display = ["pk", "teacher", "learner", "skill", "state", "origin", "starts_at"]
    list_filter = ["state", "origin"]
    search_fields = ["teacher__last_name", "learner__last_name"]
    list_select_related = ["teacher", "learner", "skill"]
    fields = EXCHANGE_FIELDS
    readonly_fields = EXCHANGE_FIELDS

    @admin.display(description=_("messages"))
    def message_count(self, obj: Exchange) -> int:
        return obj.messages.count()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RedactedAdmin(admin.ModelAdmin):
    """Rows are listed (who and when), never their words; nobody edits or adds them here."""

    redacted: list[str] = []

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["exchange", "author", "created_at", "content"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.get_fields(request, obj)

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

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["exchange", "author", "usefulness", "created_at", "content"]


class ProposalInline(admin.TabularInline):
    model = Proposal
    fields = ["request", "offer", "score", "cycle", "state", "exchange"]
    readonly_fields = ["request", "offer", "score", "cycle", "state", "exchange"]
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
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
class FairAdmin(admin.ModelAdmin):
    list_display = ["title", "site", "animator", "opens_at", "closes_at", "closed_at"]
    autocomplete_fields = ["animator"]
