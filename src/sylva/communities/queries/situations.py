"""Reads of work situations and their assignments (never a write).

Who reads what:

- the catalogue of situations: everyone signed in;
- an assignment: its learner, its tutor, the manager who assigned it and the learner's
  manager (``in_team``); its debrief text: the learner and the tutor only (the managers
  see that it happened, and when).

A manager's team is the people's rule (``team_of``): the people whose manager they are,
and, when they hold ``people.view_team_people``, the members of the teams they manage.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sylva.communities.models import Assignment, WorkSituation
from sylva.people.models import Person, PersonSkill, Skill

TEAM_PERM = "people.view_team_people"
#: how many colleagues the assignment form suggests as tutors
TUTORS_SUGGESTED = 12


def team_of(manager: Person) -> QuerySet[Person]:
    """The active people of ``manager``'s team (never the manager themself)."""
    mine = Q(manager=manager)
    if manager.user.has_perm(TEAM_PERM):
        mine |= Q(team__manager=manager)
    return (
        Person.objects.filter(mine, user__is_active=True)
        .exclude(pk=manager.pk)
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )


def in_team(manager: Person, person: Person) -> bool:
    return team_of(manager).filter(pk=person.pk).exists()


def manages_anyone(manager: Person) -> bool:
    return team_of(manager).exists()


def catalogue() -> QuerySet[WorkSituation]:
    return (
        WorkSituation.objects.filter(retired_at__isnull=True)
        .select_related("author")
        .prefetch_related("skills__domain")
    )


def situation(pk: int) -> WorkSituation | None:
    return catalogue().filter(pk=pk).first()


def _assignments() -> QuerySet[Assignment]:
    return Assignment.objects.select_related(
        "situation", "learner", "tutor", "assigned_by", "proposed_skill"
    )


def mine(person: Person) -> QuerySet[Assignment]:
    """The assignments where ``person`` is the learner or the tutor."""
    return _assignments().filter(Q(learner=person) | Q(tutor=person))


def of_team(manager: Person) -> QuerySet[Assignment]:
    """The assignments of ``manager``'s team (and those they assigned): states only."""
    team = team_of(manager).values("pk")
    return _assignments().filter(Q(assigned_by=manager) | Q(learner__in=team))


def may_read(person: Person, assignment: Assignment) -> bool:
    if person.pk in (assignment.learner_id, assignment.tutor_id, assignment.assigned_by_id):
        return True
    return in_team(person, assignment.learner)


def reads_debrief(person: Person, assignment: Assignment) -> bool:
    """The debrief text is the learner's and the tutor's only."""
    return person.pk in (assignment.learner_id, assignment.tutor_id)


def readable_assignment(person: Person, pk: int) -> Assignment | None:
    found = _assignments().filter(pk=pk).first()
    if found is None or not may_read(person, found):
        return None
    return found


def tutor_suggestions(situation: WorkSituation, learner: Person | None) -> list[Person]:
    """Colleagues holding a skill of ``situation`` at 3 or more, willing to share and
    highest level first (never the learner)."""
    held = (
        PersonSkill.objects.filter(
            skill__in=situation.skills.all(), level__gte=3, person__user__is_active=True
        )
        .select_related("person__team")
        .order_by("-level", "-willing_to_share", "person__last_name", "person_id")
    )
    if learner is not None:
        held = held.exclude(person=learner)
    seen: dict[int, Person] = {}
    for row in held[: TUTORS_SUGGESTED * 4]:
        seen.setdefault(row.person_id, row.person)
        if len(seen) >= TUTORS_SUGGESTED:
            break
    return list(seen.values())


def learner_level(learner: Person, skill: Skill) -> int | None:
    return (
        PersonSkill.objects.filter(person=learner, skill=skill)
        .values_list("level", flat=True)
        .first()
    )


def waiting_on(person: Person) -> QuerySet[Assignment]:
    """What waits on ``person``: to do (learner), to debrief (tutor), a level to agree."""
    S = Assignment.State
    return _assignments().filter(
        Q(learner=person, state=S.ASSIGNED)
        | Q(tutor=person, state=S.DONE)
        | Q(
            learner=person,
            state=S.DEBRIEFED,
            proposed_level__isnull=False,
            level_agreed_at__isnull=True,
        )
    )
