"""What the exchange network contributes to "Where can I learn this?" (its contract's
``ways``): the open offers on the skill exactly as the board shows them (never the
reader's own), each with its formats, duration, site, language, the places left this
month and who may ask; and the fairs open now or announced on the reader's site or
online. Never an exchange, a message or a review. A bounded number of queries whatever
the size of the board."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sylva.core.pillars import Way
from sylva.exchange import queries
from sylva.exchange.models import Fair, Offer
from sylva.people.models import Person, Skill

OFFERS = "exchange.offer"
OFFERS_LABEL = gettext_lazy("Open offers on the board")
FAIRS = "exchange.fair"
FAIRS_LABEL = gettext_lazy("Exchange fairs")
#: offers and fairs shown at most
LIMIT = 5
FAIRS_LIMIT = 2


def _formats(offer: Offer) -> str:
    names = {"in_person": _("face to face"), "phone": _("phone"), "video": _("video")}
    return ", ".join(names[f] for f in ("in_person", "phone", "video") if f in offer.formats)


def _offer_conditions(offer: Offer, used: int, joined: bool) -> tuple[str, ...]:
    left = max(0, offer.capacity - used)
    places = (
        _("%(left)s of %(capacity)s places left this month")
        % {"left": left, "capacity": offer.capacity}
        if left
        else _("full this month")
    )
    who = (
        _("open to every colleague on the network")
        if joined
        else _("to ask, first post one offer and one request on the board")
    )
    parts = [
        _formats(offer),
        _("%(n)s min") % {"n": offer.duration_minutes},
        offer.site.name if offer.site else "",
        offer.get_language_display(),
        places,
        who,
    ]
    return tuple(p for p in parts if p)


def _offers(person: Person, skill: Skill) -> list[Way]:
    qs = queries.board_offers().filter(skills=skill).exclude(person=person)
    found = list(qs.order_by("-created_at", "-pk")[:LIMIT])
    if not found:
        return []
    used = queries.used_capacity(Offer.objects.filter(pk__in=[o.pk for o in found]))
    joined = queries.has_joined(person)
    ways = []
    for i, offer in enumerate(found):
        n = used.get(offer.pk, 0)
        ways.append(
            Way(
                OFFERS,
                OFFERS_LABEL,
                _("%(name)s offers to share it") % {"name": offer.person.full_name},
                reverse("exchange:offer", args=[offer.pk]),
                _offer_conditions(offer, n, joined),
                rank=(1 if n < offer.capacity else 0) - i / 100,
            )
        )
    return ways


def _fair_conditions(fair: Fair) -> tuple[str, ...]:
    where = fair.site.name if fair.site else _("online")
    if fair.is_open:
        when = _("open now, until %(time)s") % {
            "time": formats.time_format(timezone.localtime(fair.closes_at))
        }
    else:
        when = formats.date_format(timezone.localtime(fair.opens_at), "DATETIME_FORMAT")
    return (where, when, _("bring a request or an offer on this skill"))


def _fairs(person: Person) -> list[Way]:
    fairs: list[Any] = list(queries.open_fairs(person)[:FAIRS_LIMIT])
    if len(fairs) < FAIRS_LIMIT:
        fairs += list(queries.upcoming_fairs(person)[: FAIRS_LIMIT - len(fairs)])
    return [
        Way(
            FAIRS,
            FAIRS_LABEL,
            fair.title,
            reverse("exchange:fair", args=[fair.pk]),
            _fair_conditions(fair),
            when=fair.opens_at,
            rank=-i,
        )
        for i, fair in enumerate(fairs)
    ]


def ways(person: Person, skill: Skill) -> list[Way]:
    return [*_offers(person, skill), *_fairs(person)]


def asks(person: Person, skill: Skill) -> list[Way]:
    """Nobody answers yet: ask on the board (a request reaches who offers it)."""
    return [
        Way(
            "exchange.ask",
            gettext_lazy("Ask on the board"),
            _("Ask to learn it on the board"),
            reverse("exchange:new_request"),
            (_("colleagues who can teach it see your request"),),
        )
    ]
