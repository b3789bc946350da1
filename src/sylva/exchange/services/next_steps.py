"""No dead end when an offer is full: what an exchange's page offers instead of an Accept
button that cannot work, and the actions behind it.

An exchange proposed on an offer with no place left this month cannot be accepted now
(``exchanges.accept`` refuses: the place is counted when both have accepted). It is not
over either: the rules here say which next steps apply, for the teacher and for the learner,
and the actions carry them out through the existing services:

- **wait**: the exchange stays proposed; either side says so to the other (a message), for
  the day the next place frees, optionally by phone or video when the offer allows it.
  Nothing is booked ahead: acceptance still counts against the capacity of the day it
  happens, so the Accept button comes back on its own once a place has freed;
- **another colleague** (the learner): the offers on the same skill that could take them now,
  as the matcher judges them (``matching_data.offers_with_place``), each proposed in one click
  through ``exchanges.propose``;
- **more capacity** (the teacher): their offer's edit page;
- **decline**, with a kind reason already written (the existing decline form).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sylva.core.errors import Forbidden, ServiceError
from sylva.exchange import matching_data
from sylva.exchange.matching_data import Suggestion
from sylva.exchange.models import Exchange, Message, Offer
from sylva.exchange.queries import next_place_at, no_place_label, places_left
from sylva.exchange.services import exchanges
from sylva.people.models import Person

S = Exchange.State
REMOTE = ("phone", "video")


@dataclass
class NoPlace:
    """The next steps of a proposed exchange whose offer is full, for one of its people."""

    offer: Offer
    next_place: datetime | None  # when a place frees (None: no acceptance counts yet)
    is_teacher: bool
    others: list[Suggestion] = field(default_factory=list)  # the learner's other colleagues
    remote: list[str] = field(default_factory=list)  # the remote formats the offer allows
    decline_reason: str = ""  # a kind reason, prefilled in the decline form

    @property
    def raise_capacity(self) -> bool:
        return self.is_teacher

    @property
    def when(self) -> str:
        return _day(self.next_place)

    @property
    def turn_label(self) -> str:
        """What the turn line says instead of "accept or decline" (``queries.whose_turn``
        says it too, for the inbox, the API and "My exchanges")."""
        return no_place_label(self.next_place)


def _day(when: datetime | None) -> str:
    return date_format(timezone.localtime(when), "DATE_FORMAT") if when else ""


def _full_offer(exchange: Exchange) -> Offer | None:
    """The exchange's offer, read afresh, when the exchange is proposed and the offer full."""
    if exchange.state != S.PROPOSED or exchange.offer_id is None:
        return None
    offer = Offer.objects.filter(pk=exchange.offer_id).first()
    return offer if offer is not None and places_left(offer) <= 0 else None


def _decline_reason(exchange: Exchange, person: Person, when: datetime | None) -> str:
    if person.pk == exchange.teacher_id:
        if when:
            return _(
                "Thank you for asking. My offer has no place left this month; ask me again"
                " from %(date)s, or ask another colleague who shares this skill."
            ) % {"date": _day(when)}
        return _(
            "Thank you for asking. My offer has no place left this month; ask another colleague"
            " who shares this skill."
        )
    return _("Thank you. Your offer is full this month: I will ask another colleague meanwhile.")


def no_place(exchange: Exchange, person: Person) -> NoPlace | None:
    """The next steps when ``exchange`` is proposed on an offer with no place left this
    month, for ``person`` (one of its two people); None when acceptance can work (or it is
    not proposed, or has no offer)."""
    offer = _full_offer(exchange) if exchange.is_participant(person) else None
    if offer is None:
        return None
    when = next_place_at(offer)
    is_teacher = person.pk == exchange.teacher_id
    steps = NoPlace(
        offer=offer,
        next_place=when,
        is_teacher=is_teacher,
        remote=[f for f in REMOTE if f in offer.formats],
        decline_reason=_decline_reason(exchange, person, when),
    )
    if not is_teacher and exchange.skill is not None:
        steps.others = matching_data.offers_with_place(
            person, exchange.skill, exclude=[exchange.teacher_id]
        )
    return steps


