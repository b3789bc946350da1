"""The company planned in memory from one ``random.Random(seed)``: org chart, people, skills."""

from __future__ import annotations

import random
import re
from bisect import bisect
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from django.utils.translation import gettext as _
from rich.progress import Progress, TaskID

from sylva.core.errors import ServiceError
from sylva.people.seed.catalogue import (
    BATCH,
    CEO,
    CEO_DEPARTMENT,
    CITY,
    CRITICAL_DEPARTMENTS,
    CRITICAL_DOMAINS,
    EMAIL_DOMAIN,
    EXPERT_SHARE,
    FEMININE,
    HEAD,
    LEAD,
    MEMBER,
    MIN_DEPARTMENT,
    MIN_SITE_PEOPLE,
    NEWCOMER_SHARE,
    OFFICE_SITES,
    SITE_WEIGHTS,
    TEAM_SIZE,
    TRANSVERSAL_DOMAINS,
    Catalogue,
    DepartmentSpec,
    JobSpec,
)
from sylva.people.text import fold

# --- the plan, in memory ----------------------------------------------------------------


@dataclass(slots=True)
class PersonPlan:
    dept: str
    team: int
    rank: int
    title: str
    populations: set[str]
    manager: int | None = None
    first: str = ""
    last: str = ""
    username: str = ""
    email: str = ""
    hired: date = date.min
    newcomer: bool = False
    persona: str = ""
    skills: list[tuple[int, int, bool]] = field(default_factory=list)  # skill, level, share
    wishes: list[int] = field(default_factory=list)


@dataclass(slots=True)
class TeamPlan:
    name: str
    dept: str
    site: str
    members: list[int] = field(default_factory=list)  # members[0] manages the team


