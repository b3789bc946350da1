"""What waits on a person in microlearning, for the inbox (the pillar contract's ``inbox``):
duels to accept or play (and those waiting on the other player), light resources to
review (reviewers), to revise or waiting for a review (their authors).

``count`` counts only what is the person's to act on, in three indexed COUNT queries at
most: it runs on every page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sylva.core.pillars import InboxAction, InboxItem
from sylva.microlearning.models import Duel, Module
from sylva.microlearning.queries import challenges as challenge_queries
from sylva.microlearning.queries import resources
from sylva.microlearning.queries.challenges import THEIR_TURN, YOUR_TURN
from sylva.people.models import Person

#: the most items of one sort shown (the pages list the rest)
MAX_ITEMS = 20

REVIEWER = "microlearning.review_resource"


def _when(moment: object) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")  # type: ignore[arg-type]


def _duel_item(duel: Duel, person: Person, turn: str) -> InboxItem:
    other = duel.other_than(person)
    url = reverse("microlearning:duel", args=[duel.pk])
    since = duel.answered_at or duel.created_at
    if turn == YOUR_TURN and duel.state == Duel.State.INVITED and person.pk == duel.opponent_id:
        detail = _("%(module)s · %(n)s questions") % {
            "module": duel.module.title,
            "n": len(duel.card_ids),
        }
        if duel.expires_at:  # (duels from before invitations never expire)
            detail += " · " + _("answer before %(when)s") % {"when": _when(duel.expires_at)}
        return InboxItem(
            kind="microlearning.duel",
            title=_("%(name)s challenges you to a duel") % {"name": other.full_name},
            detail=detail,
            url=url,
            since=duel.created_at,
            actions=(
                InboxAction(
                    _("Accept"), reverse("microlearning:accept_duel", args=[duel.pk]), primary=True
                ),
                InboxAction(_("Decline"), reverse("microlearning:decline_duel", args=[duel.pk])),
            ),
        )
    if turn == YOUR_TURN:
        return InboxItem(
            kind="microlearning.duel",
            title=_("Your turn in the duel with %(name)s") % {"name": other.full_name},
            detail=duel.module.title,
            url=url,
            since=since,
            actions=(InboxAction(_("Play"), url, method="get", primary=True),),
        )
    waiting = (
        _("Waiting for %(name)s to accept")
        if duel.state == Duel.State.INVITED
        else _("Waiting for %(name)s to play")
    )
    return InboxItem(
        kind="microlearning.duel",
        title=_("Duel with %(name)s") % {"name": other.full_name},
        detail=f"{duel.module.title} · {waiting % {'name': other.full_name}}",
        url=url,
        since=since,
        mine=False,
    )


def _duel_items(person: Person) -> list[InboxItem]:
    now = timezone.now()
    items = []
    for duel in challenge_queries.waiting_duels(person, now)[:MAX_ITEMS]:
        turn = challenge_queries.duel_turn(duel, person, now)
        if turn in (YOUR_TURN, THEIR_TURN):
            items.append(_duel_item(duel, person, turn))
    return items


def _review_items(person: Person) -> list[InboxItem]:
    if not person.user.has_perm(REVIEWER):
        return []
    return [
        InboxItem(
            kind="microlearning.review",
            title=_("Review “%(title)s”") % {"title": module.title},
            detail=_("A light resource by %(name)s, sent %(when)s")
            % {
                "name": module.author.full_name if module.author else "—",
                "when": _when(module.updated_at),
            },
            url=reverse("microlearning:module", args=[module.code]),
            since=module.updated_at,
            actions=(
                InboxAction(
                    _("Review"),
                    reverse("microlearning:module", args=[module.code]),
                    method="get",
                    primary=True,
                ),
            ),
        )
        for module in resources.to_review(person)[:MAX_ITEMS]
    ]


def _authored_items(person: Person) -> list[InboxItem]:
    items = []
    for module in resources.authored_in_review(person)[:MAX_ITEMS]:
        page = reverse("microlearning:module", args=[module.code])
        if module.status == Module.Status.CHANGES:
            edit = reverse("microlearning:edit_module", args=[module.code])
            reviewer = module.reviewed_by.full_name if module.reviewed_by else "—"
            items.append(
                InboxItem(
                    kind="microlearning.revise",
                    title=_("Revise “%(title)s”") % {"title": module.title},
                    detail=_("%(name)s asks for changes: %(note)s")
                    % {"name": reviewer, "note": module.review_note},
                    url=edit,
                    since=module.updated_at,
                    actions=(InboxAction(_("Revise"), edit, method="get", primary=True),),
                )
            )
        else:
            items.append(
                InboxItem(
                    kind="microlearning.revise",
                    title=_("“%(title)s” waits for a review") % {"title": module.title},
                    detail=_("Waiting on a reviewer (a designer or a learning animator)"),
                    url=page,
                    since=module.updated_at,
                    mine=False,
                )
            )
    return items


def items(person: Person) -> list[InboxItem]:
    return _duel_items(person) + _review_items(person) + _authored_items(person)


def waiting(person: Person) -> list[QuerySet[Any]]:
    """What is the person's to act on: duels to answer or play, resources to review
    (reviewers) and to revise."""
    found = [
        challenge_queries.open_plays(person, timezone.now()),
        resources.authored_in_review(person).filter(status=Module.Status.CHANGES),
    ]
    if person.user.has_perm(REVIEWER):
        found.append(resources.to_review(person))
    return found
