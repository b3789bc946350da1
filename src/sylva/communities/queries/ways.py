"""The communities' reads for "Where can I learn this?" (``sylva.communities.ways``): the
communities, circles and work situations on a skill, and how many answered questions on
it the reader may read. One query each, whatever the size of the company; never a write.

Who sees what follows the area's rules: every live community's name and purpose is seen
by everyone signed in (its posts are another matter: :func:`access.readable_posts`); a
circle private or still a draft only by the people it concerns (its creator, its
facilitator, the people with a seat), the rule of ``queries/circles.py``; the catalogue of
work situations by everyone signed in; a question only where ``access`` lets it be read,
never a hidden one.
"""

from __future__ import annotations

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from sylva.communities.models import (
    Assignment,
    Circle,
    CircleMember,
    Community,
    Membership,
    Post,
    WorkSituation,
)
from sylva.communities.queries import access
from sylva.people.models import Person, Skill

#: rows of each kind read at most
LIMIT = 5
SEATED = (CircleMember.State.ACTIVE, CircleMember.State.INVITED)
LIVE_ASSIGNMENT = (Assignment.State.ASSIGNED, Assignment.State.DONE)


def communities_on(person: Person, skill: Skill, *, limit: int = LIMIT) -> list[Community]:
    """Live communities naming ``skill`` (first) or its domain, with ``member_count``,
    ``on_skill`` and ``membership_state`` (the reader's: active, pending or empty)."""
    mine = Membership.objects.filter(community=OuterRef("pk"), person=person)
    through = Community.skills.through.objects.filter(skill=skill)
    named = through.filter(community_id=OuterRef("pk"))
    qs = (
        Community.objects.filter(archived_at__isnull=True)
        .filter(Q(pk__in=through.values("community_id")) | Q(domain_id=skill.domain_id))
        .annotate(
            on_skill=Exists(named),
            member_count=Count(
                "memberships",
                filter=Q(memberships__state=Membership.State.ACTIVE),
                distinct=True,
            ),
            is_member=Exists(mine.filter(state=Membership.State.ACTIVE)),
            is_pending=Exists(mine.filter(state=Membership.State.PENDING)),
        )
        .order_by("-on_skill", "-member_count", "name", "pk")
    )
    return list(qs[:limit])


def _visible_circles(person: Person) -> QuerySet[Circle]:
    seats = CircleMember.objects.filter(person=person, state__in=SEATED)
    concerned = Q(created_by=person) | Q(facilitator=person) | Q(pk__in=seats.values("circle_id"))
    public = Q(private=False) & ~Q(state=Circle.State.DRAFT)
    return Circle.objects.filter(public | concerned)


def circles_on(person: Person, skill: Skill, *, limit: int = LIMIT) -> list[Circle]:
    """Open or running circles on ``skill`` that ``person`` may see, with ``active_count``,
    ``next_session`` (the next session's start, not cancelled) and ``seated`` (the
    reader's seat, active or invited), open ones first."""
    now = timezone.now()
    seat = CircleMember.objects.filter(circle=OuterRef("pk"), person=person, state__in=SEATED)
    qs = (
        _visible_circles(person)
        .filter(
            pk__in=Circle.skills.through.objects.filter(skill=skill).values("circle_id"),
            state__in=(Circle.State.OPEN, Circle.State.RUNNING),
        )
        .annotate(
            active_count=Count(
                "seats", filter=Q(seats__state=CircleMember.State.ACTIVE), distinct=True
            ),
            next_session=Min(
                "sessions__starts_at",
                filter=Q(sessions__starts_at__gte=now, sessions__cancelled_at__isnull=True),
            ),
            seated=Exists(seat),
        )
        .select_related("facilitator")
        .order_by("state", "next_session", "-created_at", "pk")
    )
    return list(qs[:limit])


def situations_on(person: Person, skill: Skill, *, limit: int = LIMIT) -> list[WorkSituation]:
    """Work situations of the catalogue that develop ``skill``, with ``assigned`` (one is
    assigned to the reader, to do or to debrief)."""
    mine = Assignment.objects.filter(
        situation=OuterRef("pk"), learner=person, state__in=LIVE_ASSIGNMENT
    )
    qs = (
        WorkSituation.objects.filter(
            retired_at__isnull=True,
            pk__in=WorkSituation.skills.through.objects.filter(skill=skill).values(
                "worksituation_id"
            ),
        )
        .annotate(assigned=Exists(mine))
        .order_by("-assigned", "title", "pk")
    )
    return list(qs[:limit])


def answered_questions(person: Person, skill: Skill) -> int:
    """Questions on ``skill`` with an accepted answer that ``person`` may read (never a
    hidden one)."""
    solved = Post.objects.filter(
        kind=Post.Kind.QUESTION,
        solved_at__isnull=False,
        hidden_at__isnull=True,
        pk__in=Post.skills.through.objects.filter(skill=skill).values("post_id"),
    )
    return access.readable_posts(person, solved).count()
