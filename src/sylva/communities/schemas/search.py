"""The shapes of the communities' search API: a post found (never its whole text: an
excerpt, as the pages show) and the similar questions of a title being typed."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from sylva.communities.models import Post
from sylva.communities.queries import search as queries
from sylva.people.schemas import PersonRef


class PlaceRef(Schema):
    slug: str
    name: str


class SearchHitOut(Schema):
    id: int
    kind: str = Field(..., description="question, experience, resource or announcement")
    title: str
    excerpt: str = Field(..., description="The first words of its text, Markdown left out")
    language: str
    community: PlaceRef | None
    project_id: int | None
    author: PersonRef
    created_at: datetime
    last_activity_at: datetime
    solved: bool
    url: str = Field(..., description="The post's page")
    relevance: float = Field(..., description="The database engine's rank (higher: better)")

    @staticmethod
    def resolve_excerpt(post: Post) -> str:
        return queries.excerpt(post, 30)

    @staticmethod
    def resolve_solved(post: Post) -> bool:
        return post.solved_at is not None

    @staticmethod
    def resolve_url(post: Post) -> str:
        return queries.post_url(post)

    @staticmethod
    def resolve_relevance(post: Post) -> float:
        return float(getattr(post, "relevance", 0.0) or 0.0)


class SimilarOut(Schema):
    id: int
    title: str
    community: PlaceRef | None
    answered: bool = Field(..., description="Solved, or with a visible answer")
    solved: bool
    url: str

    @staticmethod
    def resolve_answered(post: Post) -> bool:
        return bool(getattr(post, "answered", False))

    @staticmethod
    def resolve_solved(post: Post) -> bool:
        return post.solved_at is not None

    @staticmethod
    def resolve_url(post: Post) -> str:
        return queries.post_url(post)
