"""The demo company, Boréal Emballages: a deterministic, believable organisation.

:func:`generate_company` plans the whole company in memory from one ``random.Random(seed)``
(the same people count and seed always give the same names, teams, skills and events), then
writes it in one transaction with bulk inserts (``executemany``, no per-row query). Learning
events are built by :func:`sylva.people.services.build_event`, day by day, each day from its
own seed, so that forked workers can build them in parallel for large companies: 100,000
people and 2 million events take a few minutes on SQLite. :func:`reset_company` removes the
company again; :func:`demo_accounts` lists the persona accounts that ``sylva seed`` and
``sylva demo`` print.
"""

from __future__ import annotations

import csv
import gc
import multiprocessing
import os
import random
import re
import time
import uuid
from bisect import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache, partial
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rich.progress import Progress, TaskID

from sylva.core.errors import ServiceError
from sylva.people import verbs
from sylva.people.models import (
    Department,
    LearningEvent,
    LearningWish,
    Person,
    PersonSkill,
    Population,
    Site,
    Skill,
    SkillDomain,
    Team,
)
from sylva.people.roles import Role, role_groups
from sylva.people.services import build_event
from sylva.people.text import fold

DATA = Path(__file__).resolve().parent / "data"
EMAIL_DOMAIN = "boreal-emballages.fr"
DEMO_PASSWORD = "sylva-demo"
MIN_PEOPLE = 20
BATCH = 4000

TEAM_SIZE = 10  # the average team; sizes vary by ±25 %
MIN_SITE_PEOPLE = 6  # below this, a department's share of a site joins its main site
MIN_DEPARTMENT = 2
NEWCOMER_SHARE = 0.05
EXPERT_SHARE = 0.08
WINDOW_DAYS = 180
PARALLEL_EVENTS = 100_000  # from this many events, draw them in parallel

CEO, HEAD, LEAD, MEMBER = range(4)  # ranks, top down: managers are created before reports

SITES = (
    ("lyon", "Lyon — siège et usine", "Lyon"),
    ("nantes", "Nantes — usine", "Nantes"),
    ("lille", "Lille — plateforme logistique", "Lille"),
)
CITY = {code: city for code, _name, city in SITES}
_FACTORY = {"lyon": 55, "nantes": 45}
SITE_WEIGHTS: dict[str, dict[str, int]] = {
    "PROD": _FACTORY,
    "MAINT": _FACTORY,
    "QHSE": _FACTORY,
    "LOG": {"lille": 70, "lyon": 15, "nantes": 15},
    "SALES": {"lyon": 40, "nantes": 30, "lille": 30},
    "CS": {"lyon": 60, "lille": 40},
}
OFFICE_SITES = {"lyon": 80, "nantes": 10, "lille": 10}  # HR, IT, FIN, RND
CEO_DEPARTMENT = "FIN"

POPULATIONS = (
    ("field", "Terrain", "Field staff"),
    ("sales", "Commerciaux itinérants", "Travelling salespeople"),
    ("office", "Bureaux", "Office staff"),
    ("management", "Encadrement", "Management"),
    ("experts", "Experts", "Experts"),
)
TRANSVERSAL_DOMAINS = frozenset({"transversal", "management"})
CRITICAL_DOMAINS = ("production", "maintenance", "automation", "quality", "safety", "it")
CRITICAL_DEPARTMENTS = frozenset({"PROD", "MAINT", "QHSE", "IT"})
FEMININE = ("Claire", "Hélène", "Sophie", "Nathalie", "Isabelle", "Camille", "Anne")

T = TypeVar("T")


@dataclass(frozen=True)
class Persona:
    username: str
    label_en: str
    label_fr: str
    roles: tuple[Role, ...]


