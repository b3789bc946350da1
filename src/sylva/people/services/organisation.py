"""A person's place in the organisation: team (and so department), site and manager.

An administrator's act (the Django admin calls :func:`place_person` and records who did it)
or the HR source's; never the person's own.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sylva.core.errors import ServiceError
from sylva.people.models import Person, Site, Team

#: One's place in the organisation: not on one's own profile (see ``profile.SELF_EDITABLE``).
ORG_PLACEMENT = ("team", "site", "manager", "department")


def check_manager(*, person: Person, manager: Person | None) -> None:
    """A manager is somebody else, who does not report (even indirectly) to ``person``."""
    if manager is None:
        return
    if manager.pk == person.pk:
        raise ServiceError(_("Nobody is their own manager."), field="manager")
    seen: set[int] = set()
    boss: Person | None = manager
    while boss is not None and boss.pk not in seen:
        if boss.manager_id == person.pk:
            raise ServiceError(
                _("%(name)s already reports to %(person)s; choose someone else.")
                % {"name": manager.full_name, "person": person.full_name},
                field="manager",
            )
        seen.add(boss.pk)
        boss = boss.manager


@transaction.atomic
def place_person(
    *,
    person: Person,
    team: Team | None,
    site: Site | None,
    manager: Person | None,
) -> Person:
    """Place a person in the organisation: their team (and so department), site and manager,
    the manager checked under the row's lock."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    check_manager(person=locked, manager=manager)
    locked.team, locked.site, locked.manager = team, site, manager
    locked.save(update_fields=["team", "site", "manager"])
    person.team, person.site, person.manager = team, site, manager
    return locked
