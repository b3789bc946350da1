"""The learning-event log's one write path: :func:`record_event` (and :func:`build_event`
for bulk writers, which insert the rows in batches themselves).

Each event stores the columns insights read and the full xAPI statement; the actor's team,
department and site *at the moment of the event* are copied on the row.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.utils import timezone

from sylva.core import xapi
from sylva.core.xapi import ACCOUNT_HOMEPAGE, EXT_DEPARTMENT, EXT_SITE, EXT_SKILL, EXT_TEAM, Verb
from sylva.people import verbs
from sylva.people.models import LearningEvent, Person, Skill, Team

Result = dict[str, Any] | None


def _agent(person: Person, username: str | None = None) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "name": person.full_name,
        "account": {
            "homePage": ACCOUNT_HOMEPAGE,
            "name": username if username is not None else str(person.pk),
        },
    }


def _context(
    verb: Verb, team: Team | None, site_id: int | None, skill: Skill | None, other: Person | None
) -> dict[str, Any]:
    """The statement's context: where the actor was, the skill, the other person."""
    extensions: dict[str, Any] = {
        EXT_TEAM: team.pk if team else None,
        EXT_DEPARTMENT: team.department_id if team else None,
        EXT_SITE: site_id,
    }
    if skill is not None:
        extensions[EXT_SKILL] = skill.code
    context: dict[str, Any] = {"platform": "Sylva", "extensions": extensions}
    if other is not None and verb.iri == verbs.LEARNED_FROM.iri:
        context["instructor"] = _agent(other)
    elif other is not None:
        context["team"] = {"objectType": "Group", "member": [_agent(other)]}
    return context


def build_event(
    *,
    actor: Person,
    verb: Verb,
    object_id: str,
    object_name: str = "",
    object_type: str = "Activity",
    skill: Skill | None = None,
    result: Result = None,
    other: Person | None = None,
    timestamp: datetime | None = None,
    team: Team | None = None,
) -> LearningEvent:
    """An unsaved event with its xAPI statement, the actor's context taken now.

    ``team`` overrides the actor's current team (the bulk generator passes it to avoid a
    query per event); the department and site follow from it.
    """
    when = timestamp or timezone.now()
    team = team if team is not None else actor.team
    site_id = actor.site_id or (team.site_id if team else None)
    event_id = uuid.uuid4()
    statement: dict[str, Any] = {
        "id": str(event_id),
        "actor": _agent(actor),
        "verb": {"id": verb.iri, "display": {"en-US": verb.code}},
        "object": {
            "objectType": object_type,
            "id": object_id,
            "definition": {"name": {"und": object_name}} if object_name else {},
        },
        "context": _context(verb, team, site_id, skill, other),
        "timestamp": when.isoformat(),
    }
    if result is not None:
        statement["result"] = result
    return LearningEvent(
        id=event_id,
        actor=actor,
        verb=verb.iri,
        object_type=object_type,
        object_id=object_id,
        object_name=object_name[:300],
        skill=skill,
        result=result,
        team=team,
        department_id=team.department_id if team else None,
        site_id=site_id,
        other=other,
        timestamp=when,
        stored=timezone.now(),
        statement=statement,
    )


def record_event(
    *,
    actor: Person,
    verb: Verb,
    object_id: str,
    object_name: str = "",
    object_type: str = "Activity",
    skill: Skill | None = None,
    result: Result = None,
    other: Person | None = None,
    timestamp: datetime | None = None,
    team: Team | None = None,
) -> LearningEvent:
    """Write one learning event (the arguments are :func:`build_event`'s)."""
    event = build_event(
        actor=actor,
        verb=verb,
        object_id=object_id,
        object_name=object_name,
        object_type=object_type,
        skill=skill,
        result=result,
        other=other,
        timestamp=timestamp,
        team=team,
    )
    event.save(force_insert=True)
    return event


def skill_iri(skill: Skill) -> str:
    """The activity IRI of a skill (the object of the profile's events)."""
    return xapi.activity("skill", skill.code)
