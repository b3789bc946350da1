"""Keeping a post's full-text document: ``Post.search_document`` holds the folded, stemmed
words (French and English stems) of its title, text, After Action Review and visible
replies (``queries.search.document_of``). The database's own index follows it: triggers on
SQLite (the FTS5 table), the GIN expression index on PostgreSQL."""

from __future__ import annotations

from django.db import transaction

from sylva.communities.models import Post
from sylva.communities.queries.search import document_of


def index_post(post: Post) -> None:
    """Refresh ``post.search_document`` from its title, texts and visible replies, and save
    that field alone (call it after every create or edit of a post or of one of its replies,
    and after a reply is hidden or shown again)."""
    if post.pk is None:
        return
    with transaction.atomic():
        replies = list(
            post.replies.filter(hidden_at__isnull=True)
            .order_by("pk")
            .values_list("body", flat=True)
        )
        document = document_of(post, replies)
        Post.objects.filter(pk=post.pk).update(search_document=document)
        post.search_document = document
