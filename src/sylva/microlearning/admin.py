"""The Django admin of microlearning: read-only where a write carries a rule that a service
applies (a module's review and publication, its cards' identities across imports, a
campaign's audience, a duel's or a challenge's players, a learner's streak and consent);
the memory settings are saved through their service. A learner's answers are never shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sylva.core.admin import ReadOnlyMixin, ServiceAdmin, SylvaModelAdmin, SylvaStackedInline
from sylva.microlearning.models import (
    Campaign,
    Card,
    Duel,
    Learner,
    Module,
    OrgMemorySettings,
    TeamChallenge,
)
from sylva.microlearning.services import answers


class CardInline(ReadOnlyMixin, SylvaStackedInline):
    model = Card
    extra = 0
    can_delete = False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Module)
class ModuleAdmin(ReadOnlyMixin, SylvaModelAdmin):
    """Modules are written, reviewed and published in the studio (nobody publishes in an
    author's name; an import keeps each card's identity and history)."""

    list_display = ("title", "code", "language", "status", "is_light", "author")
    list_filter = ("status", "language", "is_light")
    search_fields = ("title", "code")
    inlines = [CardInline]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyMixin, SylvaModelAdmin):
    list_display = ("name", "rhythm", "new_cards", "starts_on", "ends_on")


@admin.register(Learner)
class LearnerAdmin(ReadOnlyMixin, SylvaModelAdmin):
    """A streak is earned and the leaderboard consent is the learner's own."""

    list_display = ("person", "streak", "best_streak", "paused_since", "on_leaderboards")


@admin.register(OrgMemorySettings)
class OrgMemorySettingsAdmin(ServiceAdmin):
    """The desired retention, saved through its service; the fitted parameters come from a
    refit only."""

    readonly_fields = (
        "parameters",
        "fitted_at",
        "fitted_reviews",
        "log_loss_fitted",
        "log_loss_default",
    )
    fields = ("desired_retention", *readonly_fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not OrgMemorySettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = answers.set_desired_retention(retention=obj.desired_retention)
        obj.pk = saved.pk


@admin.register(Duel)
class DuelAdmin(ReadOnlyMixin, SylvaModelAdmin):
    """A duel is sent by its challenger, never in another's name."""

    list_display = ("__str__", "created_at")


@admin.register(TeamChallenge)
class TeamChallengeAdmin(ReadOnlyMixin, SylvaModelAdmin):
    """A team challenge is launched on its page (the launch writes its learning event)."""

    list_display = ("name", "starts_on", "ends_on", "created_by")
