"""Routing a question to colleagues who know (built by the routing area)."""

from __future__ import annotations

from sylva.communities.models import Invitation, Post


def route(*, post: Post) -> list[Invitation]:
    """Invite a few colleagues to answer ``post`` (a question); returns the invitations."""
    return []
