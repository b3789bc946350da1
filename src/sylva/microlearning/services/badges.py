"""Badges for streaks and milestones, awarded once."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sylva.microlearning.models import Badge
from sylva.people.models import Person

BADGES: dict[str, Promise] = {
    "streak-3": _("3 days in a row"),
    "streak-7": _("a week in a row"),
    "streak-30": _("30 days in a row"),
    "answers-10": _("10 answers"),
    "answers-100": _("100 answers"),
    "answers-500": _("500 answers"),
    "duel-won": _("first duel won"),
    "author": _("author of a published module"),
}
STREAKS = ((3, "streak-3"), (7, "streak-7"), (30, "streak-30"))
ANSWERS = ((10, "answers-10"), (100, "answers-100"), (500, "answers-500"))


def award(*, person: Person, code: str) -> bool:
    """Give a badge (inside the caller's transaction); False if it was already held."""
    if code not in BADGES:
        raise KeyError(code)
    _badge, created = Badge.objects.get_or_create(person=person, code=code)
    return created


def award_reached(*, person: Person, value: int, ladder: tuple[tuple[int, str], ...]) -> list[str]:
    """Give every badge of a ladder whose threshold ``value`` has reached and that the person
    does not hold yet, reading what they hold once; returns the codes given."""
    reached = [code for threshold, code in ladder if value >= threshold]
    if not reached:
        return []
    held = set(Badge.objects.filter(person=person, code__in=reached).values_list("code", flat=True))
    return [code for code in reached if code not in held and award(person=person, code=code)]


def label(code: str) -> str:
    return str(BADGES.get(code, code))
