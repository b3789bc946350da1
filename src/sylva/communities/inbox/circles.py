"""What waits on a person in the learning circles: invitations to accept or decline, drafts
one is asked to facilitate (open them), and past sessions to reflect on. Actions post to
the circle pages' own endpoints (they honour the inbox's ``next``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sylva.communities.queries import circles as queries
from sylva.core.pillars import InboxAction, InboxItem


def _invitations(person: Any) -> list[InboxItem]:
    found = []
    for seat in queries.circle_invitations(person)[:20]:
        circle = seat.circle
        if circle.facilitator_id == person.pk:
            continue  # asked to facilitate: the draft's own item
        found.append(
            InboxItem(
                kind="communities.circle",
                title=_("Learning circle: %(title)s") % {"title": circle.title},
                detail=_("%(name)s invites you to join.") % {"name": circle.facilitator.full_name},
                url=reverse("communities:circle", args=[circle.pk]),
                since=seat.joined_at,
                actions=(
                    InboxAction(
                        _("Accept"),
                        reverse("communities:circle_accept", args=[circle.pk]),
                        primary=True,
                    ),
                    InboxAction(
                        _("Decline"), reverse("communities:circle_decline", args=[circle.pk])
                    ),
                ),
            )
        )
    return found


def _drafts(person: Any) -> list[InboxItem]:
    return [
        InboxItem(
            kind="communities.circle",
            title=_("Facilitate the learning circle: %(title)s") % {"title": circle.title},
            detail=_("Open it to accept, or decline on its page."),
            url=reverse("communities:circle", args=[circle.pk]),
            since=circle.created_at,
            actions=(
                InboxAction(
                    _("Open the circle"),
                    reverse("communities:circle_open", args=[circle.pk]),
                    primary=True,
                ),
                InboxAction(
                    _("I will not facilitate it"),
                    reverse("communities:circle_decline_facilitation", args=[circle.pk]),
                ),
            ),
        )
        for circle in queries.to_facilitate(person)[:20]
    ]


def _reflections(person: Any) -> list[InboxItem]:
    return [
        InboxItem(
            kind="communities.session",
            title=_("Your reflection on session %(n)d of %(title)s")
            % {"n": session.number, "title": session.circle.title},
            detail=_(session.prompt) if session.prompt else "",
            url=reverse("communities:circle_session", args=[session.pk]) + "#reflections",
            since=session.starts_at,
            actions=(
                InboxAction(
                    _("Write my reflection"),
                    reverse("communities:circle_session", args=[session.pk]) + "#reflections",
                    method="get",
                    primary=True,
                ),
            ),
        )
        for session in queries.sessions_to_reflect(person)[:20]
    ]


def _attendance(person: Any) -> list[InboxItem]:
    return [
        InboxItem(
            kind="communities.session",
            title=_("Mark who came to session %(n)d of %(title)s")
            % {"n": session.number, "title": session.circle.title},
            detail=_("You facilitate it: the attendance counts for each member."),
            url=reverse("communities:circle_session", args=[session.pk]) + "#attendance",
            since=session.starts_at,
            actions=(
                InboxAction(
                    _("Mark the attendance"),
                    reverse("communities:circle_session", args=[session.pk]) + "#attendance",
                    method="get",
                    primary=True,
                ),
            ),
        )
        for session in queries.attendance_to_mark(person)[:20]
    ]


def items(person: Any) -> list[InboxItem]:
    return [
        *_drafts(person),
        *_invitations(person),
        *_attendance(person),
        *_reflections(person),
    ]


def waiting(person: Any) -> list[QuerySet[Any]]:
    return [
        queries.circle_invitations(person).exclude(circle__facilitator=person),
        queries.to_facilitate(person),
        queries.attendance_to_mark(person),
        queries.sessions_to_reflect(person),
    ]
