from __future__ import annotations

from ninja import Field, Schema


class CapitaliseIn(Schema):
    post: int = Field(..., ge=1, le=2**63 - 1)
    reply: int | None = Field(None, ge=1, le=2**63 - 1, description="An accepted answer of it")


class CapitalisedOut(Schema):
    code: str
    title: str
    editor_url: str
