"""The organisation's findings of a snapshot, typed: what ``Snapshot.data`` stores as JSON.

:meth:`Findings.from_json` is the one place that reads the stored JSON (a key missing from
an older snapshot gets its default here, and nowhere else); :meth:`Findings.to_json` is what
is stored. Everything else reads the findings by attribute (``snapshot.findings.brokers``).
People, teams, skills… are named by primary key; whether a name may be shown is decided
when a page is rendered (:mod:`sylva.insights.present`).

The figures of each scope (``ScopeFigure.data``) are :class:`Figures`, read the same way
(``ScopeFigure.figures``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


# Every field but those that say what a row is about has a default: a row stored by an older
# Sylva, or written by hand, loads with what it has.


@dataclass(frozen=True)
class LeidenRow:
    """Communities found at one resolution, and how closely they copy each level (AMI)."""

    resolution: float
    communities: int = 0
    department: float = 0.0
    team: float = 0.0
    site: float = 0.0


@dataclass(frozen=True)
class SiloDepartment:
    department: int
    outside_share: float = 0.0
    median_others: float | None = None
    community_purity: float = 0.0
    silo: bool = False


@dataclass(frozen=True)
class Silos:
    tied_people: int = 0
    leiden: tuple[LeidenRow, ...] = ()
    ami_department: float | None = None  # None: too few tied people to say
    warning: bool = False
    departments: tuple[SiloDepartment, ...] = ()
    silo_departments: tuple[int, ...] = ()


@dataclass(frozen=True)
class HiddenExpert:
    person: int
    skill: int
    helped: int = 0
    moments: int = 0


@dataclass(frozen=True)
class TeamIntroduction:
    team_a: int
    team_b: int
    score: float = 0.0
    complementarity: float = 0.0
    adamic_adar: float = 0.0
    a_to_b: tuple[int, ...] = ()  # skills team a can teach team b
    b_to_a: tuple[int, ...] = ()


@dataclass(frozen=True)
class PersonIntroduction:
    person_a: int  # holds the skill
    person_b: int  # wishes to learn it
    skill: int
    adamic_adar: float = 0.0
    mutual: bool = False


@dataclass(frozen=True)
class Broker:
    person: int
    constraint: float = 0.0
    ties: int = 0
    departments: int = 0


@dataclass(frozen=True)
class Structure:
    kind: str  # "circle" and "module" name a skill, "community" a domain
    people: int = 0
    teams: int = 0
    skill: int | None = None
    domain: int | None = None
    moments: int | None = None


@dataclass(frozen=True)
class SingleHolder:
    skill: int
    person: int


@dataclass(frozen=True)
class DomainRedundancy:
    domain: int
    skills: int = 0
    truck_factor: int = 0
    single_holder: int = 0
    no_holder: int = 0


@dataclass(frozen=True)
class SkillReach:
    skill: int
    teams: int = 0
    people: int = 0


@dataclass(frozen=True)
class MapNode:
    team: int
    x: float = 0.0
    y: float = 0.0
    department: int | None = None
    people: int = 0
    inner: int = 0


@dataclass(frozen=True)
class NetworkMap:
    nodes: tuple[MapNode, ...] = ()
    edges: tuple[tuple[int, int, int], ...] = ()  # (node, node, moments)


@dataclass(frozen=True)
class HeatMap:
    skills: tuple[int, ...] = ()
    teams: tuple[int, ...] = ()
    cells: tuple[tuple[int, ...], ...] = ()  # one row per skill, one column per team


@dataclass(frozen=True)
class KnowledgeCell:
    skill: int
    site: int
    holders: int  # people holding the skill at level >= 3 on the site


@dataclass(frozen=True)
class Findings:
    silos: Silos = field(default_factory=Silos)
    hidden_experts: tuple[HiddenExpert, ...] = ()
    team_introductions: tuple[TeamIntroduction, ...] = ()
    person_introductions: tuple[PersonIntroduction, ...] = ()
    brokers: tuple[Broker, ...] = ()
    structures: tuple[Structure, ...] = ()
    single_holder: tuple[SingleHolder, ...] = ()
    holders: Mapping[int, int] = field(default_factory=dict)  # skill -> holders at level >= 3
    domains: tuple[DomainRedundancy, ...] = ()
    skill_reach: tuple[SkillReach, ...] = ()
    network_map: NetworkMap = field(default_factory=NetworkMap)
    heat_map: Mapping[str, HeatMap] = field(default_factory=dict)  # "org" or a department's pk
    knowledge_map: tuple[KnowledgeCell, ...] = ()
    thanks: Mapping[int, int] = field(default_factory=dict)  # team -> thanks received

    def heat(self, key: str) -> HeatMap | None:
        return self.heat_map.get(key)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Findings:
        """The findings stored in ``data`` (``Snapshot.data``); what an older snapshot lacks
        takes its default. Other keys (the figures of a scope, if any) are ignored."""
        silos = data.get("silos") or {}
        nmap = data.get("network_map") or {}
        return cls(
            silos=_row(
                Silos,
                {
                    **silos,
                    "leiden": _rows(LeidenRow, silos.get("leiden")),
                    "departments": _rows(SiloDepartment, silos.get("departments")),
                },
            ),
            hidden_experts=_rows(HiddenExpert, data.get("hidden_experts")),
            team_introductions=_rows(TeamIntroduction, data.get("team_introductions")),
            person_introductions=_rows(PersonIntroduction, data.get("person_introductions")),
            brokers=_rows(Broker, data.get("brokers")),
            structures=_rows(Structure, data.get("structures")),
            single_holder=_rows(SingleHolder, data.get("single_holder")),
            holders=_by_int(data.get("holders")),
            domains=_rows(DomainRedundancy, data.get("domains")),
            skill_reach=_rows(SkillReach, data.get("skill_reach")),
            network_map=NetworkMap(
                nodes=_rows(MapNode, nmap.get("nodes")),
                edges=tuple(_frozen(e) for e in nmap.get("edges") or ()),
            ),
            heat_map={str(k): _row(HeatMap, m) for k, m in (data.get("heat_map") or {}).items()},
            knowledge_map=tuple(KnowledgeCell(*c) for c in data.get("knowledge_map") or ()),
            thanks=_by_int(data.get("thanks")),
        )

    def to_json(self) -> dict[str, Any]:
        """What is stored: plain JSON, keys of mappings as strings, ``None`` of an optional
        field left out (as the findings always were)."""
        out = _plain(self)
        out["knowledge_map"] = [[c.skill, c.site, c.holders] for c in self.knowledge_map]
        return out


@dataclass(frozen=True)
class Month:
    """One month of a scope's trend within the window."""

    events: int = 0
    in_work_share: float | None = None
    cross_department_share: float | None = None


