"""The Django admin for the communities: every model, read-only. Each write carries a rule
that a service owns (who hosts, who may join, who answered, who reads a report, who was
invited and why, who attends a circle, who assigned a situation, who gave feedback), so
administrators look here and act on the pages. What two people wrote in private — a
manager's field feedback and its answer, a work situation's debrief — is never shown,
filtered, searched or ordered on (sylva.core.admin guards the fields the app declares
confidential). Lists filter and search on safe fields only: titles, names, states, dates;
never a post's, a reply's or a reflection's text."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sylva.communities.models import (
    Assignment,
    Attendance,
    Circle,
    CircleMember,
    CircleSession,
    Community,
    FieldFeedback,
    Flag,
    Follow,
    Invitation,
    Membership,
    Milestone,
    Post,
    Project,
    ProjectMember,
    Reflection,
    Reply,
    Revision,
    Thanks,
    WorkSituation,
)
from sylva.communities.services import spaces
from sylva.core.admin import ReadOnlyMixin, SylvaModelAdmin, SylvaTabularInline
from sylva.core.errors import ServiceError
from sylva.people.web import current_person


class ReadOnlyAdmin(ReadOnlyMixin, SylvaModelAdmin):
    """Shown, never written here: the pages' services write these rows and their events."""

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MembershipInline(ReadOnlyMixin, SylvaTabularInline):
    model = Membership
    fields = (
        "person",
        "role",
        "state",
        "created_at",
        "joined_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Community)
class CommunityAdmin(ReadOnlyAdmin):
    """Started, edited and archived by its hosts on its page; an administrator may archive
    one here, through the same service."""

    list_display = ["name", "slug", "access", "language", "domain", "created_at", "archived_at"]
    list_filter = ["access", "language", "domain", "archived_at"]
    search_fields = ["name", "slug"]
    list_select_related = ["domain"]
    fields = (
        "slug",
        "name",
        "purpose",
        "language",
        "access",
        "domain",
        "skills",
        "created_by",
        "created_at",
        "archived_at",
    )
    readonly_fields = fields
    inlines = [MembershipInline]
    actions = ["archive"]

    @admin.action(description=_("Archive the selected communities"))
    def archive(self, request: HttpRequest, queryset: QuerySet[Community]) -> None:
        person = current_person(request)
        for community in queryset.filter(archived_at__isnull=True):
            try:
                spaces.archive_community(person=person, community=community)
            except ServiceError as exc:
                self.message_user(request, exc.message, messages.WARNING)
            else:
                self.log_change(request, community, [{"changed": {"fields": ["archived_at"]}}])


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["person", "community", "role", "state", "created_at", "joined_at"]
    list_filter = ["role", "state"]
    search_fields = ["person__last_name", "person__first_name", "community__name"]
    list_select_related = ["person", "community"]


@admin.register(Follow)
class FollowAdmin(ReadOnlyAdmin):
    list_display = ["person", "community", "skill", "created_at"]
    search_fields = ["person__last_name", "community__name", "skill__code"]
    list_select_related = ["person", "community", "skill"]


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    """A post's text is read on its page, by whom its audience allows: here its title,
    author, place and state only."""

    list_display = ["title", "kind", "author", "community", "audience", "created_at", "hidden_at"]
    list_filter = ["kind", "audience", "community"]
    search_fields = ["title", "author__last_name"]
    list_select_related = ["author", "community"]
    fields = (
        "kind",
        "title",
        "author",
        "community",
        "project",
        "assignment",
        "audience",
        "language",
        "created_at",
        "edited_at",
        "solved_at",
        "escalated_at",
        "hidden_at",
        "hidden_by",
    )
    readonly_fields = fields


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ["pk", "post", "author", "created_at", "accepted_at", "hidden_at"]
    search_fields = ["author__last_name", "post__title"]
    list_select_related = ["author", "post"]
    fields = (
        "post",
        "author",
        "created_at",
        "edited_at",
        "accepted_at",
        "hidden_at",
    )
    readonly_fields = fields


@admin.register(Thanks)
class ThanksAdmin(ReadOnlyAdmin):
    list_display = ["pk", "reply", "person", "created_at"]
    list_select_related = ["person", "reply"]


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "post", "reply", "editor", "created_at"]
    list_select_related = ["editor", "post", "reply"]
    fields = (
        "post",
        "reply",
        "editor",
        "created_at",
    )
    readonly_fields = fields


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["pk", "post", "reply", "reporter", "created_at", "resolved_at"]
    list_filter = ["resolved_at"]
    list_select_related = ["post", "reply", "reporter"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "post", "invitee", "state", "score", "created_at", "answered_at"]
    list_filter = ["state"]
    search_fields = ["invitee__last_name", "post__title"]
    list_select_related = ["post", "invitee"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "community", "created_at", "closed_at"]
    list_filter = ["closed_at"]
    search_fields = ["title"]
    list_select_related = ["owner", "community"]


