"""Turn a snapshot into what a page or the API shows to one viewer: names instead of keys,
and the privacy rules applied — scopes under ``SYLVA_MIN_AGGREGATE`` people are withheld,
people appear by name only if they agreed to (``visible_in_insights``), and a manager sees
only what concerns the teams they manage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from sylva.insights.models import Introduction, ScopeFigure, Snapshot, StructureDecision
from sylva.insights.queries import Viewer
from sylva.people.models import Department, Person, Site, Skill, SkillDomain, Team


@dataclass
class Names:
    departments: dict[int, Department]
    teams: dict[int, Team]
    sites: dict[int, Site]
    skills: dict[int, Skill]
    domains: dict[int, SkillDomain]
    people: dict[int, Person]

    def person(self, pk: int) -> Person | None:
        """The person if they agreed to appear by name in insights, else None."""
        p = self.people.get(pk)
        return p if p is not None and p.visible_in_insights else None


def names(snapshot: Snapshot, people: set[int] | None = None) -> Names:
    data = snapshot.data
    if people is None:
        people = set()
        for key in ("hidden_experts", "brokers", "single_holder"):
            people |= {row["person"] for row in data.get(key, [])}
        for row in data.get("person_introductions", []):
            people |= {row["person_a"], row["person_b"]}
    return Names(
        departments=Department.objects.in_bulk(),
        teams=Team.objects.select_related("department", "site").in_bulk(),
        sites=Site.objects.in_bulk(),
        skills=Skill.objects.in_bulk(),
        domains=SkillDomain.objects.in_bulk(),
        people=Person.objects.select_related("team").in_bulk(list(people)),
    )


def _mine(v: Viewer, *teams: int) -> bool:
    return v.org or any(t in v.teams for t in teams)


def _people(rows: list[dict[str, Any]], n: Names, v: Viewer) -> tuple[list[dict[str, Any]], int]:
    """Rows naming a person: kept with the person when they agreed to be visible (and, for
    a manager, belong to their teams); the others only counted."""
    shown, hidden = [], 0
    for row in rows:
        person = n.people.get(row["person"])
        if person is None or not _mine(v, person.team_id or -1):
            continue
        if not person.visible_in_insights:
            hidden += 1
            continue
        shown.append({**row, "person": person, "skill": n.skills.get(row.get("skill", -1))})
    return shown, hidden


def hotspots(snapshot: Snapshot, v: Viewer, n: Names) -> list[dict[str, Any]]:
    """Teams x forms of learning, the teams where most learning happens in the work first."""
    teams = ScopeFigure.objects.filter(snapshot=snapshot, kind="team")
    if not v.org:
        teams = teams.filter(key__in=v.teams)
    rows: list[dict[str, Any]] = []
    for f in teams:
        team = n.teams.get(f.key)
        if team is None:
            continue
        if f.data.get("hidden"):
            rows.append({"team": team, "hidden": True, "headcount": f.headcount})
            continue
        mix = f.data.get("form_mix", {})
        in_work = mix.get("exchange", 0) + mix.get("community", 0) + mix.get("field", 0)
        rows.append(
            {
                "team": team,
                "mix": mix,
                "in_work": in_work,
                "headcount": f.headcount,
                "share": f.data.get("in_work_share"),
            }
        )
    rows.sort(key=lambda r: (r.get("hidden", False), -r.get("in_work", 0), r["team"].name))
    return rows


def spot(snapshot: Snapshot, v: Viewer, n: Names) -> dict[str, Any]:
    experts, hidden = _people(snapshot.data.get("hidden_experts", []), n, v)
    return {"experts": experts, "experts_hidden": hidden, "hotspots": hotspots(snapshot, v, n)}


def _introduced() -> tuple[dict[frozenset[int], Introduction], dict[frozenset[int], Introduction]]:
    """The introductions already made, by unordered pair of people and of teams: the page
    says when instead of offering a button that could only be refused."""
    people: dict[frozenset[int], Introduction] = {}
    teams: dict[frozenset[int], Introduction] = {}
    for intro in Introduction.objects.order_by("-created_at"):
        if intro.person_a_id and intro.person_b_id:
            people[frozenset((intro.person_a_id, intro.person_b_id))] = intro
        elif intro.team_a_id and intro.team_b_id:
            teams[frozenset((intro.team_a_id, intro.team_b_id))] = intro
    return people, teams


def links(snapshot: Snapshot, v: Viewer, n: Names) -> dict[str, Any]:
    done_people, done_teams = _introduced()
    teams = []
    for row in snapshot.data.get("team_introductions", []):
        a, b = n.teams.get(row["team_a"]), n.teams.get(row["team_b"])
        if a is None or b is None or not _mine(v, a.pk, b.pk):
            continue
        teams.append(
            {
                **row,
                "a": a,
                "b": b,
                "introduced": done_teams.get(frozenset((a.pk, b.pk))),
                "a_to_b": [n.skills[s] for s in row["a_to_b"] if s in n.skills],
                "b_to_a": [n.skills[s] for s in row["b_to_a"] if s in n.skills],
            }
        )
    people, hidden = [], 0
    for row in snapshot.data.get("person_introductions", []):
        pa, pb = n.people.get(row["person_a"]), n.people.get(row["person_b"])
        if pa is None or pb is None or not _mine(v, pa.team_id or -1, pb.team_id or -1):
            continue
        if not (pa.visible_in_insights and pb.visible_in_insights):
            hidden += 1
            continue
        people.append(
            {
                **row,
                "a": pa,
                "b": pb,
                "skill": n.skills.get(row["skill"]),
                "introduced": done_people.get(frozenset((pa.pk, pb.pk))),
            }
        )
    brokers, brokers_hidden = _people(snapshot.data.get("brokers", []), n, v)
    return {
        "teams": teams,
        "people": people,
        "people_hidden": hidden,
        "brokers": brokers,
        "brokers_hidden": brokers_hidden,
    }


def structures(snapshot: Snapshot, n: Names) -> list[dict[str, Any]]:
    accepted = set(StructureDecision.objects.values_list("key", flat=True))
    out = []
    for row in snapshot.data.get("structures", []):
        skill = n.skills.get(row.get("skill", -1))
        domain = n.domains.get(row.get("domain", -1))
        key = (
            f"community:{domain.code}" if domain else f"{row['kind']}:{skill.code if skill else ''}"
        )
        out.append(
            {**row, "skill": skill, "domain": domain, "key": key, "accepted": key in accepted}
        )
    return out


def visible(snapshot: Snapshot, v: Viewer, n: Names) -> dict[str, Any]:
    """The knowledge map (holders at level ≥ 3 per skill and site), skills held by one
    person, the truck factor per domain, thanks per team."""
    by_skill: dict[int, dict[int, int]] = {}
    for skill, site, count in snapshot.data.get("knowledge_map", []):
        by_skill.setdefault(skill, {})[site] = count
    sites = sorted(n.sites.values(), key=lambda s: s.name)
    kmap: list[dict[str, Any]] = sorted(
        (
            {
                "skill": n.skills[s],
                "cells": [counts.get(site.pk, 0) for site in sites],
                "total": sum(counts.values()),
            }
            for s, counts in by_skill.items()
            if s in n.skills
        ),
        key=lambda r: (-r["total"], r["skill"].name),
    )
    single: list[dict[str, Any]] = []
    for row in snapshot.data.get("single_holder", []):
        skill = n.skills.get(row["skill"])
        if skill is not None:
            single.append({"skill": skill, "holder": n.person(row["person"])})
    single.sort(key=lambda r: r["skill"].name)
    domains = sorted(
        (
            {**row, "domain": n.domains[row["domain"]]}
            for row in snapshot.data.get("domains", [])
            if row["domain"] in n.domains
        ),
        key=lambda r: (r["truck_factor"], r["domain"].name),
    )
    min_people = settings.SYLVA_MIN_AGGREGATE
    thanks = [
        {"team": n.teams[int(t)], "thanks": c}
        for t, c in snapshot.data.get("thanks", {}).items()
        if int(t) in n.teams and _mine(v, int(t))
    ]
    del min_people
    return {
        "sites": sites,
        "knowledge": kmap,
        "single": single,
        "domains": domains,
        "thanks": sorted(thanks, key=lambda r: -r["thanks"]),
    }


def skill_reach(snapshot: Snapshot, n: Names) -> list[dict[str, Any]]:
    return [
        {**row, "skill": n.skills[row["skill"]]}
        for row in snapshot.data.get("skill_reach", [])
        if row["skill"] in n.skills
    ]