@dataclass
class Plan:
    people: list[PersonPlan] = field(default_factory=list)
    teams: list[TeamPlan] = field(default_factory=list)
    heads: dict[str, int] = field(default_factory=dict)
    critical: list[int] = field(default_factory=list)  # skills held by exactly one person
    pools: _Pools | None = None


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """Largest-remainder apportionment of ``total`` over ``weights`` (ties to the first)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _headcounts(total: int, departments: Sequence[DepartmentSpec]) -> list[int]:
    counts = _split(total, [d.weight for d in departments])
    for i in range(len(counts)):
        while counts[i] < MIN_DEPARTMENT:
            donor = max(range(len(counts)), key=lambda j: (counts[j], -j))
            counts[donor] -= 1
            counts[i] += 1
    return counts


def _site_counts(dept: str, people: int) -> list[tuple[str, int]]:
    weights = SITE_WEIGHTS.get(dept, OFFICE_SITES)
    sites = sorted(weights, key=lambda s: -weights[s])  # the main site first
    counts = dict(zip(sites, _split(people, [weights[s] for s in sites]), strict=True))
    for site in sites[1:]:
        if counts[site] < MIN_SITE_PEOPLE:
            counts[sites[0]] += counts.pop(site)
    return [(s, c) for s, c in counts.items() if c]


def _team_names(stems: Sequence[str], sites: Sequence[str]) -> list[str]:
    """« Extrusion », « Extrusion 2 », « Extrusion — Lyon » when a stem is on several sites."""
    keys = [(stems[j % len(stems)], site) for j, site in enumerate(sites)]
    sites_of: dict[str, set[str]] = defaultdict(set)
    for stem, site in keys:
        sites_of[stem].add(site)
    seen: Counter[tuple[str, str]] = Counter()
    names = []
    for stem, site in keys:
        seen[stem, site] += 1
        name = stem + (f" {seen[stem, site]}" if seen[stem, site] > 1 else "")
        names.append(name + (f" — {CITY[site]}" if len(sites_of[stem]) > 1 else ""))
    return names


def _main_population(jobs: Sequence[JobSpec]) -> str:
    weight: Counter[str] = Counter()
    for job in jobs:
        weight[job.population] += job.weight
    return weight.most_common(1)[0][0]


def _plan_department(
    rng: random.Random, spec: DepartmentSpec, jobs: Sequence[JobSpec], people: int, plan: Plan
) -> None:
    slots: list[tuple[str, int]] = []
    for site, count in _site_counts(spec.code, people):
        k = max(1, round(count / TEAM_SIZE))
        sizes = _split(count, [rng.uniform(0.75, 1.25) for _ in range(k)])
        slots += [(site, size) for size in sizes if size]
    names = _team_names(spec.stems, [site for site, _size in slots])
    member_jobs, head_job = jobs[:-1], jobs[-1]
    cum = list(accumulate(j.weight for j in member_jobs))
    main_population = _main_population(jobs)
    first_team = len(plan.teams)
    for j, ((site, size), name) in enumerate(zip(slots, names, strict=True)):
        team = TeamPlan(name, spec.code, site)
        stem = spec.stems[j % len(spec.stems)]
        for m in range(size):
            team.members.append(len(plan.people))
            if m == 0:
                plan.people.append(
                    PersonPlan(
                        spec.code,
                        len(plan.teams),
                        LEAD,
                        f"Responsable d'équipe {stem}",
                        {"management", main_population},
                    )
                )
            else:
                job = rng.choices(member_jobs, cum_weights=cum)[0]
                plan.people.append(
                    PersonPlan(spec.code, len(plan.teams), MEMBER, job.title_fr, {job.population})
                )
        plan.teams.append(team)
    team0 = plan.teams[first_team].members
    head = plan.people[team0[1] if len(team0) >= 3 else team0[0]]
    head.rank, head.title = HEAD, head_job.title_fr
    head.populations = {"management", head_job.population}
    plan.heads[spec.code] = team0[1] if len(team0) >= 3 else team0[0]


def _link_managers(plan: Plan) -> None:
    """Members report to their team's manager, who reports to the department head, who
    reports to the managing director (person 0)."""
    for team in plan.teams:
        lead = team.members[0]
        head = plan.heads[team.dept]
        for i in team.members:
            person = plan.people[i]
            if person.rank == MEMBER:
                person.manager = lead
            elif person.rank == LEAD:
                person.manager = head
            elif person.rank == HEAD:
                person.manager = 0


def plan_organisation(rng: random.Random, people: int, cat: Catalogue) -> Plan:
    plan = Plan()
    plan.people.append(
        PersonPlan(CEO_DEPARTMENT, -1, CEO, "Directrice générale", {"management", "office"})
    )
    counts = _headcounts(people, cat.departments)
    for spec, count in zip(cat.departments, counts, strict=True):
        regular = count - 1 if spec.code == CEO_DEPARTMENT else count
        _plan_department(rng, spec, cat.jobs[spec.code], regular, plan)
    ceo_team = next(i for i, t in enumerate(plan.teams) if t.dept == CEO_DEPARTMENT)
    plan.teams[ceo_team].members.append(0)
    plan.people[0].team = ceo_team
    _link_managers(plan)
    return plan


# --- names, personas, newcomers ---------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _name_people(rng: random.Random, plan: Plan, cat: Catalogue) -> None:
    for person in plan.people:
        person.first = rng.choice(cat.first_names)
        person.last = rng.choice(cat.last_names)
    plan.people[0].first = rng.choice(FEMININE)


def _assign_usernames(plan: Plan) -> None:
    seen: Counter[str] = Counter()
    for person in plan.people:
        base = f"{_slug(person.first)}.{_slug(person.last)}"
        seen[base] += 1
        generated = base if seen[base] == 1 else f"{base}{seen[base]}"
        person.email = f"{generated}@{EMAIL_DOMAIN}"
        person.username = person.persona or generated


def _first(rng: random.Random, plan: Plan, taken: set[int], *filters: Any) -> int:
    """A random person meeting the first filter that anyone meets (a broader one next)."""
    for keep in filters:
        found = [i for i, p in enumerate(plan.people) if i not in taken and keep(p)]
        if found:
            return rng.choice(found)
    raise ServiceError(_("The company is too small to hold every demo persona."))


def _pick_manager(rng: random.Random, plan: Plan) -> int:
    leads = [
        t.members[0]
        for t in plan.teams
        if plan.people[t.members[0]].rank == LEAD and len(t.members) >= 6
    ]
    preferred = [i for i in leads if plan.people[i].dept in {"PROD", "LOG"}]
    if preferred or leads:
        return rng.choice(preferred or leads)
    return max(plan.teams, key=lambda t: len(t.members)).members[0]


def _pick_personas(rng: random.Random, plan: Plan) -> None:
    def member(*depts: str, population: str | None = None) -> Any:
        return lambda p: (
            p.rank == MEMBER
            and (not depts or p.dept in depts)
            and (population is None or population in p.populations)
        )

    picks = {"manager": _pick_manager(rng, plan)}
    taken = set(picks.values())
    wanted = {
        "expert": (member("MAINT"), member("PROD", "QHSE"), member()),
        "field": (member("LOG", "PROD", population="field"), member(population="field"), member()),
        "newcomer": (member("PROD", population="field"), member(population="field"), member()),
        "animator": (member("HR"), member("HR", "FIN"), member()),
        "designer": (member("HR", "QHSE"), member()),
        "admin": (member("IT"), lambda p: p.dept == "IT" and p.rank != CEO, member()),
    }
    for name, filters in wanted.items():
        picks[name] = _first(rng, plan, taken, *filters)
        taken.add(picks[name])
    for name, i in picks.items():
        plan.people[i].persona = name
    animator, designer = plan.people[picks["animator"]], plan.people[picks["designer"]]
    animator.first, animator.title = rng.choice(FEMININE), "Animatrice des apprentissages"
    designer.title = "Concepteur pédagogique"
    animator.populations = {"office"}
    designer.populations = {"office"}


def _hire(rng: random.Random, plan: Plan, today: date) -> None:
    count = max(1, round(len(plan.people) * NEWCOMER_SHARE))
    eligible = [i for i, p in enumerate(plan.people) if p.rank == MEMBER and not p.persona]
    chosen = rng.sample(eligible, min(count - 1, len(eligible)))
    chosen += [i for i, p in enumerate(plan.people) if p.persona == "newcomer"]
    for i in chosen:
        plan.people[i].newcomer = True
    for person in plan.people:
        if person.newcomer:
            days = rng.randint(1, 89)
        else:
            days = rng.randint(365 * (3 if person.rank < MEMBER else 1), 365 * 25)
        person.hired = today - timedelta(days=days)


# --- skills and wishes ------------------------------------------------------------------


class _Pool:
    """Skills drawn by popularity, without replacement for one person."""

    def __init__(self, items: list[int], weights: Sequence[float]) -> None:
        self.items = items
        self.cum = list(accumulate(weights[i] for i in items))

    def draw(self, rng: random.Random, k: int, taken: set[int]) -> list[int]:
        out: list[int] = []
        if not self.items:
            return out
        total, last = self.cum[-1], len(self.items) - 1
        for _attempt in range(k * 4):
            if len(out) >= k:
                break
            skill = self.items[min(bisect(self.cum, rng.random() * total), last)]
            if skill not in taken:
                taken.add(skill)
                out.append(skill)
        return out


@dataclass
class _Pools:
    core: dict[str, _Pool]
    transversal: dict[str, _Pool]
    management: _Pool


def _pools(rng: random.Random, cat: Catalogue, excluded: set[int]) -> _Pools:
    popularity = [min(rng.paretovariate(1.3), 25.0) for _ in cat.skills]
    usable = [i for i in range(len(cat.skills)) if i not in excluded]

    def pool(dept: str, transversal: bool) -> _Pool:
        return _Pool(
            [
                i
                for i in usable
                if dept in cat.skills[i].departments
                and (cat.skills[i].domain in TRANSVERSAL_DOMAINS) == transversal
            ],
            popularity,
        )

    codes = [d.code for d in cat.departments]
    return _Pools(
        core={c: pool(c, False) for c in codes},
        transversal={c: pool(c, True) for c in codes},
        management=_Pool([i for i in usable if cat.skills[i].domain == "management"], popularity),
    )


def _critical_skills(rng: random.Random, cat: Catalogue) -> list[int]:
    chosen = []
    for domain in CRITICAL_DOMAINS:
        candidates = [i for i, s in enumerate(cat.skills) if s.domain == domain]
        if candidates:
            chosen.append(rng.choice(candidates))
    return chosen


def _levels(rng: random.Random, person: PersonPlan, skills: list[int], core: int) -> None:
    if person.newcomer:
        person.skills = [(s, rng.choices((1, 2), (70, 30))[0], False) for s in skills]
        return
    levels = rng.choices((1, 2, 3), (30, 42, 28), k=len(skills))
    if person.persona == "expert" or rng.random() < EXPERT_SHARE:
        n4 = 4 if person.persona == "expert" else rng.choice((1, 1, 1, 2, 2, 3))
        for j in range(min(n4, max(core, 1), len(skills))):
            levels[j] = 4
    person.skills = [
        (s, level, level >= 3 and (person.persona == "expert" or rng.random() < 0.5))
        for s, level in zip(skills, levels, strict=True)
    ]


def _declare(rng: random.Random, person: PersonPlan, pools: _Pools) -> None:
    taken: set[int] = set()
    k = rng.randint(2, 5) if person.newcomer else min(12, max(3, int(rng.triangular(3, 13, 6))))
    if person.persona == "expert":
        k = max(k, 7)
    core = pools.core[person.dept].draw(rng, k - max(1, round(k / 4)), taken)
    extra = pools.transversal[person.dept].draw(rng, k - len(core), taken)
    if person.rank <= LEAD:
        extra += pools.management.draw(rng, 2, taken)
    _levels(rng, person, core + extra, len(core))
    if person.persona == "newcomer":
        wishes = 3
    elif person.newcomer:
        wishes = rng.randint(1, 3)
    else:
        wishes = rng.choices((0, 1, 2, 3), (35, 30, 20, 15))[0]
    person.wishes = pools.core[person.dept].draw(rng, wishes, taken)
    if len(person.wishes) < wishes:
        person.wishes += pools.transversal[person.dept].draw(
            rng, wishes - len(person.wishes), taken
        )


def _give_critical(rng: random.Random, plan: Plan, cat: Catalogue) -> None:
    for skill in plan.critical:
        depts = cat.skills[skill].departments & CRITICAL_DEPARTMENTS or CRITICAL_DEPARTMENTS
        holders = [
            i
            for i, p in enumerate(plan.people)
            if p.dept in depts and not p.newcomer and p.rank >= LEAD
        ]
        holder = plan.people[rng.choice(holders or list(range(1, len(plan.people))))]
        holder.skills.append((skill, rng.choice((3, 4)), rng.random() < 0.5))


def plan_skills(rng: random.Random, plan: Plan, cat: Catalogue, tick: _Phase) -> None:
    plan.critical = _critical_skills(rng, cat)
    pools = plan.pools = _pools(rng, cat, set(plan.critical))
    for n, person in enumerate(plan.people, 1):
        _declare(rng, person, pools)
        if n % BATCH == 0:
            tick.advance(BATCH)
    _give_critical(rng, plan, cat)
    for person in plan.people:
        if any(level == 4 for _s, level, _share in person.skills):
            person.populations.add("experts")
    tick.done()


# --- progress ---------------------------------------------------------------------------


class _Phase:
    """One progress bar per phase; silent without a ``Progress``."""

    def __init__(self, progress: Progress | None, description: str, total: int) -> None:
        self.progress = progress
        self.task: TaskID | None = None
        if progress is not None:
            self.task = progress.add_task(description, total=total)

    def advance(self, n: int) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.advance(self.task, n)

    def done(self) -> None:
        if self.progress is not None and self.task is not None:
            total = self.progress.tasks[self.task].total
            self.progress.update(self.task, completed=total)
