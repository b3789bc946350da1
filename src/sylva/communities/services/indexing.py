"""Keeping a post's full-text document (built by the search area)."""

from __future__ import annotations

from sylva.communities.models import Post


def index_post(post: Post) -> None:
    """Refresh ``post.search_document`` from its title, text and replies, and save it."""
