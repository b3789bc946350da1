"""The API shapes of posts, replies, their history and reports. Markdown comes back as
written (``body``, for editing) and as sanitised HTML (``html``, to show)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString
from ninja import Field, Schema

from sylva.communities.models import Flag, Post, Reply, Revision
from sylva.communities.services.qa import MAX_SKILLS
from sylva.core.markdown import render
from sylva.core.validation import limit_of
from sylva.people.schemas import PersonRef, SkillOut

LANGUAGES = ["", *(code for code, _name in settings.LANGUAGES)]


def _enum(values: list[str]) -> dict[str, Any]:
    return {"enum": list(values)}


class PostEditIn(Schema):
    title: str = Field(..., max_length=limit_of(Post, "title"))
    body: str = Field("", max_length=limit_of(Post, "body"), description="Markdown")
    language: str = Field("", json_schema_extra=_enum(LANGUAGES))
    skills: list[str] = Field(
        [],
        description=f"Skill codes (a question names 1 to {MAX_SKILLS})",
        json_schema_extra={"maxItems": MAX_SKILLS},
    )
    intended: str = Field("", max_length=limit_of(Post, "intended"))
    happened: str = Field("", max_length=limit_of(Post, "happened"))
    why: str = Field("", max_length=limit_of(Post, "why"))
    next_time: str = Field("", max_length=limit_of(Post, "next_time"))
    audience: str = Field(
        Post.Audience.COMMUNITY,
        description="Who may read an experience report: team, community, everyone",
        json_schema_extra=_enum(Post.Audience.values),
    )


class PostIn(PostEditIn):
    kind: str = Field(..., json_schema_extra=_enum(Post.Kind.values))
    community: str | None = Field(None, description="The community's address (slug)")
    project: int | None = Field(None, description="A project (experience reports only)")
    assignment: int | None = Field(
        None, description="A work situation's assignment (experience reports only)"
    )


class PostOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    html: str
    language: str
    community: str | None = None
    project: int | None = None
    assignment: int | None = None
    author: PersonRef
    skills: list[SkillOut]
    intended: str
    happened: str
    why: str
    next_time: str
    audience: str
    created_at: datetime
    edited_at: datetime | None
    solved_at: datetime | None
    hidden: bool
    hidden_reason: str

    @staticmethod
    def resolve_html(obj: Post) -> SafeString:
        return render(obj.body)

    @staticmethod
    def resolve_community(obj: Post) -> str | None:
        return obj.community.slug if obj.community is not None else None

    @staticmethod
    def resolve_project(obj: Post) -> int | None:
        return obj.project_id

    @staticmethod
    def resolve_assignment(obj: Post) -> int | None:
        return obj.assignment_id

    @staticmethod
    def resolve_skills(obj: Post) -> list[object]:
        return list(obj.skills.all())

    @staticmethod
    def resolve_hidden(obj: Post) -> bool:
        return obj.hidden_at is not None


class PostListOut(PostOut):
    reply_count: int = 0


class ReplyOut(Schema):
    id: int
    post: int
    author: PersonRef
    body: str
    html: str
    created_at: datetime
    edited_at: datetime | None
    accepted: bool
    thanks: int
    hidden: bool
    hidden_reason: str

    @staticmethod
    def resolve_post(obj: Reply) -> int:
        return obj.post_id

    @staticmethod
    def resolve_html(obj: Reply) -> SafeString:
        return render(obj.body)

    @staticmethod
    def resolve_accepted(obj: Reply) -> bool:
        return obj.accepted_at is not None

    @staticmethod
    def resolve_thanks(obj: Reply) -> int:
        count = getattr(obj, "thanks_count", None)
        return int(count) if count is not None else obj.thanks.count()

    @staticmethod
    def resolve_hidden(obj: Reply) -> bool:
        return obj.hidden_at is not None


class PostDetailOut(PostOut):
    replies: list[ReplyOut]

    @staticmethod
    def resolve_replies(obj: Post) -> list[Reply]:
        return list(getattr(obj, "shown_replies", []))


class ReplyIn(Schema):
    body: str = Field(..., max_length=limit_of(Reply, "body"), description="Markdown")


class PostReasonIn(Schema):
    reason: str = Field(..., max_length=limit_of(Flag, "reason"))


class RevisionOut(Schema):
    id: int
    post: int | None
    reply: int | None
    editor: PersonRef
    title: str
    body: str
    created_at: datetime

    @staticmethod
    def resolve_post(obj: Revision) -> int | None:
        return obj.post_id

    @staticmethod
    def resolve_reply(obj: Revision) -> int | None:
        return obj.reply_id


class FlagOut(Schema):
    id: int
    post: int | None
    reply: int | None
    reason: str
    created_at: datetime

    @staticmethod
    def resolve_post(obj: Flag) -> int | None:
        return obj.post_id

    @staticmethod
    def resolve_reply(obj: Flag) -> int | None:
        return obj.reply_id
