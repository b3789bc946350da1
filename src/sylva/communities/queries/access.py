"""Who may read what in the communities: the one place the rules are written.

Every page, API route, search, inbox item and insight of the communities reads through
these functions, never through ``Post.objects`` alone.

- A community **open to everyone** is read by everyone signed in; one **on request** by its
  active members only. People with ``communities.moderate_community`` (the animators) read
  and moderate every community.
- A post is read where its place is read (its community; a project's posts by everyone, a
  work situation's by its learner, tutor and the manager who assigned it), narrowed by its
  audience: ``everyone`` (whoever reads the place), ``community`` (the community's active
  members, the project's members, the situation's three people), ``team`` (the author's
  team when it was written).
- A hidden post is read only by its author, the hosts of its community and moderators.
- The author always reads their own posts.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sylva.communities.models import MODERATE, Community, Membership, Post, ProjectMember
from sylva.people.models import Person


def is_moderator(person: Person) -> bool:
    return bool(person.user.has_perm(MODERATE))


def _active(person: Person) -> QuerySet[Membership]:
    return Membership.objects.filter(person=person, state=Membership.State.ACTIVE)


def member_of(person: Person) -> QuerySet[Community]:
    """The communities where ``person`` is an active member (hosts included)."""
    return Community.objects.filter(
        memberships__person=person, memberships__state=Membership.State.ACTIVE
    )


def hosted_by(person: Person) -> QuerySet[Community]:
    return Community.objects.filter(
        memberships__person=person,
        memberships__state=Membership.State.ACTIVE,
        memberships__role=Membership.Role.HOST,
    )


def readable_communities(person: Person) -> QuerySet[Community]:
    """The communities whose page and posts ``person`` may read."""
    if is_moderator(person):
        return Community.objects.all()
    mine = _active(person).values("community_id")
    return Community.objects.filter(Q(access=Community.Access.OPEN) | Q(pk__in=mine))


def is_host(person: Person, community: Community) -> bool:
    return is_moderator(person) or (
        _active(person).filter(community=community, role=Membership.Role.HOST).exists()
    )


def may_read_community(person: Person, community: Community) -> bool:
    return readable_communities(person).filter(pk=community.pk).exists()


def _place_readable(person: Person, moderator: bool) -> Q:
    """Posts whose place (community, project, situation) ``person`` may read."""
    situation = (
        Q(assignment__learner=person)
        | Q(assignment__tutor=person)
        | Q(assignment__assigned_by=person)
    )
    if moderator:
        in_community = Q(community__isnull=False)
    else:
        mine = _active(person).values("community_id")
        in_community = Q(community__access=Community.Access.OPEN) | Q(community_id__in=mine)
    return (
        (Q(community__isnull=False) & in_community)
        | Q(community__isnull=True, project__isnull=False)
        | (Q(community__isnull=True, project__isnull=True, assignment__isnull=False) & situation)
    )


def _audience(person: Person, moderator: bool) -> Q:
    """Posts whose audience includes ``person`` (given that the place is readable).

    Moderators read what is written for a community or for everyone, never what an author
    wrote for their team alone."""
    everyone = Q(audience=Post.Audience.EVERYONE)
    mine = _active(person).values("community_id")
    close = (
        Q(community_id__in=mine)
        | Q(project_id__in=ProjectMember.objects.filter(person=person).values("project_id"))
        | Q(project__owner=person)
        | Q(assignment__learner=person)
        | Q(assignment__tutor=person)
        | Q(assignment__assigned_by=person)
    )
    community = Q(audience=Post.Audience.COMMUNITY)
    if not moderator:
        community &= close
    team = Q(audience=Post.Audience.TEAM, audience_team__isnull=False) & Q(
        audience_team_id=person.team_id
    )
    return everyone | community | team


def _hidden_ok(person: Person, moderator: bool) -> Q:
    if moderator:
        return Q()
    hosted = _active(person).filter(role=Membership.Role.HOST).values("community_id")
    return Q(hidden_at__isnull=True) | Q(community_id__in=hosted)


def readable_posts(person: Person, posts: QuerySet[Post] | None = None) -> QuerySet[Post]:
    """The posts ``person`` may read, as a queryset to filter further.

    The rules join only single-valued relations (a project's members are a subquery), so
    the rows are distinct without wrapping them in ``pk__in``: a page of a community's
    latest posts then walks its index and stops, instead of listing every readable post
    of the community first."""
    moderator = is_moderator(person)
    base = Post.objects.all() if posts is None else posts
    others = _place_readable(person, moderator) & _audience(person, moderator)
    readable = Q(author=person) | others
    if not moderator:  # (``Q(author=person) | Q()`` would be the author's posts alone)
        readable &= Q(author=person) | _hidden_ok(person, moderator)
    return base.filter(readable)


def may_read_post(person: Person, post: Post) -> bool:
    return readable_posts(person, Post.objects.filter(pk=post.pk)).exists()


def may_moderate_post(person: Person, post: Post) -> bool:
    """Hosts of the post's community, and moderators, may hide or restore it."""
    if is_moderator(person):
        return True
    return post.community is not None and is_host(person, post.community)


def who_reads(post: Post) -> dict[str, Any]:
    """A person-readable description of the post's audience (for the post's page)."""
    return {"audience": post.audience, "team": post.audience_team, "community": post.community}
