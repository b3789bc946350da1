"""What waits on a person in the exchange network, for the inbox (the pillar contract's
``inbox``): proposals to accept or decline, exchanges to schedule, to confirm, to say whether
they took place and to review — and the exchanges where they wait on the other person
("their turn"); for animators, the matching runs to review; for everyone, the fairs open now.

Whose turn it is comes from :func:`sylva.exchange.queries.whose_turn`, the rule the pages
and the API read too. Inline actions post to the exchange pages' own endpoints, which
honour the inbox's ``next``."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sylva.core.pillars import InboxAction, InboxItem
from sylva.exchange import queries
from sylva.exchange.models import ANIMATE, Exchange
from sylva.people.models import Person


def _actions(exchange: Exchange, action: str) -> tuple[InboxAction, ...]:
    page = reverse("exchange:exchange", args=[exchange.pk])

    def post(name: str, label: str, primary: bool = True) -> InboxAction:
        return InboxAction(label, reverse(f"exchange:{name}", args=[exchange.pk]), primary=primary)

    def link(anchor: str, label: str, primary: bool = False) -> InboxAction:
        return InboxAction(label, page + anchor, method="get", primary=primary)

    if action == "no_place":  # the offer is full: Accept cannot work, the next steps can
        return (link("#next-steps", _("See the next steps"), primary=True),)
    if action == "accept":
        # declining asks for a reason, in a few words: on the exchange's page
        return (post("accept", _("Accept")), link("#decline", _("Decline…")))
    if action == "schedule":
        return (link("#schedule", _("Agree the date"), primary=True),)
    if action == "confirm":
        return (post("confirm", _("I confirm")), link("#schedule", _("Reschedule")))
    if action == "held":
        return (post("held", _("It took place")), link("", _("It did not take place…")))
    if action == "review":
        return (link("#review", _("Write my review"), primary=True),)
    return ()


def _exchange_item(exchange: Exchange, person: Person, turn: queries.Turn) -> InboxItem:
    other = exchange.other(person)
    skill = exchange.skill.name if exchange.skill else _("Exchange")
    role = (
        _("you teach %(name)s") if person.pk == exchange.teacher_id else _("%(name)s teaches you")
    ) % {"name": other.full_name}
    mine = turn.side == queries.MINE
    return InboxItem(
        kind=f"exchange.{turn.action}",
        title=f"{skill} · {role}",
        detail=turn.label,
        url=reverse("exchange:exchange", args=[exchange.pk]),
        since=exchange.updated_at,
        mine=mine,
        actions=_actions(exchange, turn.action) if mine else (),
    )


def _animator_items() -> list[InboxItem]:
    return [
        InboxItem(
            kind="exchange.run",
            title=_("Matching run #%(n)d to review") % {"n": run.pk},
            detail=_("%(count)d proposals wait on your review: send or reject them.")
            % {"count": run.pending},  # type: ignore[attr-defined]
            url=reverse("exchange:run", args=[run.pk]),
            since=run.created_at,
            actions=(
                InboxAction(
                    _("Review the run"),
                    reverse("exchange:run", args=[run.pk]),
                    method="get",
                    primary=True,
                ),
            ),
        )
        for run in queries.runs_to_review()
    ]


def _fair_items(person: Person) -> list[InboxItem]:
    return [
        InboxItem(
            kind="exchange.fair",
            title=_("Exchange fair open now: %(title)s") % {"title": fair.title},
            detail=_("%(where)s, until %(time)s")
            % {
                "where": fair.site.name if fair.site else _("online"),
                "time": formats.time_format(timezone.localtime(fair.closes_at), "TIME_FORMAT"),
            },
            url=reverse("exchange:fair", args=[fair.pk]),
            since=fair.opens_at,
            actions=(
                InboxAction(
                    _("Join the fair"),
                    reverse("exchange:fair", args=[fair.pk]),
                    method="get",
                    primary=True,
                ),
            ),
        )
        for fair in queries.open_fairs(person)
    ]


def _animates(person: Person) -> bool:
    return bool(person.user.is_active and person.user.has_perm(ANIMATE))


def items(person: Person) -> list[InboxItem]:
    """My exchanges where it is my turn, or theirs; runs to review (animators); fairs open."""
    found = []
    for exchange in queries.with_turns(queries.waiting_exchanges(person), person):
        turn: queries.Turn = exchange.turn  # type: ignore[attr-defined]
        if turn.side is not None:
            found.append(_exchange_item(exchange, person, turn))
    if _animates(person):
        found += _animator_items()
    return found + _fair_items(person)


def count(person: Person) -> int:
    """How many of those wait on my action (the ``mine`` items): a few indexed counts."""
    total = queries.my_turn_count(person) + queries.open_fairs(person).count()
    if _animates(person):
        total += queries.runs_to_review().count()
    return total
