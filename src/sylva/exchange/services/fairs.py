"""Live exchange fairs (bourses d'échanges): an animator opens one for about an hour on a
site or online, now or announced ahead; participants post from their phones and receive
matches as they appear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sylva.core.errors import ServiceError
from sylva.core.validation import check_field
from sylva.exchange.models import FAIR_MINUTES, Exchange, Fair, Offer, Request
from sylva.exchange.services import notify
from sylva.exchange.services.exchanges import propose
from sylva.people.models import Person, Site, Skill

#: how far ahead a fair can be announced
AHEAD = timedelta(days=90)


def check_fair(*, title: str, minutes: int, opens_at: datetime | None) -> tuple[str, datetime]:
    """The fair's title (stripped) and when it opens (now when not given), or the refusal."""
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
    if opens_at is None:
        return title, now
    if timezone.is_naive(opens_at):
        opens_at = timezone.make_aware(opens_at)
    if opens_at < now - timedelta(minutes=1):
        raise ServiceError(
            _("Choose a start in the future, or leave it empty to open now."), field="opens_at"
        )
    if opens_at > now + AHEAD:
        raise ServiceError(_("A fair is announced at most 90 days ahead."), field="opens_at")
    return title, max(opens_at, now)


@transaction.atomic
def open_fair(
    *,
    animator: Person,
    title: str,
    site: Site | None,
    minutes: int = 60,
    opens_at: datetime | None = None,
) -> Fair:
    """Open a fair now, or schedule it to open at ``opens_at`` (announced ahead). Its
    audience — the network's members, on its site when it has one — and the organisation's
    chat channels are told: now that it is open, or that it is announced (and, once it
    opens, by the ``send_reminders`` task)."""
    title, start = check_fair(title=title, minutes=minutes, opens_at=opens_at)
    now = timezone.now()
    ahead = start > now + timedelta(minutes=1)
    fair = Fair.objects.create(
        title=title,
        site=site,
        animator=animator,
        opens_at=start,
        closes_at=start + timedelta(minutes=minutes),
        opening_told_at=None if ahead else now,
    )
    notify.tell_fair(fair, opening=not ahead)
    return fair


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
    if fair.is_ahead:
        raise ServiceError(
            _("This fair opens on %(when)s.")
            % {"when": date_format(timezone.localtime(fair.opens_at), "DATETIME_FORMAT")},
            field="fair",
            status=409,
        )
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
