"""Roles are Django groups with real permissions; `sync_roles` keeps them as defined here.

It runs after every migration, so a new permission reaches every installation.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sylva.core.pillars import pillars


class Role(StrEnum):
    LEARNER = "learner"
    MANAGER = "manager"
    ANIMATOR = "animator"
    DESIGNER = "designer"
    ADMINISTRATOR = "administrator"


ROLE_LABELS = {
    Role.LEARNER: _("learner"),
    Role.MANAGER: _("team manager"),
    Role.ANIMATOR: _("learning animator"),
    Role.DESIGNER: _("designer"),
    Role.ADMINISTRATOR: _("administrator"),
}

_READ_ORG = [
    "people.view_person",
    "people.view_skill",
    "people.view_skilldomain",
    "people.view_team",
    "people.view_department",
    "people.view_site",
    "people.view_population",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.LEARNER: _READ_ORG,
    Role.MANAGER: [*_READ_ORG, "people.view_team_people"],
    Role.ANIMATOR: [
        *_READ_ORG,
        "people.view_org_insights",
        "people.add_skill",
        "people.change_skill",
        "people.add_skilldomain",
        "people.change_skilldomain",
    ],
    Role.DESIGNER: [*_READ_ORG, "people.author_content"],
    Role.ADMINISTRATOR: ["*"],  # every permission of every app
}

# Permissions never granted through a role, even "every permission": the redaction of
# confidential content does not depend on them, but nobody needs to edit the event log.
_NEVER = {"people.change_learningevent", "people.delete_learningevent"}


def _codename(perm: Permission) -> str:
    return f"{perm.content_type.app_label}.{perm.codename}"


def role_permissions() -> dict[Role, list[str]]:
    """The permissions of each role: people's, plus what each pillar declares in its
    contract's ``role_permissions`` ({"animator": ("exchange.review_run",), …})."""
    merged = {role: list(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for config in pillars():
        for role, perms in config.role_permissions.items():
            if merged[Role(role)] != ["*"]:
                merged[Role(role)].extend(perms)
    return merged


@transaction.atomic
def sync_roles() -> dict[Role, Group]:
    everything = list(Permission.objects.select_related("content_type"))
    by_name = {_codename(p): p for p in everything}
    groups: dict[Role, Group] = {}
    for role, wanted in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=role.value)
        if wanted == ["*"]:
            perms = [p for p in everything if _codename(p) not in _NEVER]
        else:
            perms = [by_name[name] for name in wanted if name in by_name]
        group.permissions.set(perms)
        groups[role] = group
    return groups


def roles_of(user: AbstractBaseUser | AnonymousUser) -> set[Role]:
    if not user.is_authenticated:
        return set()
    names = {g.name for g in user.groups.all()}  # type: ignore[attr-defined]
    return {r for r in Role if r.value in names}


def role_groups() -> dict[Role, Group]:
    """The role groups, creating them (with their permissions) if a role is missing."""
    groups = {Role(g.name): g for g in Group.objects.filter(name__in=[r.value for r in Role])}
    if len(groups) < len(Role):
        groups = sync_roles()
    return groups
