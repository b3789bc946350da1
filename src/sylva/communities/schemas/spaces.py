"""The shapes of the communities-of-practice API; limits are read from the model."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from sylva.communities.models import Community
from sylva.communities.services.spaces import MAX_SKILLS
from sylva.core.validation import limit_of
from sylva.people.schemas import CodeRef, PersonRef

NAME = limit_of(Community, "name")
PURPOSE = limit_of(Community, "purpose")


class CommunityIn(Schema):
    name: str = Field(..., min_length=1, max_length=NAME)
    purpose: str = Field("", max_length=PURPOSE)
    language: Literal["", "fr", "en"] = Field("", description="fr, en, or empty (any)")
    access: Literal["open", "request"] = Field(
        "open", description="open: join in one click; request: a host accepts"
    )
    domain: str | None = Field(None, max_length=60, description="A skill domain's code")
    skills: list[str] = Field(
        default_factory=list, max_length=MAX_SKILLS, description="Skill codes"
    )


class CommunityOut(Schema):
    slug: str
    name: str
    purpose: str
    language: str
    access: str
    domain: CodeRef | None
    member_count: int
    created_at: datetime
    archived_at: datetime | None


class PostBrief(Schema):
    id: int
    kind: str
    title: str
    author: PersonRef
    created_at: datetime
    solved_at: datetime | None


class AnswererOut(Schema):
    person: PersonRef
    accepted_answers: int


class CommunityDetailOut(CommunityOut):
    skills: list[str]
    hosts: list[PersonRef]
    membership: str | None = Field(None, description="active, pending, or none")
    role: str | None = None
    is_host: bool
    following: bool
    readable: bool = Field(..., description="False: members only (posts not given)")
    questions: list[PostBrief]
    experiences: list[PostBrief]
    resources: list[PostBrief]
    announcements: list[PostBrief]
    answerers: list[AnswererOut]
    unnamed_answerers: int = Field(..., description="Colleagues who answered, not named")

    @staticmethod
    def of(context: dict[str, Any]) -> dict[str, Any]:
        community: Community = context["community"]
        membership = context["membership"]
        answerers = context.get("answerers")
        return {
            "slug": community.slug,
            "name": community.name,
            "purpose": community.purpose,
            "language": community.language,
            "access": community.access,
            "domain": community.domain,
            "member_count": context["member_count"],
            "created_at": community.created_at,
            "archived_at": community.archived_at,
            "skills": [s.code for s in context["skills"]],
            "hosts": context["hosts"],
            "membership": membership.state if membership else None,
            "role": membership.role if membership else None,
            "is_host": context["is_host"],
            "following": context["following"],
            "readable": context["readable"],
            "questions": context.get("questions", []),
            "experiences": context.get("experiences", []),
            "resources": context.get("resources", []),
            "announcements": context.get("announcements", []),
            "answerers": [{"person": who, "accepted_answers": n} for who, n in answerers.named]
            if answerers
            else [],
            "unnamed_answerers": answerers.unnamed if answerers else 0,
        }


class MembershipOut(Schema):
    id: int
    person: PersonRef
    role: str
    state: str
    created_at: datetime
    joined_at: datetime | None


class HostIn(Schema):
    person_id: int = Field(..., ge=1, le=2**31 - 1)


class FollowOut(Schema):
    id: int
    community: str | None = Field(None, description="The community's slug")
    skill: str | None = Field(None, description="The skill's code")
    created_at: datetime

    @staticmethod
    def resolve_community(obj: Any) -> str | None:
        return obj.community.slug if obj.community_id else None

    @staticmethod
    def resolve_skill(obj: Any) -> str | None:
        return obj.skill.code if obj.skill_id else None
