"""Live exchange fairs (bourses d'échanges): an animator opens one for about an hour on a
site or online; participants post from their phones and receive matches as they appear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.core.errors import ServiceError
from sylva.core.validation import check_field
from sylva.exchange.models import FAIR_MINUTES, Exchange, Fair, Offer, Request
from sylva.exchange.services.exchanges import propose
from sylva.people.models import Person, Site, Skill


@transaction.atomic
def open_fair(*, animator: Person, title: str, site: Site | None, minutes: int = 60) -> Fair:
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Give the fair a title."), field="title")
    check_field(Fair, "title", title)
    if not FAIR_MINUTES.holds(minutes):
        raise ServiceError(
            _("A fair lasts between %(min)d and %(max)d minutes.") % FAIR_MINUTES.bounds,
            field="minutes",
        )
    now = timezone.now()
    return Fair.objects.create(
        title=title,
        site=site,
        animator=animator,
        opens_at=now,
        closes_at=now + timedelta(minutes=minutes),
    )


@transaction.atomic
def close_fair(*, fair: Fair) -> Fair:
    fair = Fair.objects.select_for_update().get(pk=fair.pk)
    if fair.closed_at is not None:
        raise ServiceError(_("This fair is already closed."), field="state", status=409)
    fair.closed_at = timezone.now()
    fair.save(update_fields=["closed_at"])
    return fair


def check_open(fair: Fair, *, lock: bool = False) -> Fair:
    """Refuse a closed fair; with ``lock`` (inside the caller's transaction), read it under
    its row's lock, so that closing it waits for what is being done at it."""
    if lock:
        fair = Fair.objects.select_for_update().get(pk=fair.pk)
    if not fair.is_open:
        raise ServiceError(_("This fair is closed."), field="fair", status=409)
    return fair


@transaction.atomic
def pair_by_hand(
    *, animator: Person, fair: Fair, teacher: Person, learner: Person, skill: Skill
) -> Exchange:
    """The animator puts two people in touch; they still accept or decline. The teacher
    teaches what they offered (an open offer on the skill); two people who already have an
    exchange under way on the skill are not paired again."""
    check_open(fair)
    offer = (
        Offer.objects.filter(person=teacher, state=Offer.State.OPEN, skills=skill)
        .order_by("-created_at")
        .first()
    )
    if offer is None:
        raise ServiceError(
            _("%(name)s offers nothing open on %(skill)s: choose what they offered.")
            % {"name": teacher.full_name, "skill": skill.name},
            field="skill",
        )
    request = (
        Request.objects.filter(person=learner, state=Request.State.OPEN, skills=skill)
        .order_by("-created_at")
        .first()
    )
    return propose_at_fair(
        fair,
        by=animator,
        offer=offer,
        request=request,
        teacher=teacher,
        learner=learner,
        skill=skill,
        origin=Exchange.Origin.ANIMATOR,
    )


@transaction.atomic
def propose_at_fair(fair: Fair, **proposal: Any) -> Exchange:
    """An exchange made at a fair (``proposal``: the arguments of
    :func:`~sylva.exchange.services.exchanges.propose`), under the fair's row lock: a
    closing waits, or went first and the proposal is refused (never an exchange at a fair
    already closed)."""
    return propose(fair=check_open(fair, lock=True), **proposal)


@dataclass(frozen=True)
class FairSummary:
    people: int
    offers: int
    requests: int
    exchanges: int
    agreed: int


def summary(fair: Fair) -> FairSummary:
    offers = Offer.objects.filter(fair=fair)
    requests = Request.objects.filter(fair=fair)
    exchanges = Exchange.objects.filter(fair=fair)
    people = set(offers.values_list("person_id", flat=True)) | set(
        requests.values_list("person_id", flat=True)
    )
    agreed = exchanges.filter(
        ~Q(state__in=(Exchange.State.PROPOSED, Exchange.State.DECLINED, Exchange.State.CANCELLED))
    ).count()
    return FairSummary(
        people=len(people),
        offers=offers.count(),
        requests=requests.count(),
        exchanges=exchanges.count(),
        agreed=agreed,
    )
