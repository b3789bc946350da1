"""The shapes of the field feedback API. Feedback texts are given to its two people (and to
the person's team once shared); the rhythm is counts only."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from sylva.communities.models import FieldFeedback
from sylva.core.validation import limit_of
from sylva.people.schemas import PersonRef


def _limit(field: str) -> int:
    return limit_of(FieldFeedback, field)


class FeedbackIn(Schema):
    person: int = Field(..., description="A person of my team", ge=1, le=2**63 - 1)
    situation: str = Field(..., max_length=_limit("situation"))
    went_well: str = Field(..., max_length=_limit("went_well"))
    to_improve: str = Field("", max_length=_limit("to_improve"))
    next_step: str = Field("", max_length=_limit("next_step"))
    skill: str | None = Field(None, description="A skill code")
    assignment: int | None = Field(
        None, description="A work situation of the person", ge=1, le=2**63 - 1
    )


class FeedbackOut(Schema):
    id: int
    giver: PersonRef
    person: PersonRef
    skill: str | None = None
    assignment: int | None = Field(None, alias="assignment_id")
    situation: str
    went_well: str
    to_improve: str
    next_step: str
    answer: str
    answered_at: datetime | None
    shared: bool
    created_at: datetime

    @staticmethod
    def resolve_skill(obj: FieldFeedback) -> str | None:
        return obj.skill.code if obj.skill else None


class AnswerIn(Schema):
    answer: str = Field(..., max_length=_limit("answer"))


class ShareIn(Schema):
    shared: bool


class MonthOut(Schema):
    start: date
    count: int


class RhythmOut(Schema):
    shown: bool = Field(..., description="False when the team has fewer than 5 people")
    team_size: int | None = None
    people_reached: int | None = None
    months: list[MonthOut] = []
