"""Learning circles: creating one, opening it, joining or being invited, goals, sessions with
their calendar invitations, attendance, reflections, the end and the closing review.

Rules (each a ``check_*`` that raises :class:`ServiceError` with nothing changed):

- anyone creates a circle; it is a **draft** until its facilitator opens it (a colleague
  named as facilitator accepts by opening it, or declines and the creator takes it back);
- people join an open (or running) circle up to its ``max_members`` (4 to 12); a private
  circle is joined by invitation only, and is invisible to anyone else (404);
- only the facilitator invites, schedules, moves or cancels sessions, marks attendance and
  closes the circle; sessions need at least ``CIRCLE_MIN`` active members;
- only active members set a goal, reflect after a session (one reflection each) and rate
  their goal at the end.

Seats are counted under a lock on the circle's row, so that two people taking the last seat
at the same moment cannot both have it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sylva.communities import ics
from sylva.communities import verbs as community_verbs
from sylva.communities.models import (
    CIRCLE_MAX,
    CIRCLE_MIN,
    FORMATS,
    MODERATE,
    RATING,
    Attendance,
    Circle,
    CircleMember,
    CircleSession,
    Community,
    Reflection,
)
from sylva.communities.queries import circles as queries
from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.core.validation import check_field
from sylva.core.xapi import Verb, activity
from sylva.exchange.queries import open_request_authors
from sylva.notifications.services import notify
from sylva.people import verbs
from sylva.people.models import Person, Skill
from sylva.people.services import record_event

S = Circle.State
ACTIVE = CircleMember.State.ACTIVE
INVITED = CircleMember.State.INVITED
LEFT = CircleMember.State.LEFT
#: who may create a circle from the structure lever (the animator's permissions)
STRUCTURE_PERMS = (MODERATE, "people.view_org_insights")
CIRCLE_KIND = "communities.circle"
SESSION_KIND = "communities.session"


# --- helpers -------------------------------------------------------------------------------


def circle_iri(circle: Circle) -> str:
    return activity("circle", circle.pk)


def session_iri(session: CircleSession) -> str:
    return activity("circle-session", session.pk)


def _event(actor: Person, verb: Verb, circle: Circle, **kwargs: Any) -> None:
    record_event(
        actor=actor,
        verb=verb,
        object_id=kwargs.pop("object_id", circle_iri(circle)),
        object_name=circle.title,
        skill=circle.skills.order_by("pk").first(),
        **kwargs,
    )


def _locked(circle: Circle) -> Circle:
    return Circle.objects.select_for_update().select_related("facilitator").get(pk=circle.pk)


def _url(circle: Circle, anchor: str = "") -> str:
    return reverse("communities:circle", args=[circle.pk]) + anchor


def _tell(person: Person, circle: Circle, step: str, subject: str, **kwargs: Any) -> None:
    notify(
        person,
        kwargs.pop("kind", CIRCLE_KIND),
        key=f"circle:{circle.pk}:{step}",
        subject=subject,
        params={"title": circle.title, **kwargs.pop("params", {})},
        url=kwargs.pop("url", _url(circle)),
        **kwargs,
    )


def _check_format(format: str) -> None:
    if format not in dict(FORMATS):
        raise ServiceError(
            _("The format is one of: %(list)s.") % {"list": ", ".join(dict(FORMATS))},
            field="format",
        )


def _check_max(max_members: int) -> None:
    if not CIRCLE_MIN <= max_members <= CIRCLE_MAX:
        raise ServiceError(
            _("A circle holds from %(min)d to %(max)d members.")
            % {"min": CIRCLE_MIN, "max": CIRCLE_MAX},
            field="max_members",
        )


def check_facilitator(person: Person, circle: Circle) -> None:
    if circle.facilitator_id != person.pk:
        raise Forbidden(_("Only the circle's facilitator can do this."))


def check_inviter(person: Person, circle: Circle) -> None:
    if person.pk not in (circle.facilitator_id, circle.created_by_id):
        raise Forbidden(_("Only the circle's facilitator invites people."))


def check_member(person: Person, circle: Circle) -> None:
    if not queries.is_member(person, circle):
        raise Forbidden(_("Only the circle's members can do this."))


def check_not_closed(circle: Circle) -> None:
    if circle.state == S.CLOSED:
        raise ServiceError(_("This circle is closed."), status=409)


def check_room(circle: Circle) -> None:
    """A seat is left (count under the circle's lock)."""
    taken = queries.active_count(circle)
    if taken >= circle.max_members:
        raise ServiceError(
            _("This circle is full (%(n)d members at most).") % {"n": circle.max_members},
            status=409,
        )


def check_enough(circle: Circle) -> None:
    """Sessions need at least CIRCLE_MIN active members."""
    n = queries.active_count(circle)
    if n < CIRCLE_MIN:
        raise ServiceError(
            _(
                "A circle needs at least %(min)d members to hold sessions: it has %(n)d. "
                "Invite colleagues, or wait for people to join."
            )
            % {"min": CIRCLE_MIN, "n": n},
            status=409,
        )


def _seat(circle: Circle, person: Person, state: str) -> CircleMember:
    seat, created = CircleMember.objects.get_or_create(
        circle=circle, person=person, defaults={"state": state}
    )
    if not created and seat.state != state:
        seat.state = state
        seat.joined_at = timezone.now()
        seat.save(update_fields=["state", "joined_at"])
    return seat


# --- creating and opening ------------------------------------------------------------------


def _check_people(person: Person, facilitator: Person | None, sponsor: Person | None) -> None:
    for other, field in ((facilitator, "facilitator"), (sponsor, "sponsor")):
        if other is not None and not other.user.is_active:
            raise ServiceError(_("This person is no longer active."), field=field)


@transaction.atomic
def create_circle(
    *,
    person: Person,
    title: str,
    purpose: str,
    facilitator: Person | None = None,
    sponsor: Person | None = None,
    community: Community | None = None,
    skills: Iterable[Skill] = (),
    private: bool = False,
    format: str = "in_person",
    place: str = "",
    max_members: int = CIRCLE_MAX,
) -> Circle:
    """A draft circle; its creator has a seat. A facilitator other than the creator is asked
    (notified, and in their inbox) to open it."""
    title = check_field(Circle, "title", title.strip())
    purpose = check_field(Circle, "purpose", purpose.strip())
    place = check_field(Circle, "place", place.strip())
    if not title:
        raise ServiceError(_("Give the circle a title."), field="title")
    if not purpose:
        raise ServiceError(_("Say what the circle is for."), field="purpose")
    _check_format(format)
    _check_max(max_members)
    _check_people(person, facilitator, sponsor)
    facilitator = facilitator or person
    circle = Circle.objects.create(
        title=title,
        purpose=purpose,
        facilitator=facilitator,
        sponsor=sponsor,
        community=community,
        private=private,
        format=format,
        place=place,
        max_members=max_members,
        created_by=person,
    )
    circle.skills.set(list(skills))
    _seat(circle, person, ACTIVE)
    if facilitator.pk != person.pk:
        _seat(circle, facilitator, INVITED)
        _tell(
            facilitator,
            circle,
            f"facilitate:{facilitator.pk}",
            gettext_noop("%(who)s asks you to facilitate the learning circle “%(title)s”"),
            params={"who": person.full_name},
            action=gettext_noop("Open it, or decline"),
        )
    return circle


@transaction.atomic
def open_circle(*, person: Person, circle: Circle) -> Circle:
    """The facilitator opens the draft (and so accepts to facilitate it)."""
    circle = _locked(circle)
    check_facilitator(person, circle)
    if circle.state != S.DRAFT:
        raise ServiceError(_("This circle is already open."), status=409)
    if queries.seat_of(person, circle) is None or not queries.is_member(person, circle):
        check_room(circle)
    _seat(circle, person, ACTIVE)
    circle.state = S.OPEN
    circle.save(update_fields=["state"])
    return circle


@transaction.atomic
def decline_facilitation(*, person: Person, circle: Circle) -> Circle:
    """The colleague named as facilitator declines: the creator facilitates it again."""
    circle = _locked(circle)
    check_facilitator(person, circle)
    if circle.state != S.DRAFT or circle.created_by_id == person.pk:
        raise ServiceError(_("There is nothing to decline."), status=409)
    circle.facilitator = circle.created_by
    circle.save(update_fields=["facilitator"])
    CircleMember.objects.filter(circle=circle, person=person, state=INVITED).update(state=LEFT)
    _tell(
        circle.created_by,
        circle,
        f"facilitation-declined:{person.pk}",
        gettext_noop("%(who)s will not facilitate “%(title)s”: you facilitate it again"),
        params={"who": person.full_name},
        action=gettext_noop("See the circle"),
    )
    return circle


# --- seats ---------------------------------------------------------------------------------


@transaction.atomic
def join(*, person: Person, circle: Circle) -> CircleMember:
    """Take a seat in an open or running circle (private ones: by invitation only)."""
    circle = _locked(circle)
    seat = queries.seat_of(person, circle)
    if circle.private and (seat is None or seat.state == LEFT):
        raise NotFound(_("No such learning circle."))
    check_not_closed(circle)
    if circle.state == S.DRAFT:
        raise ServiceError(_("This circle is not open yet."), status=409)
    if seat is not None and seat.state == ACTIVE:
        raise ServiceError(_("You are already a member of this circle."), status=409)
    check_room(circle)
    seat = _seat(circle, person, ACTIVE)
    _event(person, verbs.JOINED, circle)
    return seat


@transaction.atomic
def invite(*, by: Person, circle: Circle, people: Sequence[Person]) -> list[CircleMember]:
    """The facilitator (or the creator) invites colleagues: each can accept or decline from
    the inbox. Seats held and invitations together stay within the circle's size."""
    circle = _locked(circle)
    check_inviter(by, circle)
    check_not_closed(circle)
    existing = set(
        CircleMember.objects.filter(circle=circle, state__in=(ACTIVE, INVITED)).values_list(
            "person_id", flat=True
        )
    )
    new = [p for p in dict.fromkeys(people) if p.pk not in existing and p.user.is_active]
    if not new:
        raise ServiceError(_("Everyone named is already in the circle or invited."), field="people")
    if len(existing) + len(new) > circle.max_members:
        raise ServiceError(
            _("That is more people than the circle holds (%(n)d at most).")
            % {"n": circle.max_members},
            field="people",
            status=409,
        )
    seats = []
    for other in new:
        seats.append(_seat(circle, other, INVITED))
        _tell(
            other,
            circle,
            f"invited:{other.pk}",
            gettext_noop("%(who)s invites you to the learning circle “%(title)s”"),
            params={"who": by.full_name},
            action=gettext_noop("Accept or decline"),
        )
    return seats


def _invitation(person: Person, circle: Circle) -> CircleMember:
    seat = queries.seat_of(person, circle)
    if seat is None or seat.state != INVITED:
        raise NotFound(_("You have no invitation to this circle."))
    return seat


@transaction.atomic
def accept_invitation(*, person: Person, circle: Circle) -> CircleMember:
    circle = _locked(circle)
    _invitation(person, circle)
    check_not_closed(circle)
    check_room(circle)
    seat = _seat(circle, person, ACTIVE)
    _event(person, verbs.JOINED, circle)
    return seat


@transaction.atomic
def decline_invitation(*, person: Person, circle: Circle) -> CircleMember:
    circle = _locked(circle)
    seat = _invitation(person, circle)
    if person.pk == circle.facilitator_id:
        raise ServiceError(
            _("You are named as its facilitator: decline facilitating it instead."), status=409
        )
    seat.state = LEFT
    seat.save(update_fields=["state"])
    return seat


@transaction.atomic
def leave(*, person: Person, circle: Circle) -> CircleMember:
    circle = _locked(circle)
    check_member(person, circle)
    if person.pk == circle.facilitator_id:
        raise ServiceError(_("The facilitator cannot leave the circle."), status=409)
    seat = _seat(circle, person, LEFT)
    return seat


# --- goals -----------------------------------------------------------------------------------


@transaction.atomic
def set_goal(*, person: Person, circle: Circle, goal: str) -> CircleMember:
    """A member states what they want from the circle (at the start)."""
    check_member(person, circle)
    check_not_closed(circle)
    goal = check_field(CircleMember, "goal", goal.strip())
    if not goal:
        raise ServiceError(_("Write your goal in a few words."), field="goal")
    seat = CircleMember.objects.get(circle=circle, person=person)
    seat.goal = goal
    seat.save(update_fields=["goal"])
    return seat


def _check_rating(rating: int | None, field: str, *, required: bool = False) -> None:
    if rating is None:
        if required:
            raise ServiceError(_("Give a rating from 1 to 5."), field=field)
        return
    if not RATING[0] <= rating <= RATING[1]:
        raise ServiceError(_("Give a rating from 1 to 5."), field=field)


@transaction.atomic
def rate_goal(*, person: Person, circle: Circle, rating: int) -> CircleMember:
    """At the end: was my goal met (1 to 5)? Once sessions were held, and after closing."""
    check_member(person, circle)
    seat = CircleMember.objects.get(circle=circle, person=person)
    if not seat.goal:
        raise ServiceError(_("State your goal first."), field="goal", status=409)
    if not queries.past_sessions(circle).exists():
        raise ServiceError(_("Rate your goal once the circle has held sessions."), status=409)
    _check_rating(rating, "rating", required=True)
    seat.goal_rating = rating
    seat.save(update_fields=["goal_rating"])
    return seat


# --- sessions ----------------------------------------------------------------------------


def _check_when(starts_at: datetime, minutes: int) -> None:
    if starts_at <= timezone.now():
        raise ServiceError(_("Choose a date and time in the future."), field="starts_at")
    if not 15 <= minutes <= 240:
        raise ServiceError(_("A session lasts from 15 to 240 minutes."), field="minutes")


def _send_session(session: CircleSession, step: str, method: str) -> None:
    """Tell every active member, with the invitation (or cancellation) attached."""
    circle = session.circle
    members = queries.active_members(circle)
    subjects = {
        "scheduled": gettext_noop("Learning circle “%(title)s”: session %(n)s on %(when)s"),
        "moved": gettext_noop("Learning circle “%(title)s”: session %(n)s moved to %(when)s"),
        "cancelled": gettext_noop("Learning circle “%(title)s”: session %(n)s is cancelled"),
    }
    lines = [gettext_noop("When: %(when)s, %(minutes)s minutes"), gettext_noop("How: %(how)s")]
    if session.place:
        lines.append(gettext_noop("Where: %(place)s"))
    lines.append(
        gettext_noop("The attached cancellation removes it from your calendar.")
        if method == ics.CANCEL
        else gettext_noop("The invitation is attached: add it to your calendar.")
    )
    for person in members:
        with translation.override(person.language or settings.LANGUAGE_CODE):
            calendar = ics.calendar(session, members, method)
        notify(
            person,
            SESSION_KIND,
            key=f"circle-session:{session.pk}:{step}:{session.sequence}",
            subject=subjects[step],
            lines=lines,
            params={
                "title": circle.title,
                "n": session.number,
                "when": session.starts_at,
                "minutes": session.minutes,
                "how": dict(FORMATS)[session.format],
                "place": session.place,
            },
            url=_url(circle, "#next-session"),
            action=gettext_noop("See the circle"),
            calendar=calendar,
        )


@transaction.atomic
def schedule_session(
    *,
    person: Person,
    circle: Circle,
    starts_at: datetime,
    minutes: int = 60,
    format: str = "",
    place: str = "",
) -> CircleSession:
    """The facilitator schedules the next session; each member receives an invitation."""
    circle = _locked(circle)
    check_facilitator(person, circle)
    check_not_closed(circle)
    if circle.state == S.DRAFT:
        raise ServiceError(_("Open the circle before scheduling sessions."), status=409)
    check_enough(circle)
    format = format or circle.format
    _check_format(format)
    _check_when(starts_at, minutes)
    place = check_field(CircleSession, "place", (place or circle.place).strip())
    last = circle.sessions.order_by("-number").values_list("number", flat=True).first() or 0
    session = CircleSession.objects.create(
        circle=circle,
        number=last + 1,
        starts_at=starts_at,
        minutes=minutes,
        format=format,
        place=place,
        prompt=queries.prompt_for(last + 1),
    )
    if circle.state == S.OPEN:
        circle.state = S.RUNNING
        circle.save(update_fields=["state"])
    session.circle = circle
    _send_session(session, "scheduled", ics.REQUEST)
    return session


def _session_locked(session: CircleSession) -> CircleSession:
    return (
        CircleSession.objects.select_for_update(of=("self",))
        .select_related("circle__facilitator")
        .get(pk=session.pk)
    )


def _check_upcoming(session: CircleSession) -> None:
    if session.cancelled_at is not None:
        raise ServiceError(_("This session is cancelled."), status=409)
    if session.starts_at <= timezone.now():
        raise ServiceError(_("This session has already started."), status=409)


@transaction.atomic
def move_session(
    *,
    person: Person,
    session: CircleSession,
    starts_at: datetime,
    minutes: int = 60,
    format: str = "",
    place: str = "",
) -> CircleSession:
    """The facilitator moves an upcoming session: calendars update (a new SEQUENCE)."""
    session = _session_locked(session)
    check_facilitator(person, session.circle)
    _check_upcoming(session)
    format = format or session.format
    _check_format(format)
    _check_when(starts_at, minutes)
    session.starts_at = starts_at
    session.minutes = minutes
    session.format = format
    session.place = check_field(CircleSession, "place", place.strip())
    session.sequence += 1
    session.save(update_fields=["starts_at", "minutes", "format", "place", "sequence"])
    _send_session(session, "moved", ics.REQUEST)
    return session


@transaction.atomic
def cancel_session(*, person: Person, session: CircleSession) -> CircleSession:
    session = _session_locked(session)
    check_facilitator(person, session.circle)
    _check_upcoming(session)
    session.cancelled_at = timezone.now()
    session.sequence += 1
    session.save(update_fields=["cancelled_at", "sequence"])
    _send_session(session, "cancelled", ics.CANCEL)
    return session


def invite_for(person: Person, session_id: int) -> tuple[CircleSession, bytes]:
    """A session's ``.ics`` for one of its circle's members (others: 404)."""
    session = queries.session_for(person, session_id)
    if not queries.is_member(person, session.circle):
        raise NotFound(_("No such session."))
    method = ics.CANCEL if session.cancelled_at else ics.REQUEST
    return session, ics.calendar(session, queries.active_members(session.circle), method)


def _check_held(session: CircleSession) -> None:
    if session.cancelled_at is not None:
        raise ServiceError(_("This session is cancelled."), status=409)
    if session.starts_at > timezone.now():
        raise ServiceError(_("This session has not started yet."), status=409)


@transaction.atomic
def mark_attendance(
    *, person: Person, session: CircleSession, present: Iterable[int]
) -> list[Attendance]:
    """The facilitator says who was there (``present``: people's ids, members of the circle;
    the facilitator is always present). Each member newly present writes ATTENDED, the
    facilitator FACILITATED, once. A presence once marked stays (the event log keeps it)."""
    session = _session_locked(session)
    circle = session.circle
    check_facilitator(person, circle)
    _check_held(session)
    members = {p.pk: p for p in queries.active_members(circle)}
    wanted = {int(pk) for pk in present} | {person.pk}
    if wanted - set(members):
        raise ServiceError(_("Only the circle's members can be marked present."), field="present")
    before = {a.person_id: a for a in session.attendance.all()}
    kept = [a.person_id for a in before.values() if a.present and a.person_id not in wanted]
    if kept:
        raise ServiceError(
            _("%(name)s was already marked present: a presence once marked stays.")
            % {"name": Person.objects.get(pk=kept[0]).full_name},
            field="present",
            status=409,
        )
    was = {pk for pk, a in before.items() if a.present}
    rows = []
    for pk, member in members.items():
        is_present = pk in wanted
        row = before.get(pk)
        if row is None:
            row = Attendance.objects.create(
                session=session, person=member, present=is_present, marked_by=person
            )
        elif row.present != is_present:
            row.present, row.marked_by = is_present, person
            row.save(update_fields=["present", "marked_by"])
        rows.append(row)
        if is_present and pk not in was:
            _record_presence(member, person, session)
    return rows


def _record_presence(member: Person, facilitator: Person, session: CircleSession) -> None:
    circle = session.circle
    if member.pk == facilitator.pk:
        _event(facilitator, community_verbs.FACILITATED, circle, object_id=session_iri(session))
    else:
        _event(member, verbs.ATTENDED, circle, object_id=session_iri(session), other=facilitator)


@transaction.atomic
def reflect(
    *, person: Person, session: CircleSession, text: str, rating: int | None = None
) -> Reflection:
    """A member's short reflection after a session, on its prompt (read by the circle's
    members only). One each."""
    session = _session_locked(session)
    check_member(person, session.circle)
    _check_held(session)
    text = check_field(Reflection, "text", text.strip())
    if not text:
        raise ServiceError(_("Write a few words."), field="text")
    _check_rating(rating, "rating")
    if Reflection.objects.filter(session=session, person=person).exists():
        raise ServiceError(_("You already wrote your reflection on this session."), status=409)
    reflection = Reflection.objects.create(
        session=session, person=person, prompt=session.prompt, text=text, rating=rating
    )
    _event(
        person,
        community_verbs.REFLECTED,
        session.circle,
        object_id=session_iri(session),
        result={"score": {"raw": rating, "min": 1, "max": 5}} if rating else None,
    )
    return reflection


# --- the end --------------------------------------------------------------------------------


@transaction.atomic
def close_circle(*, person: Person, circle: Circle, review: str) -> Circle:
    """The facilitator writes the closing review; the circle closes and its upcoming
    sessions are cancelled (calendars told)."""
    circle = _locked(circle)
    check_facilitator(person, circle)
    check_not_closed(circle)
    if circle.state != S.RUNNING:
        raise ServiceError(_("Only a circle that has held sessions can close."), status=409)
    review = check_field(Circle, "closing_review", review.strip())
    if not review:
        raise ServiceError(_("Write the closing review in a few lines."), field="review")
    for session in circle.sessions.filter(cancelled_at__isnull=True, starts_at__gt=timezone.now()):
        cancel_session(person=person, session=session)
    circle.closing_review = review
    circle.state = S.CLOSED
    circle.closed_at = timezone.now()
    circle.save(update_fields=["closing_review", "state", "closed_at"])
    for member in queries.active_members(circle):
        if member.pk != person.pk:
            _tell(
                member,
                circle,
                f"closed:{member.pk}",
                gettext_noop("The learning circle “%(title)s” is closed: rate your goal"),
                action=gettext_noop("Rate my goal"),
                url=_url(circle, "#goals"),
            )
    return circle


# --- the structure lever ------------------------------------------------------------------


def check_structure(person: Person) -> None:
    if not any(person.user.has_perm(p) for p in STRUCTURE_PERMS):
        raise Forbidden(_("Only learning animators create circles from open requests."))


@transaction.atomic
def create_from_requests(*, person: Person, skill_code: str) -> Circle:
    """The structure lever's one click: a draft circle on ``skill_code`` facilitated by the
    animator, inviting the authors of the open requests on that skill (as many as it
    holds)."""
    check_structure(person)
    skill = Skill.objects.filter(code=skill_code).first()
    if skill is None:
        raise ServiceError(_("Unknown skill."), field="skill")
    authors = list(open_request_authors(skill).exclude(pk=person.pk).select_related("user"))
    if not authors:
        raise ServiceError(_("Nobody has an open request on this skill now."), status=409)
    circle = create_circle(
        person=person,
        title=check_field(Circle, "title", _("Learning circle: %(skill)s") % {"skill": skill.name}),
        purpose=_(
            "Learn %(skill)s together: several colleagues asked for it on the exchange board."
        )
        % {"skill": skill.name},
        skills=[skill],
    )
    invite(by=person, circle=circle, people=authors[: circle.max_members - 1])
    return circle
