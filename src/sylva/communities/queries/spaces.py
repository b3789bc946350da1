"""Reads of the communities' home and of a community's page: mine, suggested, the others
(searchable by name, accent-blind), what is alive in a community (through
:func:`access.readable_posts`), its hosts, members and who answers most. Never writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.communities.models import Community, Follow, Membership, Post, Reply
from sylva.communities.queries import access
from sylva.core.errors import NotFound
from sylva.people.models import LearningWish, Person, PersonSkill, Skill
from sylva.people.text import fold

#: how far back "who answers most" looks
ANSWERS_DAYS = 90
SUGGESTED = 6
ALIVE = 5  # posts of each kind on a community's page


def visible_communities(person: Person) -> QuerySet[Community]:
    """Every community whose name and purpose ``person`` may see: the live ones, and the
    archived ones they belong to (moderators see them all). Its posts are another matter
    (:func:`access.readable_posts`)."""
    if access.is_moderator(person):
        return Community.objects.all()
    mine = Membership.objects.filter(person=person).values("community_id")
    return Community.objects.filter(Q(archived_at__isnull=True) | Q(pk__in=mine))


def with_counts(communities: QuerySet[Community]) -> QuerySet[Community]:
    return communities.select_related("domain").annotate(
        member_count=Count(
            "memberships",
            filter=Q(memberships__state=Membership.State.ACTIVE),
            distinct=True,
        )
    )


def community_for(person: Person, slug: str) -> Community:
    """The community at ``slug`` if ``person`` may see it, else 404."""
    found = visible_communities(person).select_related("domain").filter(slug=slug).first()
    if found is None:
        raise NotFound(_("No such community."))
    return found


def matching_name(communities: QuerySet[Community], q: str) -> QuerySet[Community]:
    """The communities whose name (or purpose) holds every word of ``q``, accent- and
    case-blind (folded in Python: communities are few, their names short)."""
    words = fold(q).split()
    if not words:
        return communities
    ids = [
        pk
        for pk, name, purpose in communities.values_list("pk", "name", "purpose")
        if all(w in fold(f"{name} {purpose}") for w in words)
    ]
    return communities.filter(pk__in=ids)


def membership_of(person: Person, community: Community) -> Membership | None:
    return Membership.objects.filter(person=person, community=community).first()


def my_memberships(person: Person) -> QuerySet[Membership]:
    """My communities (active or asked), live first."""
    return (
        Membership.objects.filter(person=person)
        .select_related("community__domain")
        .order_by("community__archived_at", "state", "community__name")
    )


def my_skill_ids(person: Person) -> set[int]:
    held = PersonSkill.objects.filter(person=person).values_list("skill_id", flat=True)
    wished = LearningWish.objects.filter(person=person).values_list("skill_id", flat=True)
    return {*held, *wished}


def suggested_for(person: Person, limit: int = SUGGESTED) -> list[Community]:
    """Live communities I am not in that name my skills or wishes (or their domains), the
    most overlapping first."""
    skills = my_skill_ids(person)
    if not skills:
        return []
    domains = set(Skill.objects.filter(pk__in=skills).values_list("domain_id", flat=True))
    mine = Membership.objects.filter(person=person).values("community_id")
    found = (
        with_counts(Community.objects.filter(archived_at__isnull=True).exclude(pk__in=mine))
        .filter(Q(skills__in=skills) | Q(domain__in=domains))
        .annotate(overlap=Count("skills", filter=Q(skills__in=skills), distinct=True))
        .order_by("-overlap", "-member_count", "name")
    )
    return list(found.distinct()[:limit])


def others_for(person: Person, *, exclude: list[int], q: str = "") -> QuerySet[Community]:
    """Every other live community (or, searching, every visible one matching ``q``)."""
    base = visible_communities(person)
    if q:
        return with_counts(matching_name(base, q)).order_by("name")
    mine = Membership.objects.filter(person=person).values("community_id")
    return with_counts(
        base.filter(archived_at__isnull=True).exclude(pk__in=mine).exclude(pk__in=exclude)
    ).order_by("name")


def following(person: Person) -> list[Follow]:
    return list(
        Follow.objects.filter(person=person)
        .select_related("community", "skill__domain")
        .order_by("-created_at")[:50]
    )


def follows_community(person: Person, community: Community) -> bool:
    return Follow.objects.filter(person=person, community=community).exists()


def follows_skill(person: Person, skill: Skill) -> bool:
    return Follow.objects.filter(person=person, skill=skill).exists()


# --- a community's page ------------------------------------------------------------------


def hosts_of(community: Community) -> list[Person]:
    return list(
        Person.objects.filter(
            memberships__community=community,
            memberships__role=Membership.Role.HOST,
            memberships__state=Membership.State.ACTIVE,
        ).order_by("last_name", "first_name")
    )


def member_count(community: Community) -> int:
    return community.memberships.filter(state=Membership.State.ACTIVE).count()


def members_of(community: Community, *, pending: bool) -> QuerySet[Membership]:
    """Its members, hosts first; with ``pending``, the requests to join too (for hosts)."""
    states = [Membership.State.ACTIVE, *([Membership.State.PENDING] if pending else [])]
    return (
        Membership.objects.filter(community=community, state__in=states)
        .select_related("person")
        .order_by("-state", "role", "person__last_name", "person__first_name")
    )


def pending_of(community: Community) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(community=community, state=Membership.State.PENDING)
        .select_related("person")
        .order_by("created_at")
    )


def may_read_posts(person: Person, community: Community) -> bool:
    """A community's posts are read by those who may read it (members of one on
    request), never by others: they see its name, purpose and "ask to join"."""
    return access.may_read_community(person, community)


def _posts(person: Person, community: Community) -> QuerySet[Post]:
    return access.readable_posts(person, Post.objects.filter(community=community))


def unanswered_questions(person: Person, community: Community) -> list[Post]:
    """Open questions, those nobody answered yet first, each group newest first.

    Two short walks down the community's (kind, created_at) index, each stopping at the
    page's length; the answers are counted for the questions shown only."""
    wanted = ALIVE * 2
    shown = Reply.objects.filter(post=OuterRef("pk"), hidden_at__isnull=True)
    open_questions = _posts(person, community).filter(
        kind=Post.Kind.QUESTION, solved_at__isnull=True, hidden_at__isnull=True
    )
    newest = ("-created_at", "-pk")
    ids = list(
        open_questions.filter(~Exists(shown))
        .order_by(*newest)
        .values_list("pk", flat=True)[:wanted]
    )
    if len(ids) < wanted:
        ids += list(
            open_questions.filter(Exists(shown))
            .order_by(*newest)
            .values_list("pk", flat=True)[: wanted - len(ids)]
        )
    counted = Count("replies", filter=Q(replies__hidden_at__isnull=True))
    found = Post.objects.filter(pk__in=ids).select_related("author").annotate(reply_count=counted)
    by_pk = {post.pk: post for post in found}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def recent(person: Person, community: Community, kind: str, limit: int = ALIVE) -> list[Post]:
    return list(
        _posts(person, community)
        .filter(kind=kind, hidden_at__isnull=True)
        .select_related("author")
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass
class Answerers:
    """Who answered most (accepted answers): those who consent are named, the others
    counted."""

    named: list[tuple[Person, int]] = field(default_factory=list)
    unnamed: int = 0


def top_answerers(community: Community, *, days: int = ANSWERS_DAYS, limit: int = 5) -> Answerers:
    since = timezone.now() - timedelta(days=days)
    rows = list(
        Reply.objects.filter(
            post__community=community,
            accepted_at__isnull=False,  # (the partial index of accepted answers)
            accepted_at__gte=since,
            hidden_at__isnull=True,
            post__hidden_at__isnull=True,
        )
        .values("author")
        .annotate(n=Count("pk"))
        .order_by("-n", "author")
    )
    people = Person.objects.in_bulk([r["author"] for r in rows])
    found = Answerers()
    for row in rows:
        author = people.get(row["author"])
        if author is None:
            continue
        if author.visible_in_insights and len(found.named) < limit:
            found.named.append((author, row["n"]))
        elif not author.visible_in_insights:
            found.unnamed += 1
    return found


def page_of_community(person: Person, community: Community) -> dict[str, Any]:
    """Everything a community's page shows to ``person``."""
    membership = membership_of(person, community)
    readable = may_read_posts(person, community)
    context: dict[str, Any] = {
        "community": community,
        "membership": membership,
        "is_member": membership is not None and membership.state == Membership.State.ACTIVE,
        "is_pending": membership is not None and membership.state == Membership.State.PENDING,
        "is_host": access.is_host(person, community),
        "hosts": hosts_of(community),
        "member_count": member_count(community),
        "readable": readable,
        "following": follows_community(person, community),
        "skills": list(community.skills.select_related("domain")),
    }
    if readable:
        context.update(
            questions=unanswered_questions(person, community),
            experiences=recent(person, community, Post.Kind.EXPERIENCE),
            resources=recent(person, community, Post.Kind.RESOURCE),
            announcements=recent(person, community, Post.Kind.ANNOUNCEMENT),
            answerers=top_answerers(community),
        )
    return context


def requests_to_host(person: Person) -> QuerySet[Membership]:
    """The requests to join waiting on ``person`` as a host (the inbox)."""
    hosted = Membership.objects.filter(
        person=person, role=Membership.Role.HOST, state=Membership.State.ACTIVE
    ).values("community_id")
    return (
        Membership.objects.filter(
            community_id__in=hosted,
            state=Membership.State.PENDING,
            community__archived_at__isnull=True,
        )
        .select_related("person", "community")
        .order_by("created_at")
    )


def my_pending_requests(person: Person) -> QuerySet[Membership]:
    """My requests to join, waiting on hosts (the inbox: their turn)."""
    return (
        Membership.objects.filter(
            person=person, state=Membership.State.PENDING, community__archived_at__isnull=True
        )
        .select_related("community")
        .order_by("created_at")
    )
