"""The shapes of the work situations' API. An assignment's debrief text is in its own
shape, given to the learner and the tutor only."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from ninja import Field, Schema

from sylva.communities.models import Assignment, WorkSituation
from sylva.communities.services.situations import MAX_SKILLS
from sylva.core.validation import limit_of
from sylva.people.schemas import PersonRef, SkillOut


class SituationIn(Schema):
    title: str = Field(..., max_length=limit_of(WorkSituation, "title"))
    task: str = Field(..., max_length=limit_of(WorkSituation, "task"))
    skills: list[str] = Field(
        ...,
        description=f"Skill codes (1 to {MAX_SKILLS})",
        json_schema_extra={"minItems": 1, "maxItems": MAX_SKILLS},
    )
    debrief_questions: str = Field("", max_length=limit_of(WorkSituation, "debrief_questions"))
    tutor_role: str = Field("", max_length=limit_of(WorkSituation, "tutor_role"))
    language: str = Field(
        "",
        description="fr or en; empty: the designer's language",
        json_schema_extra={"enum": ["", *[code for code, _name in settings.LANGUAGES]]},
    )


class SituationOut(Schema):
    id: int
    title: str
    task: str
    debrief_questions: str
    tutor_role: str
    language: str
    skills: list[SkillOut]
    author: PersonRef
    created_at: datetime

    @staticmethod
    def resolve_skills(obj: WorkSituation) -> list[object]:
        return list(obj.skills.all())


class AssignIn(Schema):
    learner: int = Field(..., description="A person of my team", ge=1, le=2**63 - 1)
    tutor: int = Field(..., description="A colleague (not the learner)", ge=1, le=2**63 - 1)
    due_on: date | None = None


class AssignmentOut(Schema):
    """What the learner, the tutor and the managers read (never the debrief text)."""

    id: int
    situation: int = Field(..., alias="situation_id")
    title: str
    learner: PersonRef
    tutor: PersonRef
    assigned_by: PersonRef
    state: str
    due_on: date | None
    assigned_at: datetime
    done_at: datetime | None
    debriefed_at: datetime | None
    proposed_skill: str | None = None
    proposed_level: int | None
    level_agreed_at: datetime | None

    @staticmethod
    def resolve_title(obj: Assignment) -> str:
        return obj.situation.title

    @staticmethod
    def resolve_proposed_skill(obj: Assignment) -> str | None:
        return obj.proposed_skill.code if obj.proposed_skill else None


class DebriefIn(Schema):
    text: str = Field(..., max_length=limit_of(Assignment, "debrief"))


class DebriefOut(Schema):
    id: int
    debrief: str
    debriefed_at: datetime | None


class ProposeIn(Schema):
    skill: str = Field(..., description="A skill code of the situation")
    level: int = Field(..., ge=1, le=4)
