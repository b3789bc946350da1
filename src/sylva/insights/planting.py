"""Plant known structures in a generated demo company, to check what insights recover.

:func:`plant` changes an already generated company through ordinary rows only — learning
events built with :func:`sylva.people.services.build_event`, ``PersonSkill`` and
``LearningWish`` rows — as a real company's history could have produced them:

- **silo departments**: almost all two-person learning between their members and the rest
  of the company is taken out of the log (one such moment in twenty is kept);
- **hidden experts**: people who teach one skill to many colleagues while declaring no
  level ≥ 3 in it;
- **should-talk team pairs**: two teams of different departments where each holds skills
  (level 3-4) that the other wants to learn, and no learning moment between them;
- **single-holder critical skills**: every holder at level ≥ 3 but one steps down to 2.

It returns the truth for tests and benchmarks. Insights never import this module: they see
the log, the org chart and the skills, as with any company.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from rich.progress import Progress

from sylva.core.xapi import activity
from sylva.insights.findings import Findings
from sylva.people import verbs
from sylva.people.models import (
    Department,
    LearningEvent,
    LearningWish,
    Person,
    PersonSkill,
    Skill,
    Team,
)
from sylva.people.services import build_event

TWO_PERSON = (verbs.TAUGHT, verbs.LEARNED_FROM, verbs.RESPONDED, verbs.GAVE_FEEDBACK)
KEEP_OUTSIDE = 0.05
WINDOW_DAYS = 170


@dataclass
class PlantedTruth:
    silo_departments: list[int] = field(default_factory=list)
    hidden_experts: list[int] = field(default_factory=list)  # person ids
    expert_skills: dict[int, int] = field(default_factory=dict)  # person id -> skill id
    should_talk: list[tuple[int, int]] = field(default_factory=list)  # team ids, sorted
    single_holder_skills: list[int] = field(default_factory=list)
    single_holder_before: list[int] = field(default_factory=list)  # already so, not planted

    def counts(self) -> dict[str, int]:
        """What `sylva seed --plant` reports."""
        return {
            "planted silo departments": len(self.silo_departments),
            "planted hidden experts": len(self.hidden_experts),
            "planted teams that should talk": len(self.should_talk),
            "planted single-holder skills": len(self.single_holder_skills),
        }


def _moment(rng: random.Random, now: datetime) -> datetime:
    day = now - timedelta(days=rng.randint(1, WINDOW_DAYS))
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start + timedelta(seconds=rng.randrange(7 * 3600, 18 * 3600))


def _single_holders() -> set[int]:
    return set(
        Skill.objects.annotate(n=Count("person_skills", filter=Q(person_skills__level__gte=3)))
        .filter(n=1)
        .values_list("pk", flat=True)
    )


def _two_person_iris() -> list[str]:
    return [v.iri for v in TWO_PERSON]


def _cut_ties(rng: random.Random, inside: set[int], outside: set[int] | None, keep: float) -> None:
    """Delete two-person events between ``inside`` and ``outside`` (everyone else when None),
    keeping a ``keep`` share of them."""
    events = LearningEvent.objects.filter(verb__in=_two_person_iris(), other__isnull=False)
    pairs = events.filter(Q(actor_id__in=inside) | Q(other_id__in=inside)).values_list(
        "pk", "actor_id", "other_id"
    )
    doomed = []
    for pk, actor, other in pairs.iterator(chunk_size=5000):
        a_in, o_in = actor in inside, other in inside
        if a_in == o_in:
            continue
        far = other if a_in else actor
        if outside is not None and far not in outside:
            continue
        if rng.random() >= keep:
            doomed.append(pk)
    for start in range(0, len(doomed), 500):
        LearningEvent.objects.filter(pk__in=doomed[start : start + 500]).delete()


@dataclass
class _Company:
    """What the planting steps share: the generated company, read once, and the skills
    already used by a planted structure (``reserved``: each structure gets its own)."""

    rng: random.Random
    now: datetime
    people: list[Person]
    dept_of: dict[int, int]
    by_dept: dict[int, list[Person]]
    skills: list[Skill] = field(default_factory=list)
    reserved: set[int] = field(default_factory=set)


@transaction.atomic
def plant(*, seed: int, progress: Progress | None = None) -> PlantedTruth:
    """Plant the four structures, in this order (each step draws from the same random
    generator, so the planted company depends on the seed only)."""
    rng = random.Random(seed)
    now = timezone.now()
    truth = PlantedTruth(single_holder_before=sorted(_single_holders()))
    task = progress.add_task("Planting ground truth", total=4) if progress else None

    def advance() -> None:
        if progress is not None and task is not None:
            progress.advance(task)

    company = _read_company(rng, now)
    silo_people = _plant_silos(company, truth)
    advance()
    pair_people = _plant_should_talk(company, truth)
    advance()
    candidates = [p for p in company.people if p.pk not in silo_people | pair_people]
    _plant_hidden_experts(company, truth, candidates)
    advance()
    _plant_single_holders(company, truth)
    advance()
    return truth


def _read_company(rng: random.Random, now: datetime) -> _Company:
    people = list(Person.objects.select_related("team").filter(team__isnull=False).order_by("pk"))
    dept_of = {p.pk: p.team.department_id for p in people if p.team}
    by_dept: dict[int, list[Person]] = {}
    for p in people:
        by_dept.setdefault(dept_of[p.pk], []).append(p)
    return _Company(rng=rng, now=now, people=people, dept_of=dept_of, by_dept=by_dept)


def _plant_silos(c: _Company, truth: PlantedTruth) -> set[int]:
    """Silos: departments of middling size (so that the rest stays connected) lose almost
    all their learning with the rest of the company. Returns their people."""
    departments = [
        d for d in Department.objects.order_by("pk") if len(c.by_dept.get(d.pk, [])) >= 15
    ]
    n_silos = 2 if len(departments) >= 6 else 1
    silos = c.rng.sample(departments[1:], n_silos) if len(departments) > n_silos else []
    truth.silo_departments = sorted(d.pk for d in silos)
    for d in silos:
        _cut_ties(c.rng, {p.pk for p in c.by_dept[d.pk]}, None, KEEP_OUTSIDE)
    return {p.pk for d in silos for p in c.by_dept[d.pk]}


def _plant_should_talk(c: _Company, truth: PlantedTruth) -> set[int]:
    """Should-talk pairs of teams, outside the silos, each team used once: each holds four
    skills the other wishes to learn, and no learning moment joins them. Returns their
    people."""
    teams = [
        t
        for t in Team.objects.annotate(n=Count("members")).filter(n__gte=6).order_by("pk")
        if t.department_id not in truth.silo_departments
    ]
    c.rng.shuffle(teams)
    members: dict[int, list[Person]] = {}
    for p in c.people:
        members.setdefault(p.team_id or 0, []).append(p)
    c.skills = list(Skill.objects.order_by("pk"))
    single_pool = list(c.skills)
    c.rng.shuffle(single_pool)  # drawn, never used: kept so that a seed plants what it did
    pairs = _team_pairs(teams, n_pairs=max(3, len(teams) // 12))
    truth.should_talk = [(min(a.pk, b.pk), max(a.pk, b.pk)) for a, b in pairs]
    held_rows: list[PersonSkill] = []
    wish_rows: list[LearningWish] = []
    for a, b in pairs:
        offered = c.rng.sample([s for s in c.skills if s.pk not in c.reserved], 8)
        c.reserved |= {s.pk for s in offered}
        for giver, taker, give in ((a, b, offered[:4]), (b, a, offered[4:])):
            for skill in give:
                held, wished = _complement(c, members[giver.pk], members[taker.pk], skill)
                held_rows += held
                wish_rows += wished
    for team_a, team_b in truth.should_talk:
        _cut_ties(c.rng, {p.pk for p in members[team_a]}, {p.pk for p in members[team_b]}, 0.0)
    _upsert_skills(held_rows)
    LearningWish.objects.bulk_create(wish_rows, ignore_conflicts=True)
    return {p.pk for a, b in pairs for t in (a, b) for p in members[t.pk]}


def _team_pairs(teams: Sequence[Team], *, n_pairs: int) -> list[tuple[Team, Team]]:
    """Up to ``n_pairs`` pairs of teams of different departments, each team in one pair."""
    used: set[int] = set()
    pairs: list[tuple[Team, Team]] = []
    for a in teams:
        if len(pairs) >= n_pairs:
            break
        if a.pk in used:
            continue
        partner = next(
            (
                b
                for b in teams
                if b.pk not in used and b.pk != a.pk and b.department_id != a.department_id
            ),
            None,
        )
        if partner is None:
            break
        used |= {a.pk, partner.pk}
        pairs.append((a, partner))
    return pairs


def _complement(
    c: _Company, givers: list[Person], takers: list[Person], skill: Skill
) -> tuple[list[PersonSkill], list[LearningWish]]:
    """Three of ``givers`` hold ``skill`` at level 3-4; four of ``takers`` wish to learn it."""
    held = [
        PersonSkill(
            person=person,
            skill=skill,
            level=c.rng.choice((3, 4)),
            willing_to_share=True,
            updated_at=c.now,
        )
        for person in c.rng.sample(givers, 3)
    ]
    wished = [
        LearningWish(person=person, skill=skill, created_at=_moment(c.rng, c.now))
        for person in c.rng.sample(takers, 4)
    ]
    return held, wished


def _plant_hidden_experts(c: _Company, truth: PlantedTruth, candidates: list[Person]) -> None:
    """Hidden experts: people who teach one skill to many, never declared at level ≥ 3."""
    events: list[LearningEvent] = []
    for expert in c.rng.sample(candidates, max(4, len(c.people) // 100)):
        events += _plant_expert(c, truth, expert, candidates)
    for e in events:
        e.stored = e.timestamp
    LearningEvent.objects.bulk_create(events, batch_size=500)


def _plant_expert(
    c: _Company, truth: PlantedTruth, expert: Person, pool: list[Person]
) -> list[LearningEvent]:
    high = set(
        PersonSkill.objects.filter(person=expert, level__gte=3).values_list("skill_id", flat=True)
    )
    skill = c.rng.choice([s for s in c.skills if s.pk not in high and s.pk not in c.reserved])
    c.reserved.add(skill.pk)
    truth.hidden_experts.append(expert.pk)
    truth.expert_skills[expert.pk] = skill.pk
    in_pool = {p.pk for p in pool}
    same = [p for p in c.by_dept[c.dept_of[expert.pk]] if p.pk in in_pool]
    events: list[LearningEvent] = []
    iri = activity("skill", skill.code)
    for learner in _learners(c.rng, expert, same, pool):
        when = _moment(c.rng, c.now)
        for actor, verb, other in (
            (expert, verbs.TAUGHT, learner),
            (learner, verbs.LEARNED_FROM, expert),
        ):
            events.append(
                build_event(
                    actor=actor,
                    verb=verb,
                    object_id=iri,
                    object_name=skill.name_fr,
                    skill=skill,
                    other=other,
                    timestamp=when,
                    team=actor.team,
                )
            )
    level = c.rng.choice((None, 1, 2))
    if level is not None:
        PersonSkill.objects.update_or_create(
            person=expert, skill=skill, defaults={"level": level, "updated_at": c.now}
        )
    return events


def _learners(
    rng: random.Random, expert: Person, same: list[Person], pool: list[Person]
) -> list[Person]:
    """18 to 26 colleagues the expert taught, most of them from their own department."""
    learners: list[Person] = []
    while len(learners) < rng.randint(18, 26):
        choices = same if rng.random() < 0.6 and len(same) > 1 else pool
        learner = rng.choice(choices)
        if learner.pk != expert.pk and learner not in learners:
            learners.append(learner)
    return learners


def _plant_single_holders(c: _Company, truth: PlantedTruth) -> None:
    """Single-holder critical skills: of a skill held at level ≥ 3 by several, all but one
    step down to 2."""
    multi = [
        s
        for s in Skill.objects.annotate(
            n=Count("person_skills", filter=Q(person_skills__level__gte=3))
        )
        .filter(n__gte=2)
        .order_by("pk")
        if s.pk not in c.reserved
    ]
    c.rng.shuffle(multi)
    for skill in multi:
        if len(truth.single_holder_skills) >= 5:
            break
        if _leave_one_holder(skill, c.now):
            truth.single_holder_skills.append(skill.pk)
    truth.single_holder_skills.sort()


def _leave_one_holder(skill: Skill, now: datetime) -> bool:
    """The holder who teaches ``skill`` most keeps it; the others step down, unless they
    taught it to several colleagues (that would make them hidden experts nobody planted)."""
    holders = list(PersonSkill.objects.filter(skill=skill, level__gte=3).order_by("pk"))
    taught_by = {
        h.person_id: LearningEvent.objects.filter(
            actor_id=h.person_id, verb=verbs.TAUGHT.iri, skill=skill
        )
        .values("other_id")
        .distinct()
        .count()
        for h in holders
    }
    keeper = max(holders, key=lambda h: (taught_by[h.person_id], -h.pk))
    if any(taught_by[h.person_id] >= 3 for h in holders if h.pk != keeper.pk):
        return False
    PersonSkill.objects.filter(pk__in=[h.pk for h in holders if h.pk != keeper.pk]).update(
        level=2, updated_at=now
    )
    return True


def _upsert_skills(rows: list[PersonSkill]) -> None:
    """Create the rows, or raise an existing declaration to the planted level."""
    for row in rows:
        PersonSkill.objects.update_or_create(
            person=row.person,
            skill=row.skill,
            defaults={"level": row.level, "willing_to_share": True, "updated_at": row.updated_at},
        )


@dataclass
class Recovery:
    kind: str
    planted: int
    found: int
    listed: int
    recall: float
    precision: float


def score(truth: PlantedTruth, findings: Findings) -> list[Recovery]:
    """How much of the planted truth a snapshot's findings (``Snapshot.findings``) recover.

    - silos: departments flagged; experts: the spot list; single-holder skills: the list
      (a skill already held by one person before planting counts as right, not as a false
      alarm: it is true of the data);
    - should-talk pairs: recall in the top 2N team recommendations, precision in the top N
      (N planted pairs: R-precision).
    """
    out = []

    def add(kind: str, planted: set[Any], listed: list[Any], right: set[Any] | None = None) -> None:
        found = len(planted & set(listed))
        correct = len((right or planted) & set(listed))
        out.append(
            Recovery(
                kind=kind,
                planted=len(planted),
                found=found,
                listed=len(listed),
                recall=found / len(planted) if planted else 1.0,
                precision=correct / len(listed) if listed else 1.0,
            )
        )

    add("silo departments", set(truth.silo_departments), list(findings.silos.silo_departments))
    add("hidden experts", set(truth.hidden_experts), [e.person for e in findings.hidden_experts])
    pairs = [tuple(sorted((t.team_a, t.team_b))) for t in findings.team_introductions]
    planted = set(truth.should_talk)
    n = len(planted)
    top = pairs[: 2 * n]
    found = len(planted & set(top))
    out.append(
        Recovery(
            kind="should-talk pairs",
            planted=n,
            found=found,
            listed=len(top),
            recall=found / n if n else 1.0,
            precision=len(planted & set(pairs[:n])) / n if n else 1.0,
        )
    )
    skills = [x.skill for x in findings.single_holder]
    add(
        "single-holder skills",
        set(truth.single_holder_skills),
        skills,
        set(truth.single_holder_skills) | set(truth.single_holder_before),
    )
    return out