PERSONAS = (
    Persona("newcomer", "Newcomer", "Nouvel arrivant", (Role.LEARNER,)),
    Persona("expert", "Expert", "Expert", (Role.LEARNER,)),
    Persona("field", "Field worker", "Opérateur de terrain", (Role.LEARNER,)),
    Persona("manager", "Team manager", "Manager d'équipe", (Role.LEARNER, Role.MANAGER)),
    Persona(
        "animator",
        "Learning animator",
        "Animatrice des apprentissages",
        (Role.LEARNER, Role.ANIMATOR),
    ),
    Persona(
        "designer", "Learning designer", "Concepteur pédagogique", (Role.LEARNER, Role.DESIGNER)
    ),
    Persona("admin", "Administrator", "Administrateur", (Role.LEARNER, Role.ADMINISTRATOR)),
)


@dataclass(frozen=True)
class SeedSummary:
    departments: int
    teams: int
    sites: int
    people: int
    newcomers: int
    skills: int
    domains: int
    skill_declarations: int
    learning_wishes: int
    learning_events: int
    seconds: float

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("departments", f"{self.departments:,}"),
            ("teams", f"{self.teams:,}"),
            ("sites", f"{self.sites:,}"),
            ("people", f"{self.people:,}"),
            ("newcomers", f"{self.newcomers:,}"),
            ("skills", f"{self.skills:,}"),
            ("domains", f"{self.domains:,}"),
            ("skill declarations", f"{self.skill_declarations:,}"),
            ("learning wishes", f"{self.learning_wishes:,}"),
            ("learning events", f"{self.learning_events:,}"),
            ("elapsed seconds", f"{self.seconds:.1f}"),
        ]


# --- the catalogue (data/*.csv) --------------------------------------------------------


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name_fr: str
    name_en: str
    weight: int
    stems: tuple[str, ...]


@dataclass(frozen=True)
class JobSpec:
    title_fr: str
    population: str
    weight: int


@dataclass(frozen=True)
class SkillSpec:
    code: str
    name_fr: str
    name_en: str
    domain: str
    departments: frozenset[str]


