"""The routing's API shapes: invitations, with their reasons as sentences (the score is
never given)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema

from sylva.communities.models import Invitation
from sylva.communities.queries import routing as queries


class PersonRef(Schema):
    id: int
    name: str


class InvitationOut(Schema):
    id: int
    question: int
    #: empty for readers who see only how many were invited
    invitee: PersonRef | None = None
    reasons: list[str] = []
    state: str
    mine: bool = False
    by_host: bool = False
    created_at: datetime


class MyInvitationOut(Schema):
    id: int
    question: int
    title: str
    community: str | None = None
    reasons: list[str]
    state: str
    created_at: datetime

    @staticmethod
    def resolve_question(obj: Invitation) -> int:
        return obj.post_id

    @staticmethod
    def resolve_title(obj: Invitation) -> str:
        return obj.post.title

    @staticmethod
    def resolve_community(obj: Invitation) -> str | None:
        return obj.post.community.name if obj.post.community else None

    @staticmethod
    def resolve_reasons(obj: Invitation) -> list[str]:
        return queries.reason_texts(obj.reasons)

    @staticmethod
    def resolve_state(obj: Invitation) -> str:
        return queries.shown_state(obj)


class InviteIn(Schema):
    person: int
    override_cap: bool = False


class HandInvitationOut(Schema):
    invitation: InvitationOut
    warning: str = ""
