"""What a person says of themselves: their profile, their skills and levels, what they wish
to learn. Declaring a skill or a level, removing one and wishing write learning events."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.core.errors import NotFound, ServiceError
from sylva.core.validation import check_field
from sylva.core.xapi import EXT_PREVIOUS_LEVEL, Verb
from sylva.people import verbs
from sylva.people.models import LearningWish, Person, PersonSkill, Population, Skill
from sylva.people.services.accounts import set_language
from sylva.people.services.events import Result, record_event, skill_iri

#: What a person edits on their own profile. Their place in the organisation (team, site,
#: manager, and so department) is not among them: an administrator sets it
#: (:func:`~sylva.people.services.organisation.place_person`, from the admin) or the HR
#: source does.
SELF_EDITABLE = (
    "job_title",
    "populations",
    "can_share",
    "wants_to_learn",
    "visible_in_insights",
    "language",
)
#: The profile's texts, each limited by its model field.
TEXTS = ("job_title", "can_share", "wants_to_learn")


@transaction.atomic
def update_profile(
    *,
    person: Person,
    job_title: str | None = None,
    populations: Iterable[Population] | None = None,
    can_share: str | None = None,
    wants_to_learn: str | None = None,
    visible_in_insights: bool | None = None,
    language: str | None = None,
) -> Person:
    """A person edits their own profile: change the fields given (``None`` leaves a field as
    it is). The row is locked and only the given columns are written, so that two edits at
    once (two tabs, a phone and a laptop) both land."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    changed: list[str] = []
    texts = {"job_title": job_title, "can_share": can_share, "wants_to_learn": wants_to_learn}
    for name, value in texts.items():
        if value is not None:
            setattr(locked, name, check_field(Person, name, value.strip()))
            changed.append(name)
    if visible_in_insights is not None:
        locked.visible_in_insights = visible_in_insights
        changed.append("visible_in_insights")
    if language is not None:
        set_language(person=locked, language=language, save=False)
        changed.append("language")
    if changed:
        locked.save(update_fields=changed)
    if populations is not None:
        locked.populations.set(list(populations))
    for name in changed:
        setattr(person, name, getattr(locked, name))
    return locked


def _skill_by_code(code: str) -> Skill:
    try:
        return Skill.objects.get(code=code)
    except Skill.DoesNotExist:
        raise NotFound(
            _("There is no skill with the code “%(code)s”.") % {"code": code}, field="skill"
        ) from None


def check_level(level: int) -> None:
    if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 4:
        raise ServiceError(_("A level is a whole number from 1 to 4."), field="level")


@transaction.atomic
def set_skill(
    *, person: Person, skill_code: str, level: int, willing_to_share: bool | None = None
) -> PersonSkill:
    """Declare a skill or change its level; a change of level writes a learning event."""
    check_level(level)
    skill = _skill_by_code(skill_code)
    held, created = PersonSkill.objects.select_for_update().get_or_create(
        person=person,
        skill=skill,
        defaults={"level": level, "willing_to_share": bool(willing_to_share)},
    )
    previous = None if created else held.level
    if not created:
        if willing_to_share is not None:
            held.willing_to_share = willing_to_share
        held.level = level
        held.updated_at = timezone.now()
        held.save()
    if previous != level:
        _skill_event(
            person,
            verbs.DECLARED_SKILL,
            skill,
            result={
                "score": {"raw": level, "min": 1, "max": 4},
                "extensions": {EXT_PREVIOUS_LEVEL: previous},
            },
        )
    return held


def _skill_event(person: Person, verb: Verb, skill: Skill, *, result: Result = None) -> None:
    """The event of a change to one's skills or wishes (its object: the skill)."""
    record_event(
        actor=person,
        verb=verb,
        object_id=skill_iri(skill),
        object_name=skill.name_fr,
        skill=skill,
        result=result,
    )


@transaction.atomic
def remove_skill(*, person: Person, skill_code: str) -> None:
    skill = _skill_by_code(skill_code)
    deleted, _rows = PersonSkill.objects.filter(person=person, skill=skill).delete()
    if not deleted:
        raise NotFound(_("You have not declared this skill."), field="skill")
    _skill_event(person, verbs.REMOVED_SKILL, skill)


@transaction.atomic
def add_wish(*, person: Person, skill_code: str) -> LearningWish:
    skill = _skill_by_code(skill_code)
    wish, created = LearningWish.objects.get_or_create(person=person, skill=skill)
    if created:
        _skill_event(person, verbs.WISHED, skill)
    return wish


@transaction.atomic
def remove_wish(*, person: Person, skill_code: str) -> None:
    skill = _skill_by_code(skill_code)
    deleted, _rows = LearningWish.objects.filter(person=person, skill=skill).delete()
    if not deleted:
        raise NotFound(_("This skill is not on your list of things to learn."), field="skill")