def others_with_place(offer: Offer, person: Person, *, limit: int = 3) -> list[Suggestion]:
    """On a full offer's page, for a colleague who would ask for it: the colleagues who
    share one of its skills and could take them now, best first."""
    found: dict[int, Suggestion] = {}
    for skill in offer.skills.all():
        for s in matching_data.offers_with_place(person, skill, exclude=[offer.person_id]):
            found.setdefault(s.offer.pk, s)
    return sorted(found.values(), key=lambda s: (-s.score, s.offer.pk))[:limit]


def _steps_for(person: Person, exchange: Exchange) -> NoPlace:
    exchanges._participant(exchange, person)
    steps = no_place(exchange, person)
    if steps is None:
        if exchange.state != S.PROPOSED:
            raise exchanges._refuse(exchange, _("changed"))
        raise ServiceError(
            _("A place is free on this offer: it can be accepted now."), field="state", status=409
        )
    return steps


def _wait_message(exchange: Exchange, person: Person, when: datetime | None, mode: str) -> str:
    by = {"phone": _("by phone"), "video": _("by video")}.get(mode, "")
    if when:
        said = _("Your offer is full this month: I am happy to wait until %(date)s.") % {
            "date": _day(when)
        }
        if person.pk == exchange.teacher_id:
            said = _("My offer is full this month: I will accept on %(date)s, when a place frees.")
            said %= {"date": _day(when)}
    else:
        said = _("The offer is full this month: I am happy to wait until a place frees.")
    if by:
        said += " " + _("Shall we do it %(how)s then?") % {"how": by}
    return said


@transaction.atomic
def wait_for_place(*, person: Person, exchange: Exchange, mode: str = "") -> Message:
    """Say to the other that one waits for the next place (optionally by phone or video, the
    proposer's wish agreed for good when scheduling). The exchange stays proposed: its
    acceptance counts against the capacity of the day it happens, not against this month's."""
    exchange = exchanges._locked(exchange)
    steps = _steps_for(person, exchange)
    if mode and mode not in steps.remote:
        raise ServiceError(
            _("This offer is not by %(mode)s: choose one of the formats it offers.")
            % {"mode": Exchange.Mode(mode).label if mode in Exchange.Mode.values else mode},
            field="mode",
        )
    if mode:
        exchange.mode = mode
        exchange.save(update_fields=["mode"])
    body = _wait_message(exchange, person, steps.next_place, mode)
    return exchanges.post_message(person=person, exchange=exchange, body=body)


def _offer_id(value: object) -> int:
    text = str(value if value is not None else "").strip()
    if not text.isdigit():
        raise ServiceError(_("Choose one of the colleagues listed."), field="offer")
    return int(text)


@transaction.atomic
def propose_instead(*, person: Person, exchange: Exchange, offer_id: object) -> Exchange:
    """The learner of an exchange stuck on a full offer proposes the same skill to another
    colleague listed in its next steps (one whose offer can take them now), through
    :func:`exchanges.propose`. The first exchange stays proposed: either of the two may still
    decline it."""
    steps = _steps_for(person, exchange)
    if steps.is_teacher:
        raise Forbidden(
            _("Only the learner of this exchange may ask another colleague."), field="offer"
        )
    chosen = _offer_id(offer_id)
    offer = next((s.offer for s in steps.others if s.offer.pk == chosen), None)
    if offer is None:
        raise ServiceError(
            _("This offer is not among the colleagues who can take you now."),
            field="offer",
            status=409,
        )
    assert exchange.skill is not None
    _offer, request = exchanges.postings_between(
        teacher=offer.person, learner=person, skill=exchange.skill
    )
    return exchanges.propose(
        by=person, offer=offer, request=request, learner=person, skill=exchange.skill
    )
