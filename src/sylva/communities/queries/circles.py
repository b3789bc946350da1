"""Reads of the learning circles: who sees which circle, its members, sessions and
reflections. Nothing here writes.

- A circle **private** or still a **draft** is seen only by the people it concerns: its
  creator, its facilitator, its sponsor and the people with a seat (invited or member).
  Anyone else gets a 404, on the pages and in the API, as if it did not exist.
- Any other circle (open, running, closed) is seen by everyone signed in.
- Reflections, goals and attendance are read by the circle's active members only.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sylva.communities.models import Circle, CircleMember, CircleSession, Reflection
from sylva.core.errors import NotFound
from sylva.people.models import Person

#: the rotating reflection prompts (msgids, shown in the reader's language), one per session
PROMPTS = (
    gettext_noop("What surprised you?"),
    gettext_noop("What will you try at work this week?"),
    gettext_noop("What did you learn from someone else in the circle?"),
    gettext_noop("What is still unclear to you?"),
    gettext_noop("What did you try since the last session, and how did it go?"),
    gettext_noop("Which idea would you pass on to your team?"),
    gettext_noop("What helped you learn today, and what got in the way?"),
    gettext_noop("What would you like the next session to cover?"),
)

ACTIVE = CircleMember.State.ACTIVE
INVITED = CircleMember.State.INVITED


def prompt_for(number: int) -> str:
    """The prompt of session ``number`` (1, 2, …): the list, rotated."""
    return PROMPTS[(max(number, 1) - 1) % len(PROMPTS)]


def _concerned(person: Person) -> Q:
    seats = CircleMember.objects.filter(person=person, state__in=(ACTIVE, INVITED))
    return (
        Q(created_by=person)
        | Q(facilitator=person)
        | Q(sponsor=person)
        | Q(pk__in=seats.values("circle_id"))
    )


def visible_circles(person: Person) -> QuerySet[Circle]:
    """The circles ``person`` may see (see the module's rule)."""
    public = Q(private=False) & ~Q(state=Circle.State.DRAFT)
    return Circle.objects.filter(public | _concerned(person))


def with_counts(circles: QuerySet[Circle]) -> QuerySet[Circle]:
    return circles.annotate(
        active_count=Count("seats", filter=Q(seats__state=ACTIVE), distinct=True)
    ).select_related("facilitator", "community")


def my_circles(person: Person) -> QuerySet[Circle]:
    """The circles I facilitate, created, sponsor or hold a seat in (invited or member)."""
    return with_counts(Circle.objects.filter(_concerned(person))).order_by("-created_at", "-pk")


def open_to_join(person: Person) -> QuerySet[Circle]:
    """Open or running circles, not private, not full, where I have no seat."""
    mine = CircleMember.objects.filter(person=person).exclude(state=CircleMember.State.LEFT)
    return (
        with_counts(
            Circle.objects.filter(
                private=False, state__in=(Circle.State.OPEN, Circle.State.RUNNING)
            ).exclude(pk__in=mine.values("circle_id"))
        )
        .exclude(facilitator=person)
        .order_by("-created_at", "-pk")
    )


def circle_for(person: Person, pk: int) -> Circle:
    """The circle, if ``person`` may see it (else 404, whether it exists or not)."""
    circle = (
        visible_circles(person)
        .select_related("facilitator__user", "sponsor", "community", "created_by")
        .filter(pk=pk)
        .first()
    )
    if circle is None:
        raise NotFound(_("No such learning circle."))
    return circle


def seat_of(person: Person, circle: Circle) -> CircleMember | None:
    return CircleMember.objects.filter(circle=circle, person=person).first()


def is_member(person: Person, circle: Circle) -> bool:
    return CircleMember.objects.filter(circle=circle, person=person, state=ACTIVE).exists()


def active_seats(circle: Circle) -> QuerySet[CircleMember]:
    return (
        CircleMember.objects.filter(circle=circle, state=ACTIVE)
        .select_related("person__user")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def active_members(circle: Circle) -> list[Person]:
    return [seat.person for seat in active_seats(circle)]


def active_count(circle: Circle) -> int:
    return CircleMember.objects.filter(circle=circle, state=ACTIVE).count()


def invited_seats(circle: Circle) -> QuerySet[CircleMember]:
    return CircleMember.objects.filter(circle=circle, state=INVITED).select_related("person")


def sessions_of(circle: Circle) -> QuerySet[CircleSession]:
    return CircleSession.objects.filter(circle=circle).order_by("starts_at", "pk")


def next_session(circle: Circle) -> CircleSession | None:
    return (
        sessions_of(circle).filter(cancelled_at__isnull=True, starts_at__gte=timezone.now()).first()
    )


def past_sessions(circle: Circle) -> QuerySet[CircleSession]:
    return (
        sessions_of(circle)
        .filter(cancelled_at__isnull=True, starts_at__lt=timezone.now())
        .order_by("-starts_at", "-pk")
        .prefetch_related("attendance", "reflections")
    )


def session_for(person: Person, pk: int) -> CircleSession:
    """A session of a circle ``person`` may see (else 404)."""
    session = (
        CircleSession.objects.select_related("circle__facilitator__user")
        .filter(pk=pk, circle__in=visible_circles(person))
        .first()
    )
    if session is None:
        raise NotFound(_("No such session."))
    return session


def reflections_of(person: Person, session: CircleSession) -> QuerySet[Reflection]:
    """The session's reflections, for the circle's active members only (else none)."""
    if not is_member(person, session.circle):
        return Reflection.objects.none()
    return (
        Reflection.objects.filter(session=session)
        .select_related("person")
        .order_by("created_at", "pk")
    )


def circle_invitations(person: Person) -> QuerySet[CircleMember]:
    """My pending invitations to circles (not closed)."""
    return (
        CircleMember.objects.filter(person=person, state=INVITED)
        .exclude(circle__state=Circle.State.CLOSED)
        .select_related("circle__facilitator")
        .order_by("-joined_at", "-pk")
    )


def to_facilitate(person: Person) -> QuerySet[Circle]:
    """Drafts named to me as facilitator by someone else, waiting on me to open them."""
    return Circle.objects.filter(facilitator=person, state=Circle.State.DRAFT).exclude(
        created_by=person
    )


def sessions_to_reflect(person: Person) -> QuerySet[CircleSession]:
    """Past sessions (the last 14 days) of my circles where I was present and wrote no
    reflection yet."""
    since = timezone.now() - timedelta(days=14)
    return (
        CircleSession.objects.filter(
            circle__seats__person=person,
            circle__seats__state=ACTIVE,
            cancelled_at__isnull=True,
            starts_at__lt=timezone.now(),
            starts_at__gte=since,
            attendance__person=person,
            attendance__present=True,
        )
        .exclude(reflections__person=person)
        .select_related("circle")
        .distinct()
    )


def attendance_to_mark(person: Person) -> QuerySet[CircleSession]:
    """Sessions of the last 14 days of the circles I facilitate, their attendance not marked."""
    since = timezone.now() - timedelta(days=14)
    return (
        CircleSession.objects.filter(
            circle__facilitator=person,
            circle__state=Circle.State.RUNNING,
            cancelled_at__isnull=True,
            starts_at__lt=timezone.now(),
            starts_at__gte=since,
            attendance__isnull=True,
        )
        .select_related("circle")
        .distinct()
    )
