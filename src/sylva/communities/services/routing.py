"""Routing a question to colleagues who know, and escalating it when nobody answers.

- :func:`route` invites up to ``MAX_INVITEES`` colleagues chosen by the rule of
  :mod:`sylva.communities.queries.routing` (skill level, willingness, exclusions, the weekly
  cap), in the question's transaction; each is told (``communities.invited``) once it
  commits, and finds the invitation in their inbox.
- :func:`invite` is a host's invitation by hand: the same rules, except that a host may go
  past the weekly cap (with a warning).
- :func:`pass_invitation`: the invitee passes. :func:`mark_answered` (called by the
  questions' reply service) and :func:`close_solved` keep the stored state in step; the
  reads derive it anyway (an invitee who replied has answered, a solved question closes).
- :func:`escalate_questions`: a question still without an answer
  ``SYLVA_COMMUNITIES_ESCALATE_HOURS`` after it was asked goes, once, to its community's
  hosts (``communities.escalated``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sylva.communities.models import Invitation, Post
from sylva.communities.queries import access
from sylva.communities.queries import routing as queries
from sylva.communities.queries.routing import CAP_DAYS, MAX_INVITEES, WEEKLY_CAP
from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.notifications.services import notify
from sylva.people.models import Person

__all__ = [
    "CAP_DAYS",
    "MAX_INVITEES",
    "WEEKLY_CAP",
    "HandInvitation",
    "close_solved",
    "escalate_questions",
    "invite",
    "mark_answered",
    "pass_invitation",
    "route",
]


def _tell_invitee(invitation: Invitation, person: Person) -> None:
    post = invitation.post
    with translation.override(person.language or settings.LANGUAGE_CODE):
        why = "; ".join(queries.reason_texts(invitation.reasons))
    notify(
        person,
        "communities.invited",
        key=f"communities:invited:{invitation.pk}",
        subject=gettext_noop("Can you answer a colleague's question? %(title)s"),
        lines=(
            gettext_noop("%(asker)s asks: %(title)s"),
            gettext_noop("You were invited because: %(why)s."),
            gettext_noop("If you cannot answer, pass: someone else will be asked."),
        ),
        params={"title": post.title, "asker": post.author.full_name, "why": why},
        url=queries.answer_url(post),
        action=gettext_noop("Answer"),
    )


def _create(
    post: Post, person: Person, candidate: queries.Candidate, by: Person | None
) -> Invitation:
    reasons = list(candidate.reasons)
    if by is not None:
        reasons.append({"key": "by_host", "name": by.full_name})
    invitation = Invitation.objects.create(
        post=post, invitee=person, score=candidate.score, reasons=reasons, by=by
    )
    _tell_invitee(invitation, person)
    return invitation


def route(*, post: Post) -> list[Invitation]:
    """Invite a few colleagues to answer ``post`` (a question); returns the invitations.

    Runs in the caller's transaction (the question's): a rollback invites nobody. A post
    that is not an open question, or names no skill, invites nobody."""
    if post.kind != Post.Kind.QUESTION or post.solved_at or post.hidden_at:
        return []
    with transaction.atomic():
        return [
            _create(post, person, candidate, None)
            for person, candidate in queries.invitees(post, limit=MAX_INVITEES)
        ]


@dataclass(frozen=True)
class HandInvitation:
    invitation: Invitation
    warning: str = ""  # said when a host went past the weekly cap


def check_may_invite(host: Person, post: Post) -> None:
    if not access.may_read_post(host, post):
        raise NotFound(_("No such question."))
    if not access.may_moderate_post(host, post):
        raise Forbidden(_("Only the community's hosts may invite a colleague by hand."))
    if post.kind != Post.Kind.QUESTION:
        raise ServiceError(_("Only a question can be routed to a colleague."), status=409)
    if post.solved_at or post.hidden_at:
        raise ServiceError(_("This question is solved or hidden: nobody to invite."), status=409)


def invite(
    *, host: Person, post: Post, invitee: Person, override_cap: bool = False
) -> HandInvitation:
    """A host invites ``invitee`` by hand, under the routing's rules; past the weekly cap
    only with ``override_cap`` (and then with a warning)."""
    check_may_invite(host, post)
    why_not = queries.refusal(post, invitee)
    if why_not:
        raise ServiceError(why_not, field="person")
    [candidate] = queries.ranked(post, person_ids=[invitee.pk], include_capped=True)
    warning = ""
    if candidate.recent >= WEEKLY_CAP:
        said = {"name": invitee.full_name, "n": candidate.recent, "days": CAP_DAYS}
        if not override_cap:
            raise ServiceError(
                _(
                    "%(name)s was already invited %(n)d times in the last %(days)d days. "
                    "Confirm to invite them anyway."
                )
                % said,
                field="override_cap",
                status=409,
            )
        warning = (
            _(
                "%(name)s was already invited %(n)d times in the last %(days)d days: they may "
                "take longer to answer."
            )
            % said
        )
    with transaction.atomic():
        invitation = _create(post, invitee, candidate, host)
    return HandInvitation(invitation, warning)


def pass_invitation(*, person: Person, invitation_id: int) -> Invitation:
    """The invitee passes: Sylva stops waiting on them for this question."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation_id, invitee=person)
            .select_related("post")
            .first()
        )
        if invitation is None:
            raise NotFound(_("No such invitation."))
        answered = invitation.post.replies.filter(author=person).exists()
        if invitation.state != Invitation.State.PENDING or answered:
            raise ServiceError(_("This invitation is no longer waiting on you."), status=409)
        if invitation.post.solved_at:
            raise ServiceError(_("This question is already solved."), status=409)
        invitation.state = Invitation.State.DECLINED
        invitation.save(update_fields=["state"])
    return invitation