@admin.register(ProjectMember)
class ProjectMemberAdmin(ReadOnlyAdmin):
    list_display = ["pk", "project", "person", "joined_at"]
    list_select_related = ["project", "person"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["title", "project", "due_on", "closed_at"]
    search_fields = ["title", "project__title"]
    list_select_related = ["project"]
    fields = (
        "project",
        "title",
        "due_on",
        "closed_by",
        "closed_at",
    )
    readonly_fields = fields


@admin.register(WorkSituation)
class WorkSituationAdmin(ReadOnlyAdmin):
    list_display = ["title", "author", "language", "created_at", "retired_at"]
    list_filter = ["language", "retired_at"]
    search_fields = ["title"]
    list_select_related = ["author"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    """Who was assigned what, with which tutor, and its state; its debrief stays between
    the learner and the tutor."""

    list_display = ["pk", "situation", "learner", "tutor", "state", "assigned_at", "due_on"]
    list_filter = ["state"]
    search_fields = ["situation__title", "learner__last_name"]
    list_select_related = ["situation", "learner", "tutor"]


@admin.register(Circle)
class CircleAdmin(ReadOnlyAdmin):
    list_display = ["title", "facilitator", "state", "format", "private", "created_at"]
    list_filter = ["state", "format", "private"]
    search_fields = ["title"]
    list_select_related = ["facilitator"]
    fields = (
        "title",
        "facilitator",
        "sponsor",
        "community",
        "skills",
        "private",
        "max_members",
        "format",
        "state",
        "created_by",
        "created_at",
        "closed_at",
    )
    readonly_fields = fields


@admin.register(CircleMember)
class CircleMemberAdmin(ReadOnlyAdmin):
    list_display = ["pk", "circle", "person", "state", "joined_at"]
    list_filter = ["state"]
    list_select_related = ["circle", "person"]
    fields = (
        "circle",
        "person",
        "state",
        "goal_rating",
        "joined_at",
    )
    readonly_fields = fields


@admin.register(CircleSession)
class CircleSessionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "circle", "number", "starts_at", "minutes", "format", "cancelled_at"]
    list_filter = ["format"]
    list_select_related = ["circle"]
    fields = (
        "circle",
        "number",
        "starts_at",
        "minutes",
        "format",
        "prompt",
        "cancelled_at",
    )
    readonly_fields = fields


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["pk", "session", "person", "present"]
    list_filter = ["present"]
    list_select_related = ["session", "person"]


@admin.register(Reflection)
class ReflectionAdmin(ReadOnlyAdmin):
    """A member's reflection is read by the circle's members: here who and when."""

    list_display = ["pk", "session", "person", "rating", "created_at"]
    list_select_related = ["session", "person"]
    fields = (
        "session",
        "person",
        "rating",
        "created_at",
    )
    readonly_fields = fields


@admin.register(FieldFeedback)
class FieldFeedbackAdmin(ReadOnlyAdmin):
    """That feedback was given, by whom to whom, when: never its words."""

    list_display = ["pk", "giver", "person", "skill", "created_at", "answered_at", "shared"]
    list_filter = ["shared"]
    list_select_related = ["giver", "person", "skill"]
