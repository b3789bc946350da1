"""The demo company's catalogue: its sites, departments, jobs, skills and personas (data/*.csv)."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

from sylva.people.roles import Role

DATA = Path(__file__).resolve().parents[1] / "data"
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
