"""Reads of posts and replies: a post's page (its replies, the hidden ones only to who may
see them), lists for the API, a post's edit history, the open reports a host or moderator
sees, the questions whose asker has answers to accept. Every post is read through
:mod:`sylva.communities.queries.access`. Never writes."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from sylva.communities.models import Community, Flag, Membership, Post, Reply, Revision, Thanks
from sylva.communities.queries import access
from sylva.people.models import Person, Skill


def may_moderate_here(person: Person) -> bool:
    """Moderators, and hosts of at least one community, see the moderation page."""
    return access.is_moderator(person) or access.hosted_by(person).exists()


def _visible_replies(person: Person, post: Post) -> QuerySet[Reply]:
    replies = Reply.objects.filter(post=post)
    if not access.may_moderate_post(person, post):
        replies = replies.filter(Q(hidden_at__isnull=True) | Q(author=person))
    return replies


def replies_of(person: Person, post: Post) -> list[Reply]:
    """The replies ``person`` may read, accepted first, each with its thanks count and
    whether ``person`` thanked or reported it."""
    mine = Thanks.objects.filter(reply=OuterRef("pk"), person=person)
    flagged = Flag.objects.filter(reply=OuterRef("pk"), reporter=person)
    return list(
        _visible_replies(person, post)
        .select_related("author", "hidden_by")
        .annotate(
            thanks_count=Count("thanks", distinct=True),
            thanked=Exists(mine),
            reported=Exists(flagged),
            revision_count=Count("revisions", distinct=True),
        )
        .order_by("created_at", "pk")
    )


def reported_by(person: Person, post: Post) -> bool:
    return Flag.objects.filter(post=post, reporter=person).exists()


def history_of(person: Person, post: Post) -> list[Revision]:
    """The earlier versions of a post and of the replies ``person`` may read, newest
    first."""
    replies = _visible_replies(person, post).values("pk")
    return list(
        Revision.objects.filter(Q(post=post) | Q(reply_id__in=replies))
        .select_related("editor", "reply__author")
        .order_by("-created_at", "-pk")
    )


def posts_for(
    person: Person,
    *,
    community: Community | None = None,
    kind: str = "",
    unanswered: bool = False,
    skill: Skill | None = None,
) -> QuerySet[Post]:
    """The posts ``person`` may read, filtered, the most recently active first."""
    posts = Post.objects.all()
    if community is not None:
        posts = posts.filter(community=community)
    if kind:
        posts = posts.filter(kind=kind)
    if unanswered:
        shown = Reply.objects.filter(post=OuterRef("pk"), hidden_at__isnull=True)
        posts = posts.filter(kind=Post.Kind.QUESTION, solved_at__isnull=True).exclude(Exists(shown))
    if skill is not None:
        posts = posts.filter(skills=skill)
    return (
        access.readable_posts(person, posts)
        .select_related("community", "author", "project", "assignment")
        .prefetch_related("skills__domain")
        .annotate(reply_count=Count("replies", filter=Q(replies__hidden_at__isnull=True)))
        .order_by("-last_activity_at", "-pk")
    )


def post_skills(post: Post) -> list[Skill]:
    """The post's skills in the order the author named them."""
    rows = (
        Post.skills.through.objects.filter(post=post).select_related("skill__domain").order_by("pk")
    )
    return [row.skill for row in rows]


# --- what waits on people (the inbox) ----------------------------------------------------


def to_accept(person: Person) -> QuerySet[Post]:
    """My open questions that have answers by others (to accept the one that helped)."""
    answered = Reply.objects.filter(post=OuterRef("pk"), hidden_at__isnull=True).exclude(
        author=person
    )
    return (
        Post.objects.filter(
            author=person, kind=Post.Kind.QUESTION, solved_at__isnull=True, hidden_at__isnull=True
        )
        .filter(Exists(answered))
        .annotate(
            answers=Count(
                "replies",
                filter=Q(replies__hidden_at__isnull=True) & ~Q(replies__author=person),
            )
        )
        .order_by("-last_activity_at")
    )


def open_flags(person: Person) -> QuerySet[Flag]:
    """The open reports on posts and replies ``person`` moderates (hosts: their
    communities'; moderators: all)."""
    flags = Flag.objects.filter(resolved_at__isnull=True)
    if not access.is_moderator(person):
        hosted = Membership.objects.filter(
            person=person, role=Membership.Role.HOST, state=Membership.State.ACTIVE
        ).values("community_id")
        flags = flags.filter(
            Q(post__community_id__in=hosted) | Q(reply__post__community_id__in=hosted)
        )
    return flags.select_related(
        "reporter", "post__community", "post__author", "reply__author", "reply__post__community"
    ).order_by("-created_at", "-pk")


def describe_flag(flag: Flag) -> dict[str, Any]:
    post = flag.post if flag.post is not None else flag.reply.post  # type: ignore[union-attr]
    return {"flag": flag, "post": post, "reply": flag.reply}
