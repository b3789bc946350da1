"""Offers and requests on the exchange board."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
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
    LIVE_EXCHANGE,
    LIVE_POSTING,
    MASTERING,
    MAX_SKILLS,
    Exchange,
    ExchangeSettings,
    Fair,
    Offer,
    Posting,
    Request,
    skills_key,
)
from sylva.people import verbs
from sylva.people.models import Level, Person, PersonSkill, Site, Skill
from sylva.people.services import check_level, record_event, set_skill

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


class SkillsToDeclare(ServiceError):
    """An offer on skills its author does not hold at level 3 (mastering) or more, and
    whose level they did not give: refused, naming the ``skills`` to give a level for."""

    def __init__(self, message: str, *, skills: list[Skill]) -> None:
        super().__init__(message, field="skills")
        self.skills = skills


class ExchangeUnderWay(ServiceError):
    """A request on a skill its author is already learning in an exchange under way: said,
    with that exchange (``exchange``); publishing it anyway takes a confirmation."""

    def __init__(self, message: str, *, exchange: Exchange) -> None:
        super().__init__(message, field="confirm", status=409)
        self.exchange = exchange


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


def _level_name(level: int) -> str:
    return str(Level(level).label)


def _check_levels(levels: Mapping[str, int], skills: Sequence[Skill]) -> None:
    named = {s.code for s in skills}
    for code, level in levels.items():
        if code not in named:
            raise ServiceError(
                _("A level is given for “%(code)s”, which this offer does not name.")
                % {"code": code},
                field="levels",
            )
        check_level(level)
        if level < MASTERING:
            skill = next(s for s in skills if s.code == code)
            raise ServiceError(
                _(
                    "Offering %(skill)s asks for level %(needed)s or more; you gave"
                    " %(level)s. Ask to learn it instead, or choose another skill."
                )
                % {
                    "skill": skill.name,
                    "needed": _level_name(MASTERING),
                    "level": _level_name(level),
                },
                field="levels",
            )


def check_offered(
    person: Person, skills: Sequence[Skill], levels: Mapping[str, int] | None = None
) -> list[tuple[Skill, int]]:
    """Offering implies knowing: each skill of an offer is held at level 3 (mastering) or
    more on its author's profile, or given a level of 3 or 4 in the same step (``levels``,
    by skill code), which the offer then declares on the profile. The declarations to
    make, or the refusal naming the skills to give a level for."""
    levels = dict(levels or {})
    _check_levels(levels, skills)
    held = dict(
        PersonSkill.objects.filter(person=person, skill__in=skills).values_list("skill_id", "level")
    )
    missing = [s for s in skills if s.code not in levels and held.get(s.pk, 0) < MASTERING]
    if missing:
        raise SkillsToDeclare(
            _(
                "Offering means knowing: give your level in %(skills)s (%(needed)s or more;"
                " it goes on your profile), or choose another skill."
            )
            % {"skills": ", ".join(s.name for s in missing), "needed": _level_name(MASTERING)},
            skills=missing,
        )
    return [
        (s, levels[s.code]) for s in skills if s.code in levels and held.get(s.pk) != levels[s.code]
    ]


def _declare(person: Person, declarations: Iterable[tuple[Skill, int]]) -> None:
    for skill, level in declarations:
        set_skill(person=person, skill_code=skill.code, level=level)


def learning_under_way(person: Person, skills: Iterable[Skill]) -> Exchange | None:
    """The person's exchange under way (proposed, accepted, scheduled) as learner on one of
    these skills, if any."""
    return (
        Exchange.objects.filter(learner=person, skill__in=list(skills), state__in=LIVE_EXCHANGE)
        .select_related("teacher", "skill")
        .order_by("-updated_at", "-pk")
        .first()
    )


def _check_not_learning(person: Person, skills: Sequence[Skill]) -> None:
    """A request on a skill one is already learning says so, with that exchange: a warning
    one confirms through (a second teacher, another angle, may be what one wants), never a
    silent duplicate."""
    under_way = learning_under_way(person, skills)
    if under_way is None:
        return
    raise ExchangeUnderWay(
        _(
            "You already have an exchange under way on %(skill)s with %(name)s (%(state)s):"
            " %(url)s — publish this request anyway only if you want another one."
        )
        % {
            "skill": under_way.skill.name if under_way.skill else "",
            "name": under_way.teacher.full_name,
            "state": under_way.get_state_display(),
            "url": reverse("exchange:exchange", args=[under_way.pk]),
        },
        exchange=under_way,
    )


def check_language(language: str | None, person: Person) -> str:
    """A posting's language: the one given, else its author's, else the organisation's."""
    if not language:
        return person.language or settings.LANGUAGE_CODE
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise ServiceError(
            _("Unknown language “%(lang)s”; choose one of %(codes)s.")
            % {"lang": language, "codes": ", ".join(codes)},
            field="language",
        )
    return language


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
    language: str | None = None,
    check: Callable[[list[Skill]], Any] = lambda skills: None,
) -> P:
    """Validate what offers and requests share, ``check`` the skills by the kind's own
    rule, then ``make`` the posting (which may refuse what is its own), save it with its
    skills and record the event."""
    skills = _skills(skill_codes)
    clean_text, chosen = _check_common(
        text=text, formats=formats, duration_minutes=duration_minutes
    )
    clean_language = check_language(language, person)
    check(skills)
    posting = _fill(
        make(),
        text=clean_text,
        formats=chosen,
        duration_minutes=duration_minutes,
        site=site,
        slots=check_slots(slots),
    )
    posting.language = clean_language
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
    language: str | None = None,
    levels: Mapping[str, int] | None = None,
) -> Offer:
    """Publish an offer (on the board, or at ``fair``). Its skills follow
    :func:`check_offered`: held at level 3 or more, or given a level (``levels``, by skill
    code) that is declared on the profile with the offer."""
    return _publish(
        lambda: Offer(person=person, capacity=_check_capacity(capacity), fair=fair),
        check=lambda skills: _declare(person, check_offered(person, skills, levels)),
        language=language,
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
    language: str | None = None,
    confirm_under_way: bool = False,
) -> Request:
    """Publish a request (on the board, or at ``fair``). On a skill the person is already
    learning in an exchange under way, refused with that exchange (:class:`ExchangeUnderWay`)
    unless ``confirm_under_way``."""
    days = ExchangeSettings.load().request_expiry_days

    def check(skills: list[Skill]) -> None:
        if not confirm_under_way:
            _check_not_learning(person, skills)

    return _publish(
        lambda: Request(person=person, fair=fair, expires_at=timezone.now() + timedelta(days=days)),
        check=check,
        language=language,
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
    language: str | None = None,
    levels: Mapping[str, int] | None = None,
) -> P:
    """Edit one of my postings. An offer's skills follow :func:`check_offered` for those it
    did not name before (the ones it had stay, whatever the profile says now)."""
    _own(person, posting)
    if posting.state == Posting.State.CLOSED:
        raise ServiceError(_("This is closed; publish a new one."), field="state", status=409)
    skills = _skills(skill_codes)
    clean_text, chosen = _check_common(
        text=text, formats=formats, duration_minutes=duration_minutes
    )
    if language:
        posting.language = check_language(language, person)
    if isinstance(posting, Offer):
        had = set(posting.skills.values_list("pk", flat=True))
        added = [s for s in skills if s.pk not in had]
        named = {s.code for s in added}
        _declare(
            person,
            check_offered(person, added, {k: v for k, v in (levels or {}).items() if k in named}),
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
