"""What the communities give the search across Sylva (the contract's ``search``, the
header's box): the posts the reader may read that hold every word asked for, through the
communities' full-text search (``queries.search.search_posts``: access rules, never a
hidden post), in three groups — questions, experience reports, resources and
announcements. One query per group, whatever the number of posts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sylva.communities.models import Post
from sylva.communities.queries import search
from sylva.core.pillars import SearchKind, SearchResult
from sylva.people.models import Person

QUESTIONS = "communities.question"
EXPERIENCE = "communities.experience"
RESOURCES = "communities.resource"

KINDS = (
    SearchKind(
        QUESTIONS,
        gettext_lazy("Questions in the communities"),
        "communities:search",
        (("kind", Post.Kind.QUESTION.value),),
    ),
    SearchKind(
        EXPERIENCE,
        gettext_lazy("Experience reports"),
        "communities:search",
        (("kind", Post.Kind.EXPERIENCE.value),),
    ),
    # two kinds of post in one group: its "more" is the search page of that group alone
    SearchKind(RESOURCES, gettext_lazy("Resources and announcements in the communities")),
)

_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (QUESTIONS, (Post.Kind.QUESTION,)),
    (EXPERIENCE, (Post.Kind.EXPERIENCE,)),
    (RESOURCES, (Post.Kind.RESOURCE, Post.Kind.ANNOUNCEMENT)),
)


def _detail(post: Post) -> str:
    place = post.community or post.project
    parts = [str(place) if place else ""]
    if post.kind == Post.Kind.QUESTION and post.solved_at:
        parts.append(_("solved"))
    parts.append(search.excerpt(post))
    return " · ".join(p for p in parts if p)


def results(person: Any, q: str, limit: int) -> list[SearchResult]:
    if not isinstance(person, Person) or not q.strip() or limit <= 0:
        return []
    found = []
    for key, kinds in _GROUPS:
        posts = search.search_posts(person, q, kind=kinds)[:limit]
        for rank, post in enumerate(posts):
            found.append(SearchResult(key, post.title, _detail(post), search.post_url(post), -rank))
    return found
