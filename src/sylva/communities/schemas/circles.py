"""The shapes of the learning circles' API. Reflections and goals come only to the circle's
members (the routes check it); limits are the models'."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema
from pydantic.json_schema import JsonDict

from sylva.communities.models import (
    CIRCLE_MAX,
    CIRCLE_MIN,
    Circle,
    CircleMember,
    CircleSession,
    Reflection,
)
from sylva.core.validation import limit_of
from sylva.people.schemas import PersonRef

FORMAT: JsonDict = {"enum": ["in_person", "phone", "video"]}


class CircleIn(Schema):
    title: str = Field(..., json_schema_extra={"maxLength": limit_of(Circle, "title")})
    purpose: str = Field(..., json_schema_extra={"maxLength": limit_of(Circle, "purpose")})
    facilitator: int | None = Field(None, description="A person's id; empty: me")
    sponsor: int | None = Field(None, description="A person's id")
    community: str | None = Field(None, description="A community's slug")
    skills: list[str] = Field([], description="Skill codes")
    private: bool = False
    format: str = Field("in_person", json_schema_extra=FORMAT)
    place: str = Field("", json_schema_extra={"maxLength": limit_of(Circle, "place")})
    max_members: int = Field(CIRCLE_MAX, ge=CIRCLE_MIN, le=CIRCLE_MAX)


class CircleOut(Schema):
    id: int
    title: str
    purpose: str
    state: str
    private: bool
    format: str
    place: str
    max_members: int
    members: int
    facilitator: PersonRef
    sponsor: PersonRef | None
    skills: list[str]
    created_at: datetime
    closing_review: str

    @staticmethod
    def resolve_members(obj: Circle) -> int:
        count = getattr(obj, "active_count", None)
        if count is None:
            count = obj.seats.filter(state=CircleMember.State.ACTIVE).count()
        return int(count)

    @staticmethod
    def resolve_skills(obj: Circle) -> list[str]:
        return [s.code for s in obj.skills.all()]


class SeatOut(Schema):
    person: PersonRef
    state: str
    goal: str
    goal_rating: int | None


class PeopleIn(Schema):
    people: list[int] = Field(..., description="People's ids", json_schema_extra={"minItems": 1})


class GoalIn(Schema):
    goal: str = Field(..., json_schema_extra={"maxLength": limit_of(CircleMember, "goal")})


class RatingIn(Schema):
    rating: int = Field(..., ge=1, le=5)


class ReviewIn(Schema):
    review: str = Field(..., json_schema_extra={"maxLength": limit_of(Circle, "closing_review")})


class SessionIn(Schema):
    starts_at: datetime
    minutes: int = Field(60, ge=15, le=240)
    format: str = Field("", json_schema_extra={"enum": ["", "in_person", "phone", "video"]})
    place: str = Field("", json_schema_extra={"maxLength": limit_of(CircleSession, "place")})


class SessionOut(Schema):
    id: int
    number: int
    starts_at: datetime
    minutes: int
    format: str
    place: str
    prompt: str
    sequence: int
    cancelled: bool

    @staticmethod
    def resolve_cancelled(obj: CircleSession) -> bool:
        return obj.cancelled_at is not None


class AttendanceIn(Schema):
    present: list[int] = Field([], description="The ids of the members present")


class AttendanceOut(Schema):
    person: PersonRef
    present: bool


class ReflectionIn(Schema):
    text: str = Field(..., json_schema_extra={"maxLength": limit_of(Reflection, "text")})
    rating: int | None = Field(None, ge=1, le=5)


class ReflectionOut(Schema):
    id: int
    person: PersonRef
    prompt: str
    text: str
    rating: int | None
    created_at: datetime


class FromRequestsIn(Schema):
    skill: str
