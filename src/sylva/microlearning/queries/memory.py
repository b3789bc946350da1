"""Memory: current retrievability (FSRS) per learner and skill, for me and for a team."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from sylva.microlearning import scheduling
from sylva.microlearning.models import Memory
from sylva.people.models import Person, Skill, Team


@dataclass
class Mastery:
    skill: Skill
    retrievability: float | None  # mean over cards (or people); None: hidden or no data
    cards: int = 0
    people: int = 0

    @property
    def percent(self) -> int | None:
        return None if self.retrievability is None else round(100 * self.retrievability)

    @property
    def band(self) -> str:
        r = self.retrievability
        if r is None:
            return "none"
        return "high" if r >= 0.85 else "mid" if r >= 0.6 else "low"


def _per_person_skill(
    people: list[int], now: datetime
) -> tuple[dict[int, dict[int, list[float]]], dict[int, Skill]]:
    sched = scheduling.scheduler()
    values: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    skills: dict[int, Skill] = {}
    memories = (
        Memory.objects.filter(
            person_id__in=people,
            reps__gt=0,
            stability__isnull=False,
            card__retired_at__isnull=True,  # a retired card is no longer learnt
        )
        .select_related("card__module")
        .prefetch_related("card__module__skills")
    )
    for memory in memories:
        r = scheduling.retrievability(memory, now, sched)
        if r is None:
            continue
        for skill in memory.card.module.skills.all():
            skills[skill.pk] = skill
            values[skill.pk][memory.person_id].append(r)
    return values, skills


def knowledge_map(person: Person, now: datetime | None = None) -> list[Mastery]:
    values, skills = _per_person_skill([person.pk], now or timezone.now())
    rows = []
    for skill_id, by_person in values.items():
        rs = by_person[person.pk]
        rows.append(Mastery(skills[skill_id], sum(rs) / len(rs), cards=len(rs), people=1))
    return sorted(rows, key=lambda m: m.skill.name)


def team_map(team: Team, now: datetime | None = None) -> list[Mastery] | None:
    """Mean over members of each member's mean retrievability, per skill; None when the team
    has fewer than SYLVA_MIN_AGGREGATE people, and a skill's value is hidden (None) when
    fewer than that many members have learnt it."""
    members = list(
        Person.objects.filter(team=team, user__is_active=True).values_list("pk", flat=True)
    )
    threshold = settings.SYLVA_MIN_AGGREGATE
    if len(members) < threshold:
        return None
    values, skills = _per_person_skill(members, now or timezone.now())
    rows = []
    for skill_id, by_person in values.items():
        means = [sum(v) / len(v) for v in by_person.values() if v]
        shown = len(means) >= threshold
        rows.append(
            Mastery(
                skills[skill_id],
                sum(means) / len(means) if shown else None,
                cards=sum(len(v) for v in by_person.values()),
                people=len(means),
            )
        )
    return sorted(rows, key=lambda m: m.skill.name)
