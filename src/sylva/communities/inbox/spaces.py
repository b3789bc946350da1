"""What waits on a person in the communities of practice: as a host, the requests to join
to accept or decline (from the inbox, in one click); as an asker, their own requests,
waiting on the hosts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sylva.communities.models import Membership
from sylva.communities.queries import spaces as queries
from sylva.core.pillars import InboxAction, InboxItem

LIMIT = 50


def _request_item(m: Membership) -> InboxItem:
    args = [m.community.slug, m.pk]
    return InboxItem(
        kind="communities.request",
        title=_("%(who)s asks to join %(community)s")
        % {"who": m.person.full_name, "community": m.community.name},
        detail=_("You host this community: accept or decline."),
        url=reverse("communities:members", args=[m.community.slug]),
        since=m.created_at,
        actions=(
            InboxAction(
                _("Accept"), reverse("communities:accept_request", args=args), primary=True
            ),
            InboxAction(_("Decline"), reverse("communities:decline_request", args=args)),
        ),
    )


def _my_request(m: Membership) -> InboxItem:
    return InboxItem(
        kind="communities.asked",
        title=_("My request to join %(community)s") % {"community": m.community.name},
        detail=_("Waiting on its hosts."),
        url=reverse("communities:community", args=[m.community.slug]),
        since=m.created_at,
        mine=False,
    )


def items(person: Any) -> list[InboxItem]:
    hosting = [_request_item(m) for m in queries.requests_to_host(person)[:LIMIT]]
    asked = queries.my_pending_requests(person)[:LIMIT]
    return hosting + [_my_request(m) for m in asked]


def waiting(person: Any) -> list[QuerySet[Any]]:
    """The requests waiting on ``person`` as a host."""
    return [queries.requests_to_host(person)]
