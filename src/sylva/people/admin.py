from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sylva.people.models import (
    ApiToken,
    Department,
    LearningEvent,
    LearningWish,
    Person,
    PersonSkill,
    Population,
    Site,
    Skill,
    SkillDomain,
    Team,
)


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "city"]
    search_fields = ["name", "code", "city"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_en", "code", "head"]
    search_fields = ["name_fr", "name_en", "code"]
    autocomplete_fields = ["head"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "site", "manager"]
    list_filter = ["department", "site"]
    search_fields = ["name"]
    autocomplete_fields = ["manager"]
    list_select_related = ["department", "site", "manager"]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_en", "code"]


@admin.register(SkillDomain)
class SkillDomainAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_en", "code"]
    search_fields = ["name_fr", "name_en", "code"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "name_en", "code", "domain"]
    list_filter = ["domain"]
    search_fields = ["name_fr", "name_en", "code"]
    list_select_related = ["domain"]


class PersonSkillInline(admin.TabularInline):
    model = PersonSkill
    extra = 0
    autocomplete_fields = ["skill"]


class LearningWishInline(admin.TabularInline):
    model = LearningWish
    extra = 0
    autocomplete_fields = ["skill"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["__str__", "job_title", "team", "site", "hire_date"]
    list_filter = ["site", "team__department", "populations"]
    search_fields = ["first_name", "last_name", "search_name", "user__username", "job_title"]
    autocomplete_fields = ["user", "team", "manager"]
    filter_horizontal = ["populations"]
    list_select_related = ["team", "site"]
    inlines = [PersonSkillInline, LearningWishInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "person", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest", "created_at", "last_used_at"]
    search_fields = ["name", "prefix", "person__search_name"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]


@admin.register(LearningEvent)
class LearningEventAdmin(admin.ModelAdmin):
    """The log is append-only: administrators read it, nobody edits it here."""

    list_display = ["timestamp", "actor", "verb_code", "object_name", "department"]
    list_filter = ["department", "site"]
    search_fields = ["object_name", "actor__search_name", "verb"]
    date_hierarchy = "timestamp"
    list_select_related = ["actor", "department"]
    show_full_result_count = False

    @admin.display(description=_("verb"))
    def verb_code(self, obj: LearningEvent) -> str:
        return obj.verb.rsplit("/", 1)[-1]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