@dataclass(frozen=True)
class Catalogue:
    departments: tuple[DepartmentSpec, ...]
    jobs: dict[str, tuple[JobSpec, ...]]  # the last job of a department is its head's
    domains: dict[str, tuple[str, str]]
    skills: tuple[SkillSpec, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def load_catalogue() -> Catalogue:
    departments = tuple(
        DepartmentSpec(
            r["code"], r["name_fr"], r["name_en"], int(r["weight"]), tuple(r["teams_fr"].split(";"))
        )
        for r in _csv("departments.csv")
    )
    jobs: dict[str, list[JobSpec]] = defaultdict(list)
    for r in _csv("jobs.csv"):
        jobs[r["department_code"]].append(JobSpec(r["title_fr"], r["population"], int(r["weight"])))
    domains: dict[str, tuple[str, str]] = {}
    skills = []
    for r in _csv("taxonomy.csv"):
        domains.setdefault(r["domain_code"], (r["domain_fr"], r["domain_en"]))
        skills.append(
            SkillSpec(
                r["skill_code"],
                r["skill_fr"],
                r["skill_en"],
                r["domain_code"],
                frozenset(r["departments"].split(";")),
            )
        )
    names = _csv("names.csv")
    return Catalogue(
        departments=departments,
        jobs={code: tuple(js) for code, js in jobs.items()},
        domains=domains,
        skills=tuple(skills),
        first_names=tuple(r["value"] for r in names if r["kind"] == "first"),
        last_names=tuple(r["value"] for r in names if r["kind"] == "last"),
    )


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


# --- writing ----------------------------------------------------------------------------


def _chunks(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class Written:
    sites: dict[str, Site]
    departments: dict[str, Department]
    populations: dict[str, Population]
    domains: dict[str, SkillDomain]
    skills: list[Skill]
    teams: list[Team] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)


def _write_reference(cat: Catalogue) -> Written:
    sites = Site.objects.bulk_create([Site(code=c, name=n, city=city) for c, n, city in SITES])
    departments = Department.objects.bulk_create(
        [Department(code=d.code, name_fr=d.name_fr, name_en=d.name_en) for d in cat.departments]
    )
    populations = Population.objects.bulk_create(
        [Population(code=c, name_fr=fr, name_en=en) for c, fr, en in POPULATIONS]
    )
    domains = {
        d.code: d
        for d in SkillDomain.objects.bulk_create(
            [SkillDomain(code=c, name_fr=fr, name_en=en) for c, (fr, en) in cat.domains.items()]
        )
    }
    skills = Skill.objects.bulk_create(
        [
            Skill(code=s.code, name_fr=s.name_fr, name_en=s.name_en, domain=domains[s.domain])
            for s in cat.skills
        ],
        batch_size=BATCH,
    )
    return Written(
        sites={s.code: s for s in sites},
        departments={d.code: d for d in departments},
        populations={p.code: p for p in populations},
        domains=domains,
        skills=skills,
    )


def _write_teams(plan: Plan, w: Written) -> None:
    w.teams = Team.objects.bulk_create(
        [
            Team(name=t.name, department=w.departments[t.dept], site=w.sites[t.site])
            for t in plan.teams
        ],
        batch_size=BATCH,
    )


def _insert_new(model: type[models.Model], objs: Sequence[models.Model], key: str) -> None:
    """Insert rows, then give each object its new primary key, found by a unique ``key``."""
    _insert(model, objs)
    ids: dict[Any, int] = {}
    for chunk in _chunks([getattr(obj, key) for obj in objs], 900):
        rows = model._default_manager.filter(**{f"{key}__in": chunk}).values_list(key, "pk")
        ids.update(rows)
    for obj in objs:
        obj.pk = ids[getattr(obj, key)]


def _write_people(plan: Plan, w: Written, tick: _Phase) -> None:
    user_model = get_user_model()
    password = make_password(DEMO_PASSWORD)  # once: hashing is slow on purpose
    users = [
        user_model(
            username=p.username,
            email=p.email,
            first_name=p.first,
            last_name=p.last,
            password=password,
            is_staff=p.persona == "admin",
            date_joined=timezone.make_aware(datetime.combine(p.hired, datetime.min.time())),
        )
        for p in plan.people
    ]
    _insert_new(user_model, users, "username")
    tick.advance(len(users) // 2)
    people: dict[int, Person] = {}
    for rank in (CEO, HEAD, LEAD, MEMBER):  # managers first, so reports can point at them
        created = [
            (
                i,
                Person(
                    user_id=users[i].pk,
                    first_name=p.first,
                    last_name=p.last,
                    job_title=p.title,
                    team_id=w.teams[p.team].pk,
                    site_id=w.teams[p.team].site_id,
                    manager_id=people[p.manager].pk if p.manager is not None else None,
                    hire_date=p.hired,
                    language="",
                    search_name=fold(f"{p.first} {p.last}"),
                ),
            )
            for i, p in enumerate(plan.people)
            if p.rank == rank
        ]
        _insert_new(Person, [obj for _i, obj in created], "user_id")
        people.update(created)
    w.people = [people[i] for i in range(len(plan.people))]
    for team, t in zip(w.teams, plan.teams, strict=True):
        team.manager_id = w.people[t.members[0]].pk
    _update_column(
        Team,
        "manager",
        [(w.people[t.members[0]].pk, team.pk) for team, t in zip(w.teams, plan.teams, strict=True)],
    )
    for code, i in plan.heads.items():
        w.departments[code].head = w.people[i]
    Department.objects.bulk_update(list(w.departments.values()), ["head"])
    _write_memberships(plan, w, users)
    tick.done()


def _write_memberships(plan: Plan, w: Written, users: Sequence[Any]) -> None:
    _insert_dicts(
        Person.populations.through,
        [
            {"person_id": w.people[i].pk, "population_id": w.populations[code].pk}
            for i, p in enumerate(plan.people)
            for code in sorted(p.populations)
        ],
    )
    groups = role_groups()
    by_persona = {persona.username: persona.roles for persona in PERSONAS}
    rows = []
    for i, p in enumerate(plan.people):
        roles = set(by_persona.get(p.persona, (Role.LEARNER,)))
        if p.rank <= LEAD:
            roles.add(Role.MANAGER)
        rows += [{"user_id": users[i].pk, "group_id": groups[r].pk} for r in sorted(roles)]
    _insert_dicts(get_user_model().groups.through, rows)


def _moment(rng: random.Random, end: datetime, hired: date, today: date) -> datetime:
    """A moment since the hire date, within the last two years."""
    days = max(1, min((today - hired).days, 720))
    return end - timedelta(seconds=rng.randrange(days * 86400))


def _write_skills(
    rng: random.Random, plan: Plan, w: Written, end: datetime, tick: _Phase
) -> tuple[int, int]:
    today = timezone.localdate()
    declared = wished = 0
    person_ids, skill_ids = [p.pk for p in w.people], [s.pk for s in w.skills]
    for chunk in _chunks(range(len(plan.people)), BATCH // 4):
        held = [
            {
                "person_id": person_ids[i],
                "skill_id": skill_ids[s],
                "level": level,
                "willing_to_share": share,
                "updated_at": _moment(rng, end, plan.people[i].hired, today),
            }
            for i in chunk
            for s, level, share in plan.people[i].skills
        ]
        wishes = [
            {
                "person_id": person_ids[i],
                "skill_id": skill_ids[s],
                "created_at": _moment(rng, end, plan.people[i].hired, today),
            }
            for i in chunk
            for s in plan.people[i].wishes
        ]
        _insert_dicts(PersonSkill, held)
        _insert_dicts(LearningWish, wishes)
        declared += len(held)
        wished += len(wishes)
        tick.advance(len(chunk))
    tick.done()
    return declared, wished


# --- the history of learning events ------------------------------------------------------

A = verbs.SYLVA_ACTIVITIES
FORMS = ("exchange", "microlearning", "community", "field", "course")
FORM_WEIGHTS = (0.075, 0.42, 0.20, 0.14, 0.10)  # an exchange writes two events
WEEKEND = 0.15  # a weekend day sees this share of a weekday's events
Result = dict[str, Any] | None


def _uuid7(when: float, rand: int) -> uuid.UUID:
    """A time-ordered UUID (version 7): rows arrive in index order, which SQLite likes."""
    value = (int(when * 1000) << 80) | (rand & ((1 << 80) - 1))
    value = (value & ~(0xF << 76)) | (0x7 << 76)
    return uuid.UUID(int=(value & ~(0x3 << 62)) | (0x2 << 62))


class _History:
    """Draws learning events day by day: who is active, who teaches what to whom, when."""

    def __init__(
        self, rng: random.Random, plan: Plan, w: Written, cat: Catalogue, total: int, today: date
    ) -> None:
        assert plan.pools is not None, "plan the skills first"
        self.rng, self.plan, self.w, self.cat, self.pools = rng, plan, w, cat, plan.pools
        self.activity = list(
            accumulate(
                0.03 if rng.random() < 0.08 else rng.lognormvariate(0, 0.9) for _ in plan.people
            )
        )
        self.teachable = [
            (i, s) for i, p in enumerate(plan.people) for s, level, _share in p.skills if level >= 3
        ]
        self.teach_cum = list(
            accumulate(
                3.0 if share else 1.0
                for p in plan.people
                for _s, level, share in p.skills
                if level >= 3
            )
        )
        self.by_dept: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(plan.people):
            self.by_dept[p.dept].append(i)
        # Each day draws from its own seed, so days can be drawn in any order, in parallel.
        self.days = [today - timedelta(days=n) for n in range(WINDOW_DAYS, 0, -1)]
        self.seeds = [rng.getrandbits(64) for _ in self.days]
        self.counts = _split(total, [WEEKEND if d.weekday() >= 5 else 1.0 for d in self.days])
        self.questions: list[tuple[str, int, int, float]] = []
        self.prefix, self.serial = "", 0

    # drawing

    def _pick(self, cum: list[float]) -> int:
        return min(bisect(cum, self.rng.random() * cum[-1]), len(cum) - 1)

    def _skill(self, i: int) -> int:
        person, r = self.plan.people[i], self.rng.random()
        if person.skills and r < 0.45:
            return self.rng.choice(person.skills)[0]
        if person.wishes and r < 0.65:
            return self.rng.choice(person.wishes)
        drawn = self.pools.core[person.dept].draw(self.rng, 1, set())
        return drawn[0] if drawn else self.rng.randrange(len(self.w.skills))

    def _name(self, skill: int) -> str:
        return self.cat.skills[skill].name_fr

    def _next(self) -> str:
        self.serial += 1
        return f"{self.prefix}-{self.serial}"

    def _event(
        self,
        i: int,
        verb: str,
        object_id: str,
        name: str,
        when: float,
        skill: int | None = None,
        result: Result = None,
        other: int | None = None,
    ) -> LearningEvent:
        event = build_event(
            actor=self.w.people[i],
            verb=verb,
            object_id=object_id,
            object_name=name,
            skill=self.w.skills[skill] if skill is not None else None,
            result=result,
            other=self.w.people[other] if other is not None else None,
            timestamp=datetime.fromtimestamp(when, UTC),
            team=self.w.teams[self.plan.people[i].team],
        )
        event.id = _uuid7(when, self.rng.getrandbits(80))
        event.statement["id"] = str(event.id)
        event.stored = event.timestamp
        return event

    # the forms of learning; each returns the events of one learning moment

    def exchange(self, when: float) -> list[LearningEvent]:
        if not self.teach_cum:
            return self.microlearning(when)
        teacher, skill = self.teachable[self._pick(self.teach_cum)]
        colleagues = self.by_dept[self.plan.people[teacher].dept]
        for _attempt in range(10):
            same = self.rng.random() < 0.7
            learner = self.rng.choice(colleagues) if same else self._pick(self.activity)
            if learner != teacher:
                iri, name = f"{A}skill/{self.cat.skills[skill].code}", self._name(skill)
                return [
                    self._event(teacher, "taught", iri, name, when, skill, other=learner),
                    self._event(learner, "learned-from", iri, name, when, skill, other=teacher),
                ]
        return self.microlearning(when)

    def microlearning(self, when: float) -> list[LearningEvent]:
        rng, i = self.rng, self._pick(self.activity)
        skill = self._skill(i)
        module, name = skill + 1, self._name(skill)
        if rng.random() < 0.8:
            card = rng.randint(1, 8)
            result = {"success": rng.random() < 0.78, "duration": f"PT{rng.randint(6, 75)}S"}
            iri = f"{A}module/{module}/card/{card}"
            return [
                self._event(i, "answered", iri, f"Question {card} — {name}", when, skill, result)
            ]
        result = {"completion": True, "duration": f"PT{rng.randint(2, 6)}M"}
        return [
            self._event(
                i, "completed", f"{A}module/{module}", f"Module : {name}", when, skill, result
            )
        ]

    def community(self, when: float) -> list[LearningEvent]:
        rng, i = self.rng, self._pick(self.activity)
        r = rng.random()
        if r < 0.35 and self.questions:
            question, skill, asker, asked = rng.choice(self.questions[-500:])
            if asker != i:
                when = max(when, asked + rng.randint(600, 7200))
                return [
                    self._event(
                        i,
                        "responded",
                        f"{A}question/{question}",
                        f"Question : {self._name(skill)}",
                        when,
                        skill,
                        other=asker,
                    )
                ]
        skill = self._skill(i)
        if r < 0.6:
            question = self._next()
            self.questions.append((question, skill, i, when))
            return [
                self._event(
                    i,
                    "asked",
                    f"{A}question/{question}",
                    f"Question : {self._name(skill)}",
                    when,
                    skill,
                )
            ]
        if r < 0.8:
            return [
                self._event(
                    i,
                    "shared",
                    f"{A}experience/{self._next()}",
                    f"Retour d'expérience : {self._name(skill)}",
                    when,
                    skill,
                )
            ]
        domain, session = self.cat.skills[skill].domain, rng.randint(1, 24)
        name = f"Cercle d'apprentissage « {self.cat.domains[domain][0]} » — séance {session}"
        return [
            self._event(
                i,
                "attended",
                f"{A}circle/{domain}/session/{session}",
                name,
                when,
                result={"duration": "PT1H"},
            )
        ]

    def field(self, when: float) -> list[LearningEvent]:
        i = self._pick(self.activity)
        situation, skill = f"{A}field-situation/{self._next()}", self._skill(i)
        manager = self.plan.people[i].manager
        if manager is not None and self.rng.random() < 0.5:
            name = f"Retour sur une situation de travail : {self._name(skill)}"
            return [self._event(manager, "gave-feedback", situation, name, when, skill, other=i)]
        name = f"Mise en pratique : {self._name(skill)}"
        return [self._event(i, "practised", situation, name, when, skill)]

    def course(self, when: float) -> list[LearningEvent]:
        rng, i = self.rng, self._pick(self.activity)
        skill = self._skill(i)
        iri, name = f"{A}course/{self.cat.skills[skill].code}", f"Formation : {self._name(skill)}"
        if rng.random() < 0.5:
            result = {"completion": True, "duration": "PT3H"}
            return [self._event(i, "course-completed", iri, name, when, skill, result)]
        result = {"duration": rng.choice(("PT2H", "PT3H", "PT7H"))}
        return [self._event(i, "course-attended", iri, name, when, skill, result)]

    def day(self, n: int) -> list[LearningEvent]:
        """The events of the ``n``-th day of the window, in time order, in working hours."""
        self.rng = random.Random(self.seeds[n])
        self.questions, self.prefix, self.serial = [], self.days[n].strftime("%Y%m%d"), 0
        start = timezone.make_aware(datetime.combine(self.days[n], datetime.min.time()))
        makers = [getattr(self, form) for form in FORMS]
        forms = list(accumulate(FORM_WEIGHTS))
        events: list[LearningEvent] = []
        while len(events) < self.counts[n]:
            when = start.timestamp() + self.rng.randrange(7 * 3600, 19 * 3600)
            events += makers[self._pick(forms)](when)
        events.sort(key=lambda e: e.timestamp)
        return events

    def rows(self, n: int) -> list[list[Any]]:
        return _rows(LearningEvent, (event.__dict__ for event in self.day(n)))


def _converter(field: Any, connection: Any) -> Callable[[Any], Any] | None:
    """How a value of ``field`` goes to the database (``None``: as it is). The backend's own
    adapters, without the per-value checks of ``get_db_prep_save``."""
    ops = connection.ops
    plain = (
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.BooleanField,
        models.ForeignKey,
    )
    if isinstance(field, plain):
        return None
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "sqlite":  # what its adapter does, without the checks
            tz = connection.timezone
            return lambda v: (
                v and str((v if v.tzinfo is tz else v.astimezone(tz)).replace(tzinfo=None))
            )
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.UUIDField):
        return None if connection.features.has_native_uuid_field else (lambda v: v and v.hex)
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda v: None if v is None else ops.adapt_json_value(v, encoder)
    return partial(field.get_db_prep_save, connection=connection)


def _columns(model: type[models.Model]) -> list[Any]:
    return [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type().endswith("AutoField"))
    ]


def _rows(model: type[models.Model], values: Iterable[Mapping[str, Any]]) -> list[list[Any]]:
    """Database-ready rows from column values keyed by attribute name (``person_id``…)."""
    connection = connections[router.db_for_write(model)]
    fields = _columns(model)
    get = itemgetter(*(f.attname for f in fields))
    converters = [(i, c) for i, f in enumerate(fields) if (c := _converter(f, connection))]
    rows = []
    for mapping in values:
        row = list(get(mapping))
        for i, convert in converters:
            row[i] = convert(row[i])
        rows.append(row)
    return rows


def _insert_rows(model: type[models.Model], rows: list[list[Any]]) -> None:
    connection = connections[router.db_for_write(model)]
    qn, fields = connection.ops.quote_name, _columns(model)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table),
        ", ".join(qn(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _update_column(model: type[models.Model], name: str, values: list[tuple[Any, Any]]) -> None:
    """UPDATE one foreign-key column row by row: ``values`` are (new value, primary key)."""
    connection = connections[router.db_for_write(model)]
    qn, meta = connection.ops.quote_name, model._meta
    field: Any = meta.get_field(name)
    pk: Any = meta.pk
    sql = f"UPDATE {qn(meta.db_table)} SET {qn(field.column)} = %s WHERE {qn(pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def _insert_dicts(model: type[models.Model], values: Sequence[Mapping[str, Any]]) -> None:
    """INSERT rows with one ``executemany``: what ``bulk_create`` does, without building model
    instances or compiling SQL for every few dozen rows (SQLite's limit of 999 parameters)."""
    _insert_rows(model, _rows(model, values))


def _insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    _insert_rows(model, _rows(model, (obj.__dict__ for obj in objs)))


_worker_history: _History | None = None


def _adopt(history: _History) -> None:
    global _worker_history
    _worker_history = history


def _day_rows(n: int) -> list[list[Any]]:
    assert _worker_history is not None
    return _worker_history.rows(n)


def _workers(total: int) -> int:
    """Processes drawing events: building them is the slow part, writing them is not. Forked
    workers only on SQLite (its rows are plain values) and for large histories."""
    vendor = connections[router.db_for_write(LearningEvent)].vendor
    fork = "fork" in multiprocessing.get_all_start_methods()
    if vendor != "sqlite" or not fork or total < PARALLEL_EVENTS:
        return 0
    return min(os.cpu_count() or 1, 4)


def _write_events(history: _History, tick: _Phase, workers: int) -> int:
    written = 0
    days = range(len(history.days))
    if workers:
        with multiprocessing.get_context("fork").Pool(workers, _adopt, (history,)) as pool:
            for rows in pool.imap(_day_rows, days):
                _insert_rows(LearningEvent, rows)
                written += len(rows)
                tick.advance(len(rows))
    else:
        for n in days:
            rows = history.rows(n)
            _insert_rows(LearningEvent, rows)
            written += len(rows)
            tick.advance(len(rows))
    tick.done()
    return written


# --- the entry points -------------------------------------------------------------------


def _refuse_if_populated() -> None:
    people = Person.objects.count()
    if people:
        raise ServiceError(
            _(
                "The database already has %(count)d people; reset it first "
                "(sylva seed --reset) to replace them with the demo company."
            )
            % {"count": people},
            field="people",
            status=409,
        )
    org: list[type[models.Model]] = [Department, Site, Team, Skill, SkillDomain, Population]
    if any(model._default_manager.exists() for model in org):
        raise ServiceError(
            _(
                "The database already has an organisation (departments, sites or skills); "
                "reset it first (sylva seed --reset)."
            ),
            field="people",
            status=409,
        )


@contextmanager
def _sqlite_bulk_load(progress: Progress | None, *bulk: type[models.Model]) -> Iterator[None]:
    """On SQLite, a 1 GiB page cache, and the ``bulk`` tables' secondary indexes dropped and
    built again at the end from their own SQL: for inserting or deleting millions of rows,
    sorting once is far faster than updating a dozen indexes row by row. All inside the
    caller's transaction, so the schema is never seen without them."""
    connection = connections[router.db_for_write(LearningEvent)]
    if connection.vendor != "sqlite":
        yield
        return
    tables = [model._meta.db_table for model in bulk]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = -1048576")
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN ({})".format(
                ", ".join(["%s"] * len(tables))
            ),
            tables,
        )
        indexes = cursor.fetchall()
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
        tick = _Phase(progress, "Building indexes", len(indexes))
        with connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)
                tick.advance(1)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """The company is millions of acyclic objects that reference counting frees: the cyclic
    collector would only rescan them, again and again (and, frozen, forked workers share
    them without copying)."""
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _window_end(today: date) -> datetime:
    """Midnight at the start of today: events stay in the past and do not depend on the hour."""
    return timezone.make_aware(datetime.combine(today, datetime.min.time())).astimezone(UTC)


