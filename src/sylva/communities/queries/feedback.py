"""Reads of a manager's field feedback (never a write).

A feedback is read by the manager who gave it and the person who received it, nobody
else — not another manager of the same person, not an animator, not an administrator —
unless the person shares it: then the members of the person's team (the people whose team
is the person's) read it too. A team's *rhythm* is an aggregate of counts (never the
contents), shown only to a team of at least ``SYLVA_MIN_AGGREGATE`` people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from sylva.communities.models import FieldFeedback
from sylva.communities.queries.situations import team_of
from sylva.people.models import Person

RHYTHM_MONTHS = 6


def _feedback() -> QuerySet[FieldFeedback]:
    return FieldFeedback.objects.select_related(
        "giver", "person__team", "skill", "assignment__situation"
    )


def received(person: Person) -> QuerySet[FieldFeedback]:
    return _feedback().filter(person=person)


def given(manager: Person) -> QuerySet[FieldFeedback]:
    return _feedback().filter(giver=manager)


def shared_with(person: Person) -> QuerySet[FieldFeedback]:
    """Feedback colleagues of ``person``'s team shared with their team (not their own)."""
    if person.team_id is None:
        return _feedback().none()
    return (
        _feedback()
        .filter(shared=True, person__team_id=person.team_id, person__user__is_active=True)
        .exclude(person=person)
        .exclude(giver=person)
    )


def may_read(person: Person, feedback: FieldFeedback) -> bool:
    if person.pk in (feedback.giver_id, feedback.person_id):
        return True
    return bool(
        feedback.shared and person.team_id is not None and feedback.person.team_id == person.team_id
    )


def readable(person: Person, pk: int) -> FieldFeedback | None:
    found = _feedback().filter(pk=pk).first()
    if found is None or not may_read(person, found):
        return None
    return found


def readers_when_shared(feedback: FieldFeedback) -> QuerySet[Person]:
    """Who reads a shared feedback besides the two people: the person's team."""
    if feedback.person.team_id is None:
        return Person.objects.none()
    return (
        Person.objects.filter(team_id=feedback.person.team_id, user__is_active=True)
        .exclude(pk__in=(feedback.person_id, feedback.giver_id))
        .order_by("last_name", "first_name")
    )


def to_answer(person: Person) -> QuerySet[FieldFeedback]:
    return received(person).filter(answered_at__isnull=True)


@dataclass(frozen=True)
class Month:
    start: date
    count: int


@dataclass(frozen=True)
class Rhythm:
    """A team's feedback in the last months: counts only."""

    team_size: int
    months: list[Month]
    people_reached: int  # team members who received at least one in these months

    @property
    def total(self) -> int:
        return sum(m.count for m in self.months)

    @property
    def highest(self) -> int:
        return max((m.count for m in self.months), default=0)


def _month_starts(today: date, months: int) -> list[date]:
    starts = []
    year, month = today.year, today.month
    for _i in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


def rhythm(manager: Person, *, today: date | None = None) -> Rhythm | None:
    """The feedback the team of ``manager`` received, per month over the last six months,
    and how many of them received some; None when the team has fewer than
    ``SYLVA_MIN_AGGREGATE`` people (an aggregate of fewer would name them)."""
    team = list(team_of(manager).values_list("pk", flat=True))
    if len(team) < settings.SYLVA_MIN_AGGREGATE:
        return None
    starts = _month_starts(today or timezone.localdate(), RHYTHM_MONTHS)
    rows = list(
        FieldFeedback.objects.filter(person_id__in=team, created_at__date__gte=starts[0])
        .values_list("person_id", "created_at")
        .order_by()
    )
    counts = dict.fromkeys(starts, 0)
    for _person, at in rows:
        local = timezone.localtime(at).date()
        key = date(local.year, local.month, 1)
        if key in counts:
            counts[key] += 1
    reached = len({person for person, _at in rows})
    return Rhythm(
        team_size=len(team),
        months=[Month(start, counts[start]) for start in starts],
        people_reached=reached,
    )


def team_choices(manager: Person) -> QuerySet[Person]:
    return team_of(manager)


def filter_q(person: Person) -> Q:
    """Feedback ``person`` may read, as a filter (the API's lists)."""
    q = Q(giver=person) | Q(person=person)
    if person.team_id is not None:
        q |= Q(shared=True, person__team_id=person.team_id)
    return q
