"""The Django admin of people and the organisation.

An administrator places people in the organisation (team, site, manager) through the same
service as the HR source, :func:`services.place_person` (the manager-cycle check, under the
row's lock), and the admin's history records who did it; a person added here gets the first
roles of every new person (:func:`services.give_first_roles`). A service's refusal is shown
on the form, with nothing saved (:class:`ServiceAdmin`). What is a person's own act stays
theirs: their skills and wishes (declared by them, with the learning event), their consent
to appear in insights and what they wrote on their profile are shown read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sylva.core.admin import ReadOnlyMixin, ServiceAdmin, SylvaModelAdmin, SylvaTabularInline
from sylva.people import services
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

PLACEMENT = ("team", "site", "manager")


@admin.register(Site)
class SiteAdmin(SylvaModelAdmin):
    list_display = ["name", "code", "city"]
    search_fields = ["name", "code", "city"]


@admin.register(Department)
class DepartmentAdmin(SylvaModelAdmin):
    list_display = ["name_fr", "name_en", "code", "head"]
    search_fields = ["name_fr", "name_en", "code"]
    autocomplete_fields = ["head"]


@admin.register(Team)
class TeamAdmin(SylvaModelAdmin):
    list_display = ["name", "department", "site", "manager"]
    list_filter = ["department", "site"]
    search_fields = ["name"]
    autocomplete_fields = ["manager"]
    list_select_related = ["department", "site", "manager"]


@admin.register(Population)
class PopulationAdmin(SylvaModelAdmin):
    list_display = ["name_fr", "name_en", "code"]


@admin.register(SkillDomain)
class SkillDomainAdmin(SylvaModelAdmin):
    list_display = ["name_fr", "name_en", "code"]
    search_fields = ["name_fr", "name_en", "code"]


@admin.register(Skill)
class SkillAdmin(SylvaModelAdmin):
    list_display = ["name_fr", "name_en", "code", "domain"]
    list_filter = ["domain"]
    search_fields = ["name_fr", "name_en", "code"]
    list_select_related = ["domain"]


class ReadOnlyInline(ReadOnlyMixin, SylvaTabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PersonSkillInline(ReadOnlyInline):
    """A person declares their skills and levels themselves (``services.set_skill`` writes
    the learning event)."""

    model = PersonSkill
    fields = ("skill", "level", "willing_to_share", "updated_at")
    readonly_fields = fields


class LearningWishInline(ReadOnlyInline):
    model = LearningWish
    fields = ("skill", "created_at")
    readonly_fields = fields


@admin.register(Person)
class PersonAdmin(ServiceAdmin):
    list_display = ["__str__", "job_title", "team", "site", "hire_date"]
    list_filter = ["site", "team__department", "populations"]
    search_fields = ["first_name", "last_name", "search_name", "user__username", "job_title"]
    autocomplete_fields = ["user", "team", "manager"]
    filter_horizontal = ["populations"]
    list_select_related = ["team", "site"]
    inlines = [PersonSkillInline, LearningWishInline]
    # the person's own words and consent: theirs to change, on their profile
    readonly_fields = ["can_share", "wants_to_learn", "visible_in_insights"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("user")  # an account is not handed to another person
        return readonly

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        placement = {name: form.cleaned_data.get(name) for name in PLACEMENT}
        if change:
            # only what the form changed, so that an edit made meanwhile is kept
            own = [
                n
                for n in form.changed_data
                if n not in PLACEMENT and not obj._meta.get_field(n).many_to_many
            ]
            if own:
                obj.save(update_fields=own)
        else:
            obj.team = obj.site = obj.manager = None
            obj.save()
            services.give_first_roles(user=obj.user)
        if not change or set(PLACEMENT) & set(form.changed_data):
            services.place_person(person=obj, **placement)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyMixin, SylvaModelAdmin):
    """Tokens are made by their person, from a signed-in session; an administrator may
    revoke them (through the same service)."""

    protect_private_rows = False
    list_display = ["name", "person", "prefix", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "prefix", "person__search_name"]
    list_select_related = ["person"]
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True).select_related("person"):
            services.revoke_token(person=token.person, token_id=token.pk)
            self.log_change(request, token, [{"changed": {"fields": ["revoked_at"]}}])


@admin.register(LearningEvent)
class LearningEventAdmin(ReadOnlyMixin, SylvaModelAdmin):
    """The log is append-only: administrators read it, nobody edits it here; its result and
    statement may carry a person's answer, and are not shown."""

    list_display = ["timestamp", "actor", "verb_code", "object_name", "department"]
    list_filter = ["department", "site"]
    search_fields = ["object_name", "actor__search_name", "verb"]
    date_hierarchy = "timestamp"
    list_select_related = ["actor", "department"]
    show_full_result_count = False

    @admin.display(description=_("verb"))
    def verb_code(self, obj: LearningEvent) -> str:
        return obj.verb.rsplit("/", 1)[-1]
