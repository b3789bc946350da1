"""Accounts and roles: the person of an account, the roles it has, its language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from sylva.core.errors import ServiceError
from sylva.people.models import Person
from sylva.people.roles import Role, role_groups


@transaction.atomic
def ensure_person(user: Any) -> Person:
    """The person of a user account, created (with the learner role) on first use: an
    account made with `createsuperuser` or by SSO gets a profile it can fill in."""
    try:
        return user.person
    except Person.DoesNotExist:
        pass
    person = Person(
        user=user,
        first_name=user.first_name or user.get_username(),
        last_name=user.last_name or "",
    )
    person.save()
    give_first_roles(user=user)
    return person


def give_first_roles(*, user: Any) -> None:
    """The roles of a new person: learner, and administrator for a superuser."""
    groups = role_groups()
    user.groups.add(groups[Role.LEARNER])
    if user.is_superuser:
        user.groups.add(groups[Role.ADMINISTRATOR])


@transaction.atomic
def assign_roles(*, user: Any, roles: Iterable[str]) -> None:
    """Give a user exactly these roles (always with learner); administrators are staff."""
    wanted = {Role(r) for r in roles} | {Role.LEARNER}
    groups = role_groups()
    user.groups.remove(*[g for r, g in groups.items() if r not in wanted])
    user.groups.add(*[groups[r] for r in wanted])
    is_staff = Role.ADMINISTRATOR in wanted
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


def set_language(*, person: Person, language: str, save: bool = True) -> Person:
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        raise ServiceError(
            _("Unknown language “%(lang)s”; choose one of %(codes)s.")
            % {"lang": language, "codes": ", ".join(sorted(codes))},
            field="language",
        )
    person.language = language
    if save:
        person.save(update_fields=["language"])
    return person
