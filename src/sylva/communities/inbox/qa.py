"""What waits on a person in the posts: the asker's questions with answers to accept ("your
turn"), and, for hosts and moderators, the open reports to look at."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sylva.communities.queries import qa as queries
from sylva.core.pillars import InboxAction, InboxItem

#: at most this many of each kind in the inbox (the moderation page has them all)
SHOWN = 20


def _questions(person: Any) -> list[InboxItem]:
    items = []
    for post in queries.to_accept(person).select_related("community")[:SHOWN]:
        url = reverse("communities:post", args=[post.pk])
        n = post.answers  # type: ignore[attr-defined]
        items.append(
            InboxItem(
                kind="communities.accept",
                title=ngettext(
                    "Your question has %(n)d answer: accept it if it helped",
                    "Your question has %(n)d answers: accept the one that helped",
                    n,
                )
                % {"n": n},
                detail=post.title,
                url=url,
                since=post.last_activity_at,
                mine=True,
                actions=(InboxAction(_("See the answers"), url + "#replies", "get", primary=True),),
            )
        )
    return items


def _reports(person: Any) -> list[InboxItem]:
    items = []
    for flag in queries.open_flags(person)[:SHOWN]:
        row = queries.describe_flag(flag)
        post, reply = row["post"], row["reply"]
        hide = (
            reverse("communities:hide_reply", args=[reply.pk])
            if reply is not None
            else reverse("communities:hide_post", args=[post.pk])
        )
        items.append(
            InboxItem(
                kind="communities.report",
                title=_("A report to look at: %(title)s") % {"title": post.title},
                detail=_("What is wrong: %(reason)s") % {"reason": flag.reason},
                url=reverse("communities:moderation") + f"#flag-{flag.pk}",
                since=flag.created_at,
                mine=True,
                actions=(
                    InboxAction(_("Hide it…"), hide, "get", primary=True),
                    InboxAction(
                        _("Nothing wrong: close"),
                        reverse("communities:dismiss_flag", args=[flag.pk]),
                    ),
                ),
            )
        )
    return items


def items(person: Any) -> list[InboxItem]:
    return _questions(person) + _reports(person)


def waiting(person: Any) -> list[QuerySet[Any]]:
    """My questions with answers to accept, the open reports I moderate."""
    return [queries.to_accept(person), queries.open_flags(person)]
