"""What waits on a person in the routing: the questions they are invited to answer
("Answer", "Pass"), and for a community's hosts the questions escalated to them, still
without an answer ("Invite someone")."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sylva.communities.queries import routing as queries
from sylva.core.pillars import InboxAction, InboxItem

#: at most this many of each kind in the inbox (the page of my invitations lists them all)
SHOWN = 20


def _invited(invitation: Any) -> InboxItem:
    post = invitation.post
    reasons = queries.reason_texts(invitation.reasons)
    return InboxItem(
        kind="communities.invited",
        title=_("Can you answer? %(title)s") % {"title": post.title},
        detail=(
            _("You were invited because: %(why)s.") % {"why": "; ".join(reasons)}
            if reasons
            else _("A colleague's question, on a skill you hold.")
        ),
        url=queries.question_url(post),
        since=invitation.created_at,
        actions=(
            InboxAction(_("Answer"), queries.answer_url(post), method="get", primary=True),
            InboxAction(_("Pass"), reverse("communities:pass_invitation", args=[invitation.pk])),
        ),
    )


def _escalated(post: Any) -> InboxItem:
    return InboxItem(
        kind="communities.escalated",
        title=_("Unanswered in %(community)s: %(title)s")
        % {"community": post.community.name, "title": post.title},
        detail=_("%(asker)s is still waiting for an answer: invite a colleague who knows.")
        % {"asker": post.author.full_name},
        url=queries.question_url(post),
        since=post.escalated_at,
        actions=(
            InboxAction(_("Invite someone"), queries.invite_url(post), method="get", primary=True),
        ),
    )


def items(person: Any) -> list[InboxItem]:
    found = [_invited(i) for i in queries.pending(person)[:SHOWN]]
    return found + [_escalated(p) for p in queries.escalated_to(person)[:SHOWN]]


def waiting(person: Any) -> list[QuerySet[Any]]:
    """My pending invitations, the questions escalated to me."""
    return [queries.pending(person), queries.escalated_to(person)]
