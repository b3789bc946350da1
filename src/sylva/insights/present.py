"""Turn a snapshot into what a page or the API shows to one viewer: names instead of keys,
and the privacy rules applied — scopes under ``SYLVA_MIN_AGGREGATE`` people are withheld,
people appear by name only if they agreed to (``visible_in_insights``), and a manager sees
only what concerns the teams they manage."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from sylva.insights import queries
from sylva.insights.findings import Broker, HiddenExpert
from sylva.insights.models import Introduction, ScopeFigure, Snapshot
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


def row_of(row: Any) -> dict[str, Any]:
    """A finding's fields, for a page's row (names added beside them)."""
    return {f.name: getattr(row, f.name) for f in fields(row)}


def names(snapshot: Snapshot, people: set[int] | None = None) -> Names:
    found = snapshot.findings
    if people is None:
        people = set()
        for rows in (found.hidden_experts, found.brokers, found.single_holder):
            people |= {row.person for row in rows}
        for intro in found.person_introductions:
            people |= {intro.person_a, intro.person_b}
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


def _people(
    rows: tuple[HiddenExpert, ...] | tuple[Broker, ...], n: Names, v: Viewer
) -> tuple[list[dict[str, Any]], int]:
    """Rows naming a person: kept with the person when they agreed to be visible (and, for
    a manager, belong to their teams); the others only counted."""
    shown, hidden = [], 0
    for row in rows:
        person = n.people.get(row.person)
        if person is None or not _mine(v, person.team_id or -1):
            continue
        if not person.visible_in_insights:
            hidden += 1
            continue
        skill = n.skills.get(row.skill) if isinstance(row, HiddenExpert) else None
        shown.append({**row_of(row), "person": person, "skill": skill})
    return shown, hidden


def hotspots(snapshot: Snapshot, v: Viewer, n: Names) -> list[dict[str, Any]]:
    """Teams x forms of learning, the teams where most learning happens in the work first."""
    teams = ScopeFigure.objects.filter(snapshot=snapshot, kind="team")
    if not v.org:
        teams = teams.filter(key__in=v.teams)
    rows: list[dict[str, Any]] = []
    for row in teams:
        team, f = n.teams.get(row.key), row.figures
        if team is None:
            continue
        if f.hidden:
            rows.append({"team": team, "hidden": True, "headcount": row.headcount})
            continue
        mix = f.form_mix
        in_work = mix.get("exchange", 0) + mix.get("community", 0) + mix.get("field", 0)
        rows.append(
            {
                "team": team,
                "mix": mix,
                "in_work": in_work,
                "headcount": row.headcount,
                "share": f.in_work_share,
            }
        )
    rows.sort(key=lambda r: (r.get("hidden", False), -r.get("in_work", 0), r["team"].name))
    return rows


def spot(snapshot: Snapshot, v: Viewer, n: Names) -> dict[str, Any]:
    experts, hidden = _people(snapshot.findings.hidden_experts, n, v)
    return {"experts": experts, "experts_hidden": hidden, "hotspots": hotspots(snapshot, v, n)}


def links(snapshot: Snapshot, v: Viewer, n: Names) -> dict[str, Any]:
    """The suggested introductions not made yet (a pair introduced leaves the list, read
    now, whatever the snapshot's age), the introductions sent with each side's answer, and
    the brokers."""
    done_people, done_teams = queries.introduced_pairs()
    teams = []
    for row in snapshot.findings.team_introductions:
        a, b = n.teams.get(row.team_a), n.teams.get(row.team_b)
        if a is None or b is None or not _mine(v, a.pk, b.pk):
            continue
        if frozenset((a.pk, b.pk)) in done_teams:
            continue
        teams.append(
            {
                **row_of(row),
                "a": a,
                "b": b,
                "a_to_b": [n.skills[s] for s in row.a_to_b if s in n.skills],
                "b_to_a": [n.skills[s] for s in row.b_to_a if s in n.skills],
            }
        )
    people, hidden = [], 0
    for intro in snapshot.findings.person_introductions:
        pa, pb = n.people.get(intro.person_a), n.people.get(intro.person_b)
        if pa is None or pb is None or not _mine(v, pa.team_id or -1, pb.team_id or -1):
            continue
        if frozenset((pa.pk, pb.pk)) in done_people:
            continue
        if not (pa.visible_in_insights and pb.visible_in_insights):
            hidden += 1
            continue
        people.append({**row_of(intro), "a": pa, "b": pb, "skill": n.skills.get(intro.skill)})
    brokers, brokers_hidden = _people(snapshot.findings.brokers, n, v)
    return {
        "teams": teams,
        "people": people,
        "people_hidden": hidden,
        "sent": sent(v),
        "brokers": brokers,
        "brokers_hidden": brokers_hidden,
    }


def sent(v: Viewer) -> list[dict[str, Any]]:
    """The introductions sent, newest first, with what each side answered."""
    out = []
    for intro in queries.sent_introductions(v):
        sides = []
        for side in ("a", "b"):
            person = getattr(intro, f"recipient_{side}")
            sides.append(
                {
                    "person": person,
                    "answer": getattr(intro, f"answer_{side}"),
                    "label": Introduction.Answer(getattr(intro, f"answer_{side}")).label,
                    "at": getattr(intro, f"answered_{side}_at"),
                }
            )
        a = intro.person_a or intro.team_a
        b = intro.person_b or intro.team_b
        out.append(
            {
                "intro": intro,
                "a": a,
                "b": b,
                "sides": sides,
                "told": all(s["person"] is not None for s in sides),
                "answered": sum(1 for s in sides if s["answer"]),
            }
        )
    return out


def structures(snapshot: Snapshot, n: Names) -> list[dict[str, Any]]:
    """The suggested structures, each with its decision when accepted (to whom it was
    given, whether it is done)."""
    decisions = queries.decisions_by_key()
    out = []
    for row in snapshot.findings.structures:
        skill = n.skills.get(row.skill) if row.skill is not None else None
        domain = n.domains.get(row.domain) if row.domain is not None else None
        key = f"community:{domain.code}" if domain else f"{row.kind}:{skill.code if skill else ''}"
        decision = decisions.get(key)
        out.append(
            {
                **row_of(row),
                "skill": skill,
                "domain": domain,
                "key": key,
                "accepted": decision is not None,
                "decision": decision,
            }
        )
    return out


def visible(snapshot: Snapshot, v: Viewer, n: Names) -> dict[str, Any]:
    """The knowledge map (holders at level ≥ 3 per skill and site), skills held by one
    person, the truck factor per domain, thanks per team."""
    found = snapshot.findings
    by_skill: dict[int, dict[int, int]] = {}
    for cell in found.knowledge_map:
        by_skill.setdefault(cell.skill, {})[cell.site] = cell.holders
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
    for holder in found.single_holder:
        skill = n.skills.get(holder.skill)
        if skill is not None:
            single.append({"skill": skill, "holder": n.person(holder.person)})
    single.sort(key=lambda r: r["skill"].name)
    domains = sorted(
        (
            {**row_of(row), "domain": n.domains[row.domain]}
            for row in found.domains
            if row.domain in n.domains
        ),
        key=lambda r: (r["truck_factor"], r["domain"].name),
    )
    thanks = [
        {"team": n.teams[t], "thanks": c}
        for t, c in found.thanks.items()
        if t in n.teams and _mine(v, t)
    ]
    return {
        "sites": sites,
        "knowledge": kmap,
        "single": single,
        "domains": domains,
        "thanks": sorted(thanks, key=lambda r: -r["thanks"]),
    }


def skill_reach(snapshot: Snapshot, n: Names) -> list[dict[str, Any]]:
    return [
        {**row_of(row), "skill": n.skills[row.skill]}
        for row in snapshot.findings.skill_reach
        if row.skill in n.skills
    ]