def _plan(
    rng: random.Random, people: int, cat: Catalogue, today: date, progress: Progress | None
) -> Plan:
    tick = _Phase(progress, "Planning the organisation", 1)
    plan = plan_organisation(rng, people, cat)
    _name_people(rng, plan, cat)
    _pick_personas(rng, plan)
    _hire(rng, plan, today)
    _assign_usernames(plan)
    tick.done()
    plan_skills(rng, plan, cat, _Phase(progress, "Planning skills", len(plan.people)))
    return plan


@transaction.atomic
def generate_company(
    *,
    people: int,
    seed: int,
    events_per_person: int = 20,
    progress: Progress | None = None,
    workers: int | None = None,
) -> SeedSummary:
    """Create Boréal Emballages: ``people`` people, their organisation, skills and history.

    ``workers`` forked processes draw the learning events (default: one per CPU for a large
    history on SQLite); the company is the same whatever their number.
    """
    if people < MIN_PEOPLE:
        raise ServiceError(
            _("A demo company needs at least %(min)d people.") % {"min": MIN_PEOPLE}, field="people"
        )
    if events_per_person < 0:
        raise ServiceError(
            _("The number of events per person cannot be negative."), field="events_per_person"
        )
    _refuse_if_populated()
    started = time.perf_counter()
    rng, cat, today = random.Random(seed), load_catalogue(), timezone.localdate()
    with _cyclic_gc_paused(), _sqlite_bulk_load(progress, LearningEvent, PersonSkill, LearningWish):
        plan = _plan(rng, people, cat, today, progress)
        written = _write_reference(cat)
        _write_teams(plan, written)
        _write_people(plan, written, _Phase(progress, "Writing people", people))
        declared, wished = _write_skills(
            rng, plan, written, _window_end(today), _Phase(progress, "Writing skills", people)
        )
        total = people * events_per_person
        history = _History(rng, plan, written, cat, total, today)
        tick = _Phase(progress, "Writing learning events", total)
        events = _write_events(history, tick, _workers(total) if workers is None else workers)
    return SeedSummary(
        departments=len(written.departments),
        teams=len(written.teams),
        sites=len(written.sites),
        people=len(written.people),
        newcomers=sum(p.newcomer for p in plan.people),
        skills=len(written.skills),
        domains=len(written.domains),
        skill_declarations=declared,
        learning_wishes=wished,
        learning_events=events,
        seconds=time.perf_counter() - started,
    )