def mark_answered(*, post: Post, person: Person) -> bool:
    """``person`` replied to ``post``: their invitation (if any) is answered. Idempotent;
    called by the reply service in its transaction. Returns whether one was marked."""
    changed = Invitation.objects.filter(
        post=post, invitee=person, state__in=(Invitation.State.PENDING, Invitation.State.DECLINED)
    ).update(state=Invitation.State.ANSWERED, answered_at=timezone.now())
    return bool(changed)


def close_solved(*, post: Post) -> int:
    """``post`` is solved: the invitations still waiting are closed. Idempotent."""
    return Invitation.objects.filter(post=post, state=Invitation.State.PENDING).update(
        state=Invitation.State.CLOSED
    )


def _escalate(post: Post, now: datetime) -> bool:
    with transaction.atomic():
        if not Post.objects.filter(pk=post.pk, escalated_at__isnull=True).update(escalated_at=now):
            return False  # escalated meanwhile (another run)
        assert post.community is not None
        for host in queries.hosts_of(post.community).exclude(pk=post.author_id):
            notify(
                host,
                "communities.escalated",
                key=f"communities:escalated:{post.pk}",
                subject=gettext_noop("A question waits for an answer in %(community)s"),
                lines=(
                    gettext_noop("%(asker)s asked: %(title)s"),
                    gettext_noop(
                        "Nobody has answered yet. As a host, you can invite a colleague who knows."
                    ),
                ),
                params={
                    "community": post.community.name,
                    "asker": post.author.full_name,
                    "title": post.title,
                },
                url=queries.invite_url(post),
                action=gettext_noop("Invite someone"),
            )
    return True


def escalate_questions(*, now: datetime | None = None) -> int:
    """Escalate, once, every question still unanswered after the delay; returns how many."""
    now = now or timezone.now()
    due = queries.due_for_escalation(now, settings.SYLVA_COMMUNITIES_ESCALATE_HOURS)
    return sum(1 for post in list(due) if _escalate(post, now))
