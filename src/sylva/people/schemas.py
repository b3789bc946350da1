"""The shapes of the people, organisation and skills API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from sylva.core.validation import limit_of
from sylva.people.models import TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS, ApiToken, Person


class Ref(Schema):
    id: int
    name: str


class CodeRef(Schema):
    code: str
    name: str


class PersonRef(Schema):
    id: int
    full_name: str


class SkillOut(Schema):
    code: str
    name: str
    name_fr: str
    name_en: str
    domain: CodeRef


class SkillCountOut(SkillOut):
    holder_count: int
    teacher_count: int


class DomainOut(Schema):
    code: str
    name: str
    name_fr: str
    name_en: str
    skill_count: int


class HeldSkillOut(Schema):
    skill: SkillOut
    level: int
    willing_to_share: bool
    updated_at: datetime


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    full_name: str
    job_title: str
    team: Ref | None
    department: CodeRef | None
    site: CodeRef | None
    manager: PersonRef | None
    is_newcomer: bool
    matched_level: int | None = Field(
        None, description="Level in the skill (or best level in the domain) searched for."
    )

    @staticmethod
    def resolve_matched_level(obj: Any) -> int | None:
        return getattr(obj, "matched_level", None)


class PersonDetailOut(PersonOut):
    hire_date: date
    populations: list[CodeRef]
    can_share: str
    wants_to_learn: str
    skills: list[HeldSkillOut]
    wishes: list[SkillOut]

    @staticmethod
    def resolve_populations(obj: Any) -> list[Any]:
        return list(obj.populations.all())

    @staticmethod
    def resolve_skills(obj: Any) -> list[Any]:
        return list(obj.person_skills.all())

    @staticmethod
    def resolve_wishes(obj: Any) -> list[Any]:
        return [w.skill for w in obj.wishes.all()]


class MeOut(PersonDetailOut):
    language: str
    visible_in_insights: bool
    roles: list[str]


#: What the profile's JSON may not carry: one's place in the organisation comes from an
#: administrator or the HR source (``PATCH /me`` answers 403 naming the field).
PLACEMENT_FIELDS = frozenset(
    {"team", "team_id", "site", "site_id", "manager", "manager_id", "department", "department_id"}
)


class ProfileIn(Schema):
    """The fields a person edits on their own profile. Team, site, manager and department
    are not among them: they are set by an administrator or the HR source, and sending one
    is refused with 403 naming it; any other unknown field is refused with 400."""

    job_title: str | None = Field(None, max_length=limit_of(Person, "job_title"))
    populations: list[str] | None = Field(None, description="Population codes")
    can_share: str | None = Field(None, max_length=limit_of(Person, "can_share"))
    wants_to_learn: str | None = Field(None, max_length=limit_of(Person, "wants_to_learn"))
    visible_in_insights: bool | None = None
    language: str | None = Field(None, description="fr or en")


class SkillLevelIn(Schema):
    level: int = Field(..., ge=1, le=4, description="1 discovering … 4 can teach")
    willing_to_share: bool | None = None


class WishIn(Schema):
    skill: str = Field(..., description="Skill code")


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=limit_of(ApiToken, "name"))
    days: int = Field(
        TOKEN_DEFAULT_DAYS,
        ge=1,
        le=TOKEN_MAX_DAYS,
        description="How long the token lasts, in days.",
    )
    read_only: bool = Field(False, description="A read-only token may only GET.")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    read_only: bool
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(..., description="The secret: shown this once, never again.")


class SiteOut(Schema):
    code: str
    name: str
    city: str
    headcount: int
    team_count: int


class DepartmentOut(Schema):
    code: str
    name: str
    name_fr: str
    name_en: str
    head: PersonRef | None
    team_count: int
    headcount: int


class TeamOut(Schema):
    id: int
    name: str
    department: CodeRef
    site: CodeRef
    manager: PersonRef | None
    headcount: int


class TeamDetailOut(TeamOut):
    members: list[PersonOut] = Field(..., alias="members_list")


class DepartmentDetailOut(DepartmentOut):
    teams: list[TeamOut] = Field(..., alias="teams_list")


class HolderOut(Schema):
    person: PersonOut
    level: int
    willing_to_share: bool


class EventOut(Schema):
    id: str
    verb: str
    object_id: str
    object_name: str
    skill: str | None
    timestamp: datetime
    result: dict[str, Any] | None

    @staticmethod
    def resolve_id(obj: Any) -> str:
        return str(obj.id)

    @staticmethod
    def resolve_skill(obj: Any) -> str | None:
        return obj.skill.code if obj.skill_id else None


class SkillCoverageOut(Schema):
    skill: SkillOut
    holders: int
    level_3_plus: int


class TeamOverviewOut(Schema):
    team: TeamOut
    members: list[PersonDetailOut]
    coverage: list[SkillCoverageOut]
    activity: dict[str, int] | None = Field(
        None,
        description="Learning events in the last 90 days by form; null when the team has "
        "fewer than 5 people (no aggregate over fewer than 5 people).",
    )


class WayOut(Schema):
    """One way to learn a skill, from one of the pillars ("Where can I learn this?")."""

    kind: str
    title: str
    url: str
    conditions: list[str]
    when: datetime | None = None


class WayGroupOut(Schema):
    kind: str
    label: str
    ways: list[WayOut]


class SkillWaysOut(Schema):
    skill: SkillOut
    groups: list[WayGroupOut]
    #: where to ask for it when no group answers yet (the board, a question…)
    asks: list[WayOut]
