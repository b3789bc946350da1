"""Offers and requests on the exchange board."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.core.validation import check_field
from sylva.core.xapi import Verb, activity
from sylva.exchange.models import (
    CAPACITY,
    DURATION,
    EXPIRY_DAYS,
    FORMATS,
    LIVE_POSTING,
    MAX_SKILLS,
    ExchangeSettings,
    Fair,
    Offer,
    Posting,
    Request,
    skills_key,
)
from sylva.people import verbs
from sylva.people.models import Person, Site, Skill
from sylva.people.services import record_event

P = TypeVar("P", bound=Posting)


def offer_iri(offer: Offer) -> str:
    return activity("exchange/offer", offer.pk)


def request_iri(request: Request) -> str:
    return activity("exchange/request", request.pk)


class DuplicatePosting(ServiceError):
    """The same person's second live offer (or request) on the same skills: refused,
    pointing at the one already there (``posting``)."""

    def __init__(self, message: str, *, posting: Posting) -> None:
        super().__init__(message, field="skills", status=409)
        self.posting = posting


def _twin(posting: Posting, key: str) -> Posting | None:
    """The same person's other live posting of this kind on exactly these skills (on the
    board, or at the same fair)."""
    model = type(posting)
    found = model.objects.filter(  # type: ignore[attr-defined]
        person_id=posting.person_id,  # type: ignore[attr-defined]
        skills_key=key,
        state__in=LIVE_POSTING,
        fair_id=posting.fair_id,
    )
    if posting.pk is not None:
        found = found.exclude(pk=posting.pk)
    return found.first()


def _duplicate(existing: Posting) -> DuplicatePosting:
    kind = "offer" if isinstance(existing, Offer) else "request"
    url = reverse(f"exchange:{kind}", args=[existing.pk])
    if kind == "offer":
        message = _(
            "You already have an offer on these skills (%(state)s): %(url)s — edit it rather"
            " than publishing it again."
        )
    else:
        message = _(
            "You already have a request on these skills (%(state)s): %(url)s — edit or renew"
            " it rather than publishing it again."
        )
    return DuplicatePosting(
        message % {"state": existing.get_state_display(), "url": url},
        posting=existing,
    )


def _save_unique(posting: P, key: str, **save: Any) -> P:
    """Save the posting as its author's only live one on these skills: checked first, and
    the unique index settles a concurrent twin."""
    if posting.state in LIVE_POSTING:
        existing = _twin(posting, key)
        if existing is not None:
            raise _duplicate(existing)
    posting.skills_key = key
    try:
        with transaction.atomic():
            posting.save(**save)
    except IntegrityError:
        existing = _twin(posting, key)
        if existing is None:
            raise
        raise _duplicate(existing) from None
    return posting


def _skills(codes: Iterable[str]) -> list[Skill]:
    wanted = [c.strip() for c in codes if c and c.strip()]
    if not wanted:
        raise ServiceError(_("Choose at least one skill."), field="skills")
    if len(wanted) > MAX_SKILLS:
        raise ServiceError(_("At most %(limit)d skills.") % {"limit": MAX_SKILLS}, field="skills")
    found = {s.code: s for s in Skill.objects.filter(code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise ServiceError(
            _("There is no skill with the code “%(code)s”.") % {"code": missing[0]},
            field="skills",
        )
    return list(found.values())


def check_slots(slots: Iterable[Any]) -> list[int]:
    """Weekly slots as sorted ints (weekday * 24 + hour); duplicates (overlaps) refused."""
    out: list[int] = []
    for slot in slots:
        if isinstance(slot, bool) or not isinstance(slot, int) or not 0 <= slot < 7 * 24:
            raise ServiceError(
                _("A weekly slot is a weekday × 24 + an hour, from 0 to 167."), field="slots"
            )
        if slot in out:
            raise ServiceError(_("Two of these slots overlap."), field="slots")
        out.append(slot)
    return sorted(out)


def check_duration(duration_minutes: int) -> int:
    """The minutes of a posting or an exchange, within DURATION."""
    if not DURATION.holds(duration_minutes):
        raise ServiceError(
            _("A duration is between %(min)d and %(max)d minutes.") % DURATION.bounds,
            field="duration_minutes",
        )
    return duration_minutes


def _check_common(
    *, text: str, formats: Iterable[str], duration_minutes: int
) -> tuple[str, set[str]]:
    text = (text or "").strip()
    check_field(Offer, "text", text)  # offers and requests share the posting's limit
    chosen = set(formats)
    if not chosen:
        raise ServiceError(_("Choose at least one format."), field="formats")
    unknown = chosen - set(FORMATS)
    if unknown:
        raise ServiceError(
            _("Unknown format “%(f)s”; choose among %(all)s.")
            % {"f": sorted(unknown)[0], "all": ", ".join(FORMATS)},
            field="formats",
        )
    check_duration(duration_minutes)
    return text, chosen


def _fill(
    posting: P,
    *,
    text: str,
    formats: set[str],
    duration_minutes: int,
    site: Site | None,
    slots: list[int],
) -> P:
    posting.text = text
    for f in FORMATS:
        setattr(posting, f, f in formats)
    posting.duration_minutes = duration_minutes
    posting.site = site
    posting.slots = slots
    posting.updated_at = timezone.now()
    return posting


def _check_capacity(capacity: int | None) -> int:
    if capacity is None:
        return ExchangeSettings.load().default_capacity
    if not CAPACITY.holds(capacity):
        raise ServiceError(
            _("A capacity is between %(min)d and %(max)d exchanges a month.") % CAPACITY.bounds,
            field="capacity",
        )
    return capacity


def _publish(
    make: Callable[[], P],
    *,
    person: Person,
    skill_codes: Sequence[str],
    text: str,
    formats: Iterable[str],
    duration_minutes: int,
    site: Site | None,
    slots: Iterable[Any],
    verb: Verb,
    iri: Callable[[P], str],
) -> P:
    """Validate what offers and requests share, then ``make`` the posting (which may refuse
    what is its own), save it with its skills and record the event."""
    skills = _skills(skill_codes)
    clean_text, chosen = _check_common(
        text=text, formats=formats, duration_minutes=duration_minutes
    )
    posting = _fill(
        make(),
        text=clean_text,
        formats=chosen,
        duration_minutes=duration_minutes,
        site=site,
        slots=check_slots(slots),
    )
    _save_unique(posting, skills_key(s.pk for s in skills))
    posting.skills.set(skills)
    record_event(
        actor=person,
        verb=verb,
        object_id=iri(posting),
        object_name=", ".join(s.name_fr for s in skills),
        skill=skills[0],
    )
    return posting


@transaction.atomic
def publish_offer(
    *,
    person: Person,
    skill_codes: Sequence[str],
    text: str = "",
    formats: Iterable[str] = ("in_person",),
    duration_minutes: int = 60,
    site: Site | None = None,
    slots: Iterable[Any] = (),
    capacity: int | None = None,
    fair: Fair | None = None,
) -> Offer:
    return _publish(
        lambda: Offer(person=person, capacity=_check_capacity(capacity), fair=fair),
        person=person,
        skill_codes=skill_codes,
        text=text,
        formats=formats,
        duration_minutes=duration_minutes,
        site=site,
        slots=slots,
        verb=verbs.OFFERED,
        iri=offer_iri,
    )


@transaction.atomic
def publish_request(
    *,
    person: Person,
    skill_codes: Sequence[str],
    text: str = "",
    formats: Iterable[str] = ("in_person",),
    duration_minutes: int = 60,
    site: Site | None = None,
    slots: Iterable[Any] = (),
    fair: Fair | None = None,
) -> Request:
    days = ExchangeSettings.load().request_expiry_days
    return _publish(
        lambda: Request(person=person, fair=fair, expires_at=timezone.now() + timedelta(days=days)),
        person=person,
        skill_codes=skill_codes,
        text=text,
        formats=formats,
        duration_minutes=duration_minutes,
        site=site,
        slots=slots,
        verb=verbs.REQUESTED,
        iri=request_iri,
    )


# --- who may see or change a posting (pages and API alike) -------------------------------


def may_see(person: Person, posting: Posting) -> bool:
    """Its author always; anyone else while it is on the board (open or paused)."""
    return posting.person_id == person.pk or posting.state in LIVE_POSTING  # type: ignore[attr-defined]


def check_may_change(person: Person, posting: Posting) -> None:
    """Only its author changes a posting: anyone else is refused (403)."""
    if posting.person_id != person.pk:  # type: ignore[attr-defined]
        raise Forbidden(_("Only its author may change this."))


def posting_for(person: Person, model: type[P], pk: object, *, change: bool = False) -> P:
    """The offer or request ``pk`` as ``person`` may have it, the one rule of the pages and
    the API: not theirs to see, it does not exist (404); theirs to see but not to change,
    while they ask to change it, refused (403)."""
    found = (
        model.objects.select_related("person__team__department", "site")  # type: ignore[attr-defined]
        .prefetch_related("skills__domain")
        .filter(pk=pk)
        .first()
        if str(pk).isdigit()
        else None
    )
    if found is None or not may_see(person, found):
        raise NotFound(_("No such offer.") if model is Offer else _("No such request."))
    if change:
        check_may_change(person, found)
    return found


_own = check_may_change


@transaction.atomic
def edit_posting(
    *,
    person: Person,
    posting: P,
    skill_codes: Sequence[str],
    text: str,
    formats: Iterable[str],
    duration_minutes: int,
    site: Site | None,
    slots: Iterable[Any],
    capacity: int | None = None,
) -> P:
    _own(person, posting)
    if posting.state == Posting.State.CLOSED:
        raise ServiceError(_("This is closed; publish a new one."), field="state", status=409)
    skills = _skills(skill_codes)
    clean_text, chosen = _check_common(
        text=text, formats=formats, duration_minutes=duration_minutes
    )
    _fill(
        posting,
        text=clean_text,
        formats=chosen,
        duration_minutes=duration_minutes,
        site=site,
        slots=check_slots(slots),
    )
    if isinstance(posting, Offer) and capacity is not None:
        posting.capacity = _check_capacity(capacity)
    _save_unique(posting, skills_key(s.pk for s in skills))
    posting.skills.set(skills)
    return posting


_MOVES = {
    "open": {"paused", "expired"},
    "paused": {"open"},
    "closed": {"open", "paused", "expired"},
}


@transaction.atomic
def set_state(*, person: Person, posting: P, state: str) -> P:
    """Pause, reopen or close one of my offers or requests."""
    _own(person, posting)
    if state not in _MOVES:
        raise ServiceError(_("A state is one of: open, paused, closed."), field="state")
    if posting.state == state:
        return posting
    if posting.state not in _MOVES[state]:
        raise ServiceError(
            _("It is %(state)s; it cannot become %(new)s.")
            % {"state": posting.get_state_display(), "new": state},
            field="state",
            status=409,
        )
    if state == "open" and isinstance(posting, Request) and posting.state == "expired":
        raise ServiceError(_("Renew it instead."), field="state", status=409)
    posting.state = state
    posting.updated_at = timezone.now()
    _save_unique(posting, posting.skills_key, update_fields=["state", "updated_at"])
    return posting


@transaction.atomic
def renew_request(*, person: Person, request: Request) -> Request:
    """One click: the request is open again for the configured time."""
    _own(person, request)
    if request.state == Request.State.CLOSED:
        raise ServiceError(_("This is closed; publish a new one."), field="state", status=409)
    days = ExchangeSettings.load().request_expiry_days
    request.expires_at = timezone.now() + timedelta(days=days)
    if request.state == Request.State.EXPIRED:
        request.state = Request.State.OPEN
    request.updated_at = timezone.now()
    _save_unique(request, request.skills_key, update_fields=["expires_at", "state", "updated_at"])
    return request


@transaction.atomic
def expire_requests() -> int:
    """Mark open requests past their expiry as expired (idempotent)."""
    return Request.objects.filter(state=Request.State.OPEN, expires_at__lte=timezone.now()).update(
        state=Request.State.EXPIRED, updated_at=timezone.now()
    )


@transaction.atomic
def update_settings(
    *,
    joining_requires_both: bool,
    request_expiry_days: int,
    default_capacity: int,
    send_directly: bool,
) -> ExchangeSettings:
    if not EXPIRY_DAYS.holds(request_expiry_days):
        raise ServiceError(
            _("Between %(min)d and %(max)d days.") % EXPIRY_DAYS.bounds,
            field="request_expiry_days",
        )
    if not CAPACITY.holds(default_capacity):
        raise ServiceError(
            _("Between %(min)d and %(max)d.") % CAPACITY.bounds, field="default_capacity"
        )
    found = ExchangeSettings.load()
    found.joining_requires_both = joining_requires_both
    found.request_expiry_days = request_expiry_days
    found.default_capacity = default_capacity
    found.send_directly = send_directly
    found.save()
    return found