@transaction.atomic
def reset_company() -> None:
    """Delete the organisation: people and their accounts, teams, departments, sites, skills,
    domains, populations and the learning events. Accounts without a person are kept."""
    bulk: list[type[models.Model]] = [LearningEvent, PersonSkill, LearningWish]
    with _cyclic_gc_paused(), _sqlite_bulk_load(None, *bulk):
        for model in [*bulk, Person.populations.through]:
            model._default_manager.all().delete()
        Team.objects.update(manager=None)
        Department.objects.update(head=None)
        Person.objects.update(manager=None)
        get_user_model().objects.filter(person__isnull=False).delete()  # and their people
        org: list[type[models.Model]] = [Team, Department, Site, Skill, SkillDomain, Population]
        for model in org:
            model._default_manager.all().delete()


def demo_accounts() -> list[dict[str, str]]:
    """The persona accounts of the demo company, in a fixed order (those that exist)."""
    found = {
        p.user.username: p
        for p in Person.objects.select_related("user", "team").filter(
            user__username__in=[persona.username for persona in PERSONAS]
        )
    }
    accounts = []
    for persona in PERSONAS:
        person = found.get(persona.username)
        if person is None:
            continue
        accounts.append(
            {
                "username": persona.username,
                "password": DEMO_PASSWORD,
                "persona_en": persona.label_en,
                "persona_fr": persona.label_fr,
                "full_name": person.full_name,
                "team": person.team.name if person.team else "",
            }
        )
    return accounts
