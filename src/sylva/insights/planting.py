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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from rich.progress import Progress

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

TWO_PERSON = ("taught", "learned-from", "responded", "gave-feedback")
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
    return [verbs.verb(code).iri for code in TWO_PERSON]


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


@transaction.atomic
def plant(*, seed: int, progress: Progress | None = None) -> PlantedTruth:
    rng = random.Random(seed)
    now = timezone.now()
    truth = PlantedTruth(single_holder_before=sorted(_single_holders()))
    task = progress.add_task("Planting ground truth", total=4) if progress else None

    def advance() -> None:
        if progress is not None and task is not None:
            progress.advance(task)

    people = list(Person.objects.select_related("team").filter(team__isnull=False).order_by("pk"))
    dept_of = {p.pk: p.team.department_id for p in people if p.team}
    by_dept: dict[int, list[Person]] = {}
    for p in people:
        by_dept.setdefault(dept_of[p.pk], []).append(p)
    departments = [d for d in Department.objects.order_by("pk") if len(by_dept.get(d.pk, [])) >= 15]
    n_silos = 2 if len(departments) >= 6 else 1
    # silos: departments of middling size, so that the rest stays connected
    silos = rng.sample(departments[1:], n_silos) if len(departments) > n_silos else []
    truth.silo_departments = sorted(d.pk for d in silos)
    silo_people = {p.pk for d in silos for p in by_dept[d.pk]}
    for d in silos:
        _cut_ties(rng, {p.pk for p in by_dept[d.pk]}, None, KEEP_OUTSIDE)
    advance()

    # should-talk pairs of teams, outside the silos, each team used once
    teams = [
        t
        for t in Team.objects.annotate(n=Count("members")).filter(n__gte=6).order_by("pk")
        if t.department_id not in truth.silo_departments
    ]
    rng.shuffle(teams)
    members: dict[int, list[Person]] = {}
    for p in people:
        members.setdefault(p.team_id or 0, []).append(p)
    n_pairs = max(3, len(teams) // 12)
    used: set[int] = set()
    skills = list(Skill.objects.order_by("pk"))
    single_pool = [s for s in skills]
    rng.shuffle(single_pool)
    reserved: set[int] = set()
    held_rows: list[PersonSkill] = []
    wish_rows: list[LearningWish] = []
    for a in teams:
        if len(truth.should_talk) >= n_pairs:
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
        truth.should_talk.append((min(a.pk, partner.pk), max(a.pk, partner.pk)))
        offered = rng.sample([s for s in skills if s.pk not in reserved], 8)
        reserved |= {s.pk for s in offered}
        for giver, taker, give in ((a, partner, offered[:4]), (partner, a, offered[4:])):
            g_people, t_people = members[giver.pk], members[taker.pk]
            for skill in give:
                for person in rng.sample(g_people, 3):
                    held_rows.append(
                        PersonSkill(
                            person=person,
                            skill=skill,
                            level=rng.choice((3, 4)),
                            willing_to_share=True,
                            updated_at=now,
                        )
                    )
                for person in rng.sample(t_people, 4):
                    wish_rows.append(
                        LearningWish(person=person, skill=skill, created_at=_moment(rng, now))
                    )
    pair_people = {p.pk for t in used for p in members[t]}
    for a_b in truth.should_talk:
        _cut_ties(rng, {p.pk for p in members[a_b[0]]}, {p.pk for p in members[a_b[1]]}, 0.0)
    _upsert_skills(held_rows)
    LearningWish.objects.bulk_create(wish_rows, ignore_conflicts=True)
    advance()

    # hidden experts: teach one skill to many, never declared it at level ≥ 3
    candidates = [p for p in people if p.pk not in silo_people and p.pk not in pair_people]
    learners_pool = candidates
    n_experts = max(4, len(people) // 100)
    events: list[LearningEvent] = []
    for expert in rng.sample(candidates, n_experts):
        high = set(
            PersonSkill.objects.filter(person=expert, level__gte=3).values_list(
                "skill_id", flat=True
            )
        )
        skill = rng.choice([s for s in skills if s.pk not in high and s.pk not in reserved])
        reserved.add(skill.pk)
        truth.hidden_experts.append(expert.pk)
        truth.expert_skills[expert.pk] = skill.pk
        same = [p for p in by_dept[dept_of[expert.pk]] if p.pk in {c.pk for c in learners_pool}]
        learners: list[Person] = []
        while len(learners) < rng.randint(18, 26):
            pool = same if rng.random() < 0.6 and len(same) > 1 else learners_pool
            learner = rng.choice(pool)
            if learner.pk != expert.pk and learner not in learners:
                learners.append(learner)
        iri = f"{verbs.SYLVA_ACTIVITIES}skill/{skill.code}"
        for learner in learners:
            when = _moment(rng, now)
            events.append(
                build_event(
                    actor=expert,
                    verb="taught",
                    object_id=iri,
                    object_name=skill.name_fr,
                    skill=skill,
                    other=learner,
                    timestamp=when,
                    team=expert.team,
                )
            )
            events.append(
                build_event(
                    actor=learner,
                    verb="learned-from",
                    object_id=iri,
                    object_name=skill.name_fr,
                    skill=skill,
                    other=expert,
                    timestamp=when,
                    team=learner.team,
                )
            )
        level = rng.choice((None, 1, 2))
        if level is not None:
            PersonSkill.objects.update_or_create(
                person=expert, skill=skill, defaults={"level": level, "updated_at": now}
            )
    for e in events:
        e.stored = e.timestamp
    LearningEvent.objects.bulk_create(events, batch_size=500)
    advance()

    # single-holder critical skills
    multi = [
        s
        for s in Skill.objects.annotate(
            n=Count("person_skills", filter=Q(person_skills__level__gte=3))
        )
        .filter(n__gte=2)
        .order_by("pk")
        if s.pk not in reserved
    ]
    taught = verbs.verb("taught").iri
    rng.shuffle(multi)
    for skill in multi:
        if len(truth.single_holder_skills) >= 5:
            break
        holders = list(PersonSkill.objects.filter(skill=skill, level__gte=3).order_by("pk"))
        taught_by = {
            h.person_id: LearningEvent.objects.filter(
                actor_id=h.person_id, verb=taught, skill=skill
            )
            .values("other_id")
            .distinct()
            .count()
            for h in holders
        }
        # the one who teaches it most keeps it; the others step down, unless they taught it
        # to several colleagues (that would make them hidden experts nobody planted)
        keeper = max(holders, key=lambda h: (taught_by[h.person_id], -h.pk))
        if any(taught_by[h.person_id] >= 3 for h in holders if h.pk != keeper.pk):
            continue
        PersonSkill.objects.filter(pk__in=[h.pk for h in holders if h.pk != keeper.pk]).update(
            level=2, updated_at=now
        )
        truth.single_holder_skills.append(skill.pk)
    truth.single_holder_skills.sort()
    advance()
    return truth


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


def score(truth: PlantedTruth, data: dict[str, Any]) -> list[Recovery]:
    """How much of the planted truth a snapshot's findings (``Snapshot.data``) recover.

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

    add("silo departments", set(truth.silo_departments), data["silos"].get("silo_departments", []))
    add("hidden experts", set(truth.hidden_experts), [e["person"] for e in data["hidden_experts"]])
    pairs = [tuple(sorted((t["team_a"], t["team_b"]))) for t in data["team_introductions"]]
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
    skills = [x["skill"] for x in data["single_holder"]]
    add(
        "single-holder skills",
        set(truth.single_holder_skills),
        skills,
        set(truth.single_holder_skills) | set(truth.single_holder_before),
    )
    return out
