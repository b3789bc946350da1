"""Learning circles' rules through their services: drafts and opening, seats (≤ max), the
≥ 4 rule for sessions, who schedules and marks attendance, who reflects, rotating prompts,
the events' actors, the calendar invitations and the structure lever."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from sylva.communities import verbs as cverbs
from sylva.communities.models import Attendance, Circle, CircleMember, CircleSession, Reflection
from sylva.communities.queries import circles as queries
from sylva.communities.services import circles as services
from sylva.core.errors import ServiceError
from sylva.exchange.services import board
from sylva.notifications.models import Notification
from sylva.people import verbs
from sylva.people.models import LearningEvent, Person
from tests.factories import Org

pytestmark = pytest.mark.django_db


def _others(org: Org) -> list[Person]:
    return list(Person.objects.filter(user__username__startswith="operator").order_by("pk"))


def running(org: Org, *, members: int = 4) -> Circle:
    """A circle facilitated by the expert, open, with ``members`` active members."""
    circle = services.create_circle(
        person=org.expert, title="Réglages", purpose="Learn setups", skills=[org.extrude]
    )
    services.open_circle(person=org.expert, circle=circle)
    for p in [org.learner, org.newcomer, *_others(org)][: members - 1]:
        services.join(person=p, circle=circle)
    return circle


def _past(session: CircleSession) -> CircleSession:
    CircleSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=2)
    )
    session.refresh_from_db()
    return session


def _soon() -> object:
    return timezone.now() + timedelta(days=2)


def test_a_circle_is_a_draft_until_its_facilitator_opens_it(org: Org) -> None:
    circle = services.create_circle(
        person=org.learner, title="T", purpose="P", facilitator=org.expert
    )
    assert circle.state == "draft" and circle.facilitator == org.expert
    assert CircleMember.objects.get(circle=circle, person=org.expert).state == "invited"
    assert Notification.objects.filter(person=org.expert, kind="communities.circle").exists()
    assert list(queries.to_facilitate(org.expert)) == [circle]
    with pytest.raises(ServiceError) as refused:
        services.open_circle(person=org.learner, circle=circle)
    assert refused.value.status == 403
    with pytest.raises(ServiceError):
        services.join(person=org.newcomer, circle=circle)
    services.open_circle(person=org.expert, circle=circle)
    circle.refresh_from_db()
    assert circle.state == "open"
    assert queries.is_member(org.expert, circle)


def test_a_named_facilitator_declines_and_the_creator_takes_it_back(org: Org) -> None:
    circle = services.create_circle(
        person=org.learner, title="T", purpose="P", facilitator=org.expert
    )
    services.decline_facilitation(person=org.expert, circle=circle)
    circle.refresh_from_db()
    assert circle.facilitator == org.learner


def test_bad_input_is_refused_with_nothing_made(org: Org) -> None:
    for kwargs, field in (
        ({"title": ""}, "title"),
        ({"purpose": "  "}, "purpose"),
        ({"max_members": 3}, "max_members"),
        ({"max_members": 13}, "max_members"),
        ({"format": "carrier-pigeon"}, "format"),
        ({"title": "x" * 500}, "title"),
    ):
        with pytest.raises(ServiceError) as refused:
            services.create_circle(person=org.learner, **{"title": "T", "purpose": "P", **kwargs})
        assert refused.value.field == field
    assert not Circle.objects.exists()


def test_seats_stop_at_the_maximum(org: Org) -> None:
    circle = services.create_circle(person=org.expert, title="T", purpose="P", max_members=4)
    services.open_circle(person=org.expert, circle=circle)
    for p in (org.learner, org.newcomer, _others(org)[0]):
        services.join(person=p, circle=circle)
    with pytest.raises(ServiceError) as refused:
        services.join(person=_others(org)[1], circle=circle)
    assert refused.value.status == 409
    assert queries.active_count(circle) == 4
    with pytest.raises(ServiceError):  # invitations count too
        services.invite(by=org.expert, circle=circle, people=[_others(org)[1]])


def test_sessions_need_four_members(org: Org) -> None:
    circle = running(org, members=3)
    with pytest.raises(ServiceError) as refused:
        services.schedule_session(person=org.expert, circle=circle, starts_at=_soon())
    assert refused.value.status == 409
    assert "at least 4 members" in refused.value.message
    assert not CircleSession.objects.exists()
    services.join(person=_others(org)[2], circle=circle)
    session = services.schedule_session(person=org.expert, circle=circle, starts_at=_soon())
    circle.refresh_from_db()
    assert session.number == 1 and circle.state == "running"


def test_only_the_facilitator_schedules_and_marks_attendance(org: Org) -> None:
    circle = running(org)
    with pytest.raises(ServiceError) as refused:
        services.schedule_session(person=org.learner, circle=circle, starts_at=_soon())
    assert refused.value.status == 403
    session = services.schedule_session(person=org.expert, circle=circle, starts_at=_soon())
    with pytest.raises(ServiceError) as refused:  # not started yet
        services.mark_attendance(person=org.expert, session=session, present=[org.learner.pk])
    _past(session)
    for who in (org.learner, org.animator):
        with pytest.raises(ServiceError) as refused:
            services.mark_attendance(person=who, session=session, present=[org.learner.pk])
        assert refused.value.status == 403
    with pytest.raises(ServiceError) as refused:  # a stranger cannot be marked present
        services.mark_attendance(person=org.expert, session=session, present=[org.animator.pk])
    assert not Attendance.objects.exists()


def test_attendance_writes_attended_and_facilitated_with_the_right_actor(org: Org) -> None:
    circle = running(org)
    session = _past(services.schedule_session(person=org.expert, circle=circle, starts_at=_soon()))
    services.mark_attendance(person=org.expert, session=session, present=[org.learner.pk])
    attended = LearningEvent.objects.filter(verb=verbs.ATTENDED.iri)
    assert [(e.actor, e.other) for e in attended] == [(org.learner, org.expert)]
    facilitated = LearningEvent.objects.filter(verb=cverbs.FACILITATED.iri)
    assert [e.actor for e in facilitated] == [org.expert]
    assert attended.get().skill == org.extrude
    # marking again adds the newcomer, writes nothing twice
    services.mark_attendance(
        person=org.expert, session=session, present=[org.learner.pk, org.newcomer.pk]
    )
    assert attended.all().count() == 2 and facilitated.all().count() == 1
    assert Attendance.objects.filter(session=session, present=True).count() == 3
    # a presence once marked stays
    with pytest.raises(ServiceError) as refused:
        services.mark_attendance(person=org.expert, session=session, present=[])
    assert refused.value.status == 409


def test_only_members_reflect_once_after_the_session(org: Org) -> None:
    circle = running(org)
    session = services.schedule_session(person=org.expert, circle=circle, starts_at=_soon())
    with pytest.raises(ServiceError):  # before it took place
        services.reflect(person=org.learner, session=session, text="Hm")
    _past(session)
    with pytest.raises(ServiceError) as refused:
        services.reflect(person=org.animator, session=session, text="I was not there")
    assert refused.value.status == 403
    with pytest.raises(ServiceError) as refused:
        services.reflect(person=org.learner, session=session, text="ok", rating=6)
    assert refused.value.field == "rating"
    reflection = services.reflect(person=org.learner, session=session, text="Useful", rating=4)
    assert reflection.prompt == queries.PROMPTS[0]
    event = LearningEvent.objects.get(verb=cverbs.REFLECTED.iri)
    assert event.actor == org.learner and event.result["score"]["raw"] == 4
    with pytest.raises(ServiceError) as refused:
        services.reflect(person=org.learner, session=session, text="Again")
    assert refused.value.status == 409
    assert Reflection.objects.count() == 1
    assert list(queries.reflections_of(org.newcomer, session)) == [reflection]
    assert list(queries.reflections_of(org.animator, session)) == []


def test_prompts_rotate_with_the_session_number(org: Org) -> None:
    circle = running(org)
    prompts = [
        services.schedule_session(
            person=org.expert, circle=circle, starts_at=_soon() + timedelta(days=i)
        ).prompt
        for i in range(len(queries.PROMPTS) + 1)
    ]
    assert prompts[: len(queries.PROMPTS)] == list(queries.PROMPTS)
    assert prompts[-1] == queries.PROMPTS[0]
    assert len(set(queries.PROMPTS)) == len(queries.PROMPTS) >= 8
    assert queries.prompt_for(2) == "What will you try at work this week?"


def _ics(notification: Notification) -> object:
    return Calendar.from_ical(notification.calendar)


def test_each_member_receives_the_invitation_then_its_update_and_cancellation(org: Org) -> None:
    circle = running(org)
    session = services.schedule_session(
        person=org.expert, circle=circle, starts_at=_soon(), format="video", place="https://meet"
    )
    sent = Notification.objects.filter(kind="communities.session")
    assert sent.count() == 4
    cal = _ics(sent.get(person=org.learner))
    assert cal["method"] == "REQUEST"
    event = cal.walk("VEVENT")[0]
    assert int(event["sequence"]) == 0
    assert event["uid"] == f"circle-session-{session.pk}@sylva"
    assert event["organizer"].params["cn"] == org.expert.full_name
    attendees = {str(a.params["cn"]) for a in event.get("attendee")}
    assert attendees == {p.full_name for p in queries.active_members(circle)}
    assert len(attendees) == 4 and org.learner.full_name in attendees
    assert str(event["location"]) == "https://meet"
    services.move_session(
        person=org.expert, session=session, starts_at=_soon() + timedelta(days=1), minutes=90
    )
    moved = _ics(sent.filter(person=org.learner).order_by("-pk").first())
    assert moved["method"] == "REQUEST"
    assert int(moved.walk("VEVENT")[0]["sequence"]) == 1
    services.cancel_session(person=org.expert, session=session)
    cancelled = _ics(sent.filter(person=org.learner).order_by("-pk").first())
    assert cancelled["method"] == "CANCEL"
    assert int(cancelled.walk("VEVENT")[0]["sequence"]) == 2
    assert str(cancelled.walk("VEVENT")[0]["status"]) == "CANCELLED"
    assert sent.filter(person=org.learner).count() == 3


def test_the_ics_download_is_for_members_only(org: Org) -> None:
    circle = running(org)
    session = services.schedule_session(person=org.expert, circle=circle, starts_at=_soon())
    _found, calendar = services.invite_for(org.newcomer, session.pk)
    assert Calendar.from_ical(calendar)["method"] == "REQUEST"
    with pytest.raises(ServiceError) as refused:
        services.invite_for(org.animator, session.pk)
    assert refused.value.status == 404


def test_goals_then_their_rating_and_the_closing_review(org: Org) -> None:
    circle = running(org)
    services.set_goal(person=org.learner, circle=circle, goal="Set up line 3 alone")
    with pytest.raises(ServiceError):  # no session held yet
        services.rate_goal(person=org.learner, circle=circle, rating=4)
    with pytest.raises(ServiceError) as refused:
        services.set_goal(person=org.animator, circle=circle, goal="Not mine")
    assert refused.value.status == 403
    _past(services.schedule_session(person=org.expert, circle=circle, starts_at=_soon()))
    upcoming = services.schedule_session(person=org.expert, circle=circle, starts_at=_soon())
    services.rate_goal(person=org.learner, circle=circle, rating=4)
    with pytest.raises(ServiceError) as refused:
        services.close_circle(person=org.learner, circle=circle, review="Done")
    assert refused.value.status == 403
    with pytest.raises(ServiceError):
        services.close_circle(person=org.expert, circle=circle, review=" ")
    services.close_circle(person=org.expert, circle=circle, review="We learned a lot.")
    circle.refresh_from_db()
    upcoming.refresh_from_db()
    assert circle.state == "closed" and circle.closing_review == "We learned a lot."
    assert upcoming.cancelled_at is not None
    assert CircleMember.objects.get(circle=circle, person=org.learner).goal_rating == 4
    with pytest.raises(ServiceError):
        services.join(person=org.animator, circle=circle)


def test_private_circles_by_invitation_only(org: Org) -> None:
    circle = services.create_circle(person=org.expert, title="Secret", purpose="P", private=True)
    services.open_circle(person=org.expert, circle=circle)
    with pytest.raises(ServiceError) as refused:
        services.join(person=org.learner, circle=circle)
    assert refused.value.status == 404
    assert circle not in queries.visible_circles(org.learner)
    assert circle not in queries.open_to_join(org.learner)
    services.invite(by=org.expert, circle=circle, people=[org.learner])
    assert circle in queries.visible_circles(org.learner)
    with pytest.raises(ServiceError) as refused:  # only the facilitator invites
        services.invite(by=org.learner, circle=circle, people=[org.newcomer])
    assert refused.value.status == 403
    services.accept_invitation(person=org.learner, circle=circle)
    assert queries.is_member(org.learner, circle)
    assert LearningEvent.objects.filter(verb=verbs.JOINED.iri, actor=org.learner).exists()


def test_an_invitation_can_be_declined(org: Org) -> None:
    circle = running(org)
    services.invite(by=org.expert, circle=circle, people=[org.manager])
    services.decline_invitation(person=org.manager, circle=circle)
    assert CircleMember.objects.get(circle=circle, person=org.manager).state == "left"
    with pytest.raises(ServiceError):
        services.accept_invitation(person=org.manager, circle=circle)


def test_the_structure_lever_makes_a_draft_inviting_the_requests_authors(org: Org) -> None:
    authors = [org.learner, org.newcomer, *_others(org)]
    for p in authors:
        board.publish_request(person=p, skill_codes=["extrusion-setup"])
    board.publish_request(person=org.expert, skill_codes=["excel"])
    with pytest.raises(ServiceError) as refused:
        services.create_from_requests(person=org.learner, skill_code="extrusion-setup")
    assert refused.value.status == 403
    with pytest.raises(ServiceError):
        services.create_from_requests(person=org.animator, skill_code="no-such-skill")
    with pytest.raises(ServiceError):
        services.create_from_requests(person=org.animator, skill_code="machine-safety")
    assert not Circle.objects.exists()
    circle = services.create_from_requests(person=org.animator, skill_code="extrusion-setup")
    assert circle.state == "draft"
    assert circle.created_by == org.animator and circle.facilitator == org.animator
    assert list(circle.skills.all()) == [org.extrude]
    invited = set(
        CircleMember.objects.filter(circle=circle, state="invited").values_list("person", flat=True)
    )
    assert invited == {p.pk for p in authors}
    assert Notification.objects.filter(kind="communities.circle", person=org.learner).exists()
