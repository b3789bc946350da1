"""Shapes of the insights API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from sylva.people.schemas import PersonRef


class FiguresOut(Schema):
    scope: str
    name: str
    window_days: int
    computed_at: datetime
    headcount: int
    hidden: bool
    reason: str = ""
    figures: dict[str, Any]


class TrendPointOut(Schema):
    computed_at: datetime
    figures: dict[str, Any]


class MyFiguresOut(Schema):
    window_days: int
    events: int
    form_mix: dict[str, int]
    forms_effective: float
    in_work_share: float | None
    helped_people: int
    learned_from_people: int


class TableOut(Schema):
    name: str
    header: list[str]
    rows: list[list[Any]]


class IntroductionIn(Schema):
    person_a: int | None = None
    person_b: int | None = None
    team_a: int | None = None
    team_b: int | None = None
    skill: int | None = None
    reason: str = ""


class IntroductionOut(Schema):
    id: int
    person_a: int | None
    person_b: int | None
    team_a: int | None
    team_b: int | None
    skill: int | None
    reason: str
    created_at: datetime


class StructureIn(Schema):
    kind: str
    skill: int | None = None
    domain: int | None = None
    assignee: int | None = Field(
        None, description="The designer or animator the task goes to (default: yourself)"
    )
    window: int = 90


class StructureOut(Schema):
    id: int
    key: str
    kind: str
    accepted_at: datetime
    assignee: int | None = None
    done_at: datetime | None = None


class AnswerIn(Schema):
    answer: str = Field(..., description='"exchange" (a proposal is opened) or "dismissed"')


class AnswerOut(Schema):
    id: int
    answer: str
    proposal_url: str | None = None


class RecomputeIn(Schema):
    window: int = 90


class QueuedOut(Schema):
    queued: bool
    window_days: int


class StoryOut(Schema):
    story: str
    author: PersonRef
    skill: str | None = Field(None, description="The skill's code")
    skill_name: str | None = None
    role: str = Field(..., description="teacher or learner, in the exchange")
    date: datetime
