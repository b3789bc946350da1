"""What people contribute to "Where can I learn this?" (their contract's ``ways``): the
colleagues willing to share who hold the skill at level 3 or more, the ones who can teach
it first, then those on the reader's site. Only those who said they are happy to share it
(``PersonSkill.willing_to_share``) are named here: holding a skill is not an invitation.
One query, whatever the number of holders."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sylva.core.pillars import Way
from sylva.people import queries
from sylva.people.models import Level, Person, PersonSkill, Skill

KIND = "people.colleague"
LABEL = gettext_lazy("Colleagues willing to share it")
#: colleagues named at most (the skill's page lists every holder below)
LIMIT = 6
#: the lowest level at which a colleague is named as a way to learn
MIN_LEVEL = Level.MASTERING


def sharing_holders(person: Person, skill: Skill) -> list[PersonSkill]:
    """Active colleagues (never ``person``) who hold ``skill`` at level 3 or more and are
    happy to share it: can teach first, then the reader's site, then by name."""
    site_id = person.site_id
    return list(
        queries.skill_holders(skill, min_level=MIN_LEVEL)
        .filter(willing_to_share=True)
        .exclude(person_id=person.pk)
        .annotate(
            same_site=Case(
                When(person__site_id=site_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-level", "-same_site", "person__last_name", "person__first_name", "pk")[:LIMIT]
    )


def _conditions(held: PersonSkill, site_id: int | None) -> tuple[str, ...]:
    p = held.person
    level = _("can teach it") if held.level >= Level.TEACHING else _("masters it")
    where = ""
    if p.site_id is not None and p.site is not None:
        if p.site_id == site_id:
            where = _("on your site (%(site)s)") % {"site": p.site.name}
        else:
            where = _("at %(site)s") % {"site": p.site.name}
    team = p.team.name if p.team is not None else ""
    return tuple(c for c in (level, _("happy to share it"), where, team) if c)


def ways(person: Person, skill: Skill) -> list[Way]:
    site_id = person.site_id
    return [
        Way(
            KIND,
            LABEL,
            held.person.full_name,
            reverse("people:person", args=[held.person_id]),
            _conditions(held, site_id),
            rank=held.level * 10 + getattr(held, "same_site", 0) - i / 100,
        )
        for i, held in enumerate(sharing_holders(person, skill))
    ]