@dataclass(frozen=True)
class Figures:
    """The figures of one scope (the organisation, a department, site or team). A scope of
    fewer than SYLVA_MIN_AGGREGATE people is ``hidden`` and has none; a figure resting on
    fewer people than that is None and named in ``few``."""

    headcount: int = 0
    hidden: bool = False
    events: int | None = None
    learners: int | None = None
    ties_internal: int | None = None
    ties_external: int | None = None
    ei: float | None = None
    ei_baseline: float | None = None
    ei_baseline_low: float | None = None
    ei_baseline_high: float | None = None
    cross_department_share: float | None = None
    skills_held: int | None = None
    single_holder_skills: int | None = None
    holders_median: float | None = None
    in_work_share: float | None = None
    course_share: float | None = None
    microlearning_share: float | None = None
    course_hours: float | None = None
    reciprocity: float | None = None
    gave_and_received: float | None = None
    across_levels_share: float | None = None
    upward_share: float | None = None
    hill_learner_p25: float | None = None
    hill_learner: float | None = None
    hill_learner_p75: float | None = None
    hill_team: float | None = None
    wait_days: float | None = None
    answered_14d_share: float | None = None
    level3_days: float | None = None
    requests: int | None = None
    form_mix: Mapping[str, int] = field(default_factory=dict)
    trend: tuple[Month, ...] = ()
    few: tuple[str, ...] = ()

    def withheld(self, name: str) -> bool:
        """Whether figure ``name`` is not shown: the scope is too small, or the figure rests
        on too few people (its quartiles with it)."""
        base = name.removesuffix("_p25").removesuffix("_p75")
        return self.hidden or base in self.few or name in self.few

    def value(self, name: str) -> Any:
        """Figure ``name`` (for tables and the ``metric`` tag, which name their columns)."""
        if name not in FIGURE_NAMES:
            raise KeyError(f"no figure {name!r}")
        return getattr(self, name)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Figures:
        return _row(cls, {**data, "trend": _rows(Month, data.get("trend"))})

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = _plain(self)
        return out


FIGURE_NAMES = frozenset(f.name for f in dataclasses.fields(Figures))


def _frozen(value: Any) -> Any:
    """Lists of the JSON as tuples (the findings are immutable)."""
    return tuple(_frozen(v) for v in value) if isinstance(value, list | tuple) else value


def _row(cls: type[T], data: Mapping[str, Any]) -> T:
    names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: _frozen(v) for k, v in data.items() if k in names})


def _rows(cls: type[T], items: Any) -> tuple[T, ...]:
    return tuple(_row(cls, item) for item in items or ())


def _by_int(data: Mapping[str, int] | None) -> dict[int, int]:
    return {int(k): v for k, v in (data or {}).items()}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not (getattr(value, f.name) is None and f.default is None)
        }
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
