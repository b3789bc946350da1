"""The shapes of the project spaces' API; limits are the models'."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema
from pydantic.json_schema import JsonDict

from sylva.communities.models import Milestone, Project
from sylva.core.validation import limit_of
from sylva.people.schemas import PersonRef


def _max(model: type, field: str) -> JsonDict:
    return {"maxLength": limit_of(model, field)}


class ProjectIn(Schema):
    title: str = Field(..., json_schema_extra=_max(Project, "title"))
    purpose: str = Field("", json_schema_extra=_max(Project, "purpose"))
    learning_goals: str = Field(..., json_schema_extra=_max(Project, "learning_goals"))
    skills: list[str] = Field([], description="Skill codes")
    community: str | None = Field(None, description="A community's slug")


class ProjectOut(Schema):
    id: int
    title: str
    purpose: str
    learning_goals: str
    owner: PersonRef
    skills: list[str]
    created_at: datetime
    closed_at: datetime | None

    @staticmethod
    def resolve_skills(obj: Project) -> list[str]:
        return [s.code for s in obj.skills.all()]


class MemberIn(Schema):
    person: int = Field(..., description="A person's id")


class MilestoneIn(Schema):
    title: str = Field(..., json_schema_extra=_max(Milestone, "title"))
    due_on: date | None = None


class ReviewIn(Schema):
    intended: str = Field(..., json_schema_extra=_max(Milestone, "intended"))
    happened: str = Field(..., json_schema_extra=_max(Milestone, "happened"))
    why: str = Field(..., json_schema_extra=_max(Milestone, "why"))
    next_time: str = Field(..., json_schema_extra=_max(Milestone, "next_time"))


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date | None
    intended: str
    happened: str
    why: str
    next_time: str
    closed_by: PersonRef | None
    closed_at: datetime | None
