from django.contrib import admin

from sylva.microlearning.models import (
    Campaign,
    Card,
    Duel,
    Learner,
    Module,
    OrgMemorySettings,
    TeamChallenge,
)


class CardInline(admin.StackedInline):
    model = Card
    extra = 0


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ("title", "code", "language", "status", "is_light", "author")
    list_filter = ("status", "language", "is_light")
    search_fields = ("title", "code")
    inlines = [CardInline]
    raw_id_fields = ("author", "reviewed_by")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "rhythm", "new_cards", "starts_on", "ends_on")
    raw_id_fields = ("created_by",)


@admin.register(Learner)
class LearnerAdmin(admin.ModelAdmin):
    list_display = ("person", "streak", "best_streak", "paused_since", "on_leaderboards")
    raw_id_fields = ("person",)


admin.site.register(OrgMemorySettings)
admin.site.register(Duel, raw_id_fields=("challenger", "opponent"))
admin.site.register(TeamChallenge, raw_id_fields=("created_by",))
