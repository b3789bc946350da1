"""The bridge between the exchange models and the matching package: builds its inputs
(:class:`OfferIn`, :class:`RequestIn`) from the board, and turns its reasons into short,
translated explanations ("level 4 in X, same site, another department, available Tuesdays").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sylva.exchange.models import WEEKDAYS, Exchange, Offer, Request
from sylva.exchange.queries import (
    LIVE,
    board_offers,
    board_requests,
    has_joined,
    joined_filter,
    next_place_at,
    used_capacity,
)
from sylva.people.models import Person, PersonSkill, Skill, SkillDomain

DONE = (Exchange.State.HELD, Exchange.State.REVIEWED)


def balances(people: QuerySet[Any] | None = None) -> tuple[dict[int, int], dict[int, int]]:
    """(given, received): exchanges held per person as teacher and as learner, on both
    participants' word (the ledger, ``Exchange.objects.confirmed``), of everyone or of the
    people whose ids the ``people`` queryset yields."""
    done = Exchange.objects.confirmed()
    taught, learned = done, done
    if people is not None:
        taught, learned = done.filter(teacher_id__in=people), done.filter(learner_id__in=people)
    given = {r["teacher_id"]: r["n"] for r in taught.values("teacher_id").annotate(n=Count("pk"))}
    received = {
        r["learner_id"]: r["n"] for r in learned.values("learner_id").annotate(n=Count("pk"))
    }
    return given, received


class Rows(dict):
    """Rows by id, fetched on first use (a global run never needs them)."""

    def __init__(self, queryset: QuerySet[Any]) -> None:
        super().__init__()
        self.queryset = queryset
        self.loaded = False

    def _load(self) -> None:
        if not self.loaded:
            self.loaded = True
            self.update({r.pk: r for r in self.queryset})

    def __getitem__(self, key: Any) -> Any:
        self._load()
        return super().__getitem__(key)

    def values(self) -> Any:
        self._load()
        return super().values()


@dataclass
class Board:
    """The matching package's view of a board, with the rows it came from."""

    requests: list[Any]
    offers: list[Any]
    request_rows: Rows
    offer_rows: Rows


_COLUMNS = (
    "pk",
    "person_id",
    "text",
    "in_person",
    "phone",
    "video",
    "site_id",
    "slots",
    "person__team__department_id",
    "person__hire_date",
)


def build_board(requests: QuerySet[Request], offers: QuerySet[Offer]) -> Board:
    """Turn open requests and offers into the matching package's inputs, with a fixed
    number of queries and no model instances (10,000 by 10,000 in a few seconds)."""
    from sylva.exchange.matching import OfferIn, RequestIn  # lazy: numpy, SciPy, OR-Tools

    requests = requests.select_related(None).prefetch_related(None).order_by()
    offers = offers.select_related(None).prefetch_related(None).order_by()
    offer_rows = list(offers.values_list(*_COLUMNS, "capacity"))
    request_rows = list(requests.values_list(*_COLUMNS))
    offer_skills: dict[int, set[int]] = defaultdict(set)
    for offer_id, skill_id in Offer.skills.through.objects.filter(
        offer_id__in=offers.values("pk")
    ).values_list("offer_id", "skill_id"):
        offer_skills[offer_id].add(skill_id)
    request_skills: dict[int, set[int]] = defaultdict(set)
    for request_id, skill_id in Request.skills.through.objects.filter(
        request_id__in=requests.values("pk")
    ).values_list("request_id", "skill_id"):
        request_skills[request_id].add(skill_id)
    domain_of = dict(Skill.objects.values_list("pk", "domain_id"))
    skill_ids = {s for ss in (*offer_skills.values(), *request_skills.values()) for s in ss}
    levels: dict[tuple[int, int], int] = {}
    holders = PersonSkill.objects.filter(skill_id__in=skill_ids).filter(
        Q(person_id__in=offers.values("person_id")) | Q(person_id__in=requests.values("person_id"))
    )
    for person_id, skill_id, level in holders.values_list("person_id", "skill_id", "level"):
        levels[(person_id, skill_id)] = level
    given, received = balances()
    used = used_capacity(offers)
    newcomer_since = timezone.localdate() - timedelta(days=settings.SYLVA_NEWCOMER_DAYS)

    def common(row: tuple[Any, ...], skills: set[int]) -> dict[str, Any]:
        pk, person, text, in_person, phone, video, site, slots, department, _hired = row[:10]
        return {
            "id": pk,
            "person": person,
            "skills": frozenset(skills),
            "domains": frozenset(domain_of[s] for s in skills),
            "level": max((levels.get((person, s), 0) for s in skills), default=0),
            "text": text,
            "formats": frozenset(
                f for f, on in (("in_person", in_person), ("phone", phone), ("video", video)) if on
            ),
            "site": site,
            "department": department,
            "slots": frozenset(slots or ()),
            "given": given.get(person, 0),
            "received": received.get(person, 0),
        }

    offers_in = [
        OfferIn(**common(row, offer_skills[row[0]]), capacity=max(0, row[10] - used.get(row[0], 0)))
        for row in offer_rows
    ]
    requests_in = [
        RequestIn(**common(row, request_skills[row[0]]), newcomer=row[9] > newcomer_since)
        for row in request_rows
    ]
    return Board(
        requests_in,
        offers_in,
        Rows(Request.objects.filter(pk__in=requests.values("pk")).select_related("person")),
        Rows(
            Offer.objects.filter(pk__in=offers.values("pk"))
            .select_related("person__team__department", "site")
            .prefetch_related("skills__domain")
        ),
    )


# --- explanations ---------------------------------------------------------------------


def _names(model: Any, ids: Iterable[int]) -> dict[int, str]:
    return {o.pk: o.name for o in model.objects.filter(pk__in=set(ids))}


@dataclass(frozen=True)
class Names:
    """The names of the skills and domains the reasons point at, read once."""

    skills: dict[int, str]
    domains: dict[int, str]
    learner: str = ""  # the request's author and the offer's, named for a third person
    teacher: str = ""


#: who reads the reasons: the request's author, the offer's, or a third person (an animator
#: reviewing a matching run), to whom both are named
LEARNER, TEACHER, OBSERVER = "learner", "teacher", "observer"


def _skill(p: dict[str, Any], names: Names, side: str) -> str | None:
    skill = names.skills.get(p["skill"], "?")
    if side == TEACHER:
        return _("asks for %(skill)s, which you offer") % {"skill": skill}
    level = int(p.get("level") or 0)
    if side == OBSERVER:
        if level <= 0:
            return _("%(teacher)s offers %(skill)s") % {"teacher": names.teacher, "skill": skill}
        return _("%(teacher)s knows %(skill)s, level %(level)d of 4") % {
            "teacher": names.teacher,
            "skill": skill,
            "level": level,
        }
    if level <= 0:  # an undeclared level is no reason to give
        return _("offers %(skill)s") % {"skill": skill}
    return _("knows %(skill)s, level %(level)d of 4") % {"skill": skill, "level": level}


def _domain(p: dict[str, Any], names: Names, side: str) -> str | None:
    domain = names.domains.get(p["domain"], "?")
    if side == TEACHER:
        return _("asks for a related skill (%(domain)s)") % {"domain": domain}
    return _("a related skill, in %(domain)s") % {"domain": domain}


def _level_gap(p: dict[str, Any], names: Names, side: str) -> str | None:
    gap = int(p.get("gap", 0))
    if side == TEACHER:
        return ngettext("you are %(gap)d level ahead", "you are %(gap)d levels ahead", gap) % {
            "gap": gap
        }
    if side == OBSERVER:
        return ngettext(
            "%(teacher)s is %(gap)d level ahead of %(learner)s",
            "%(teacher)s is %(gap)d levels ahead of %(learner)s",
            gap,
        ) % {"teacher": names.teacher, "learner": names.learner, "gap": gap}
    return ngettext("%(gap)d level ahead of you", "%(gap)d levels ahead of you", gap) % {"gap": gap}


def _slots(p: dict[str, Any], names: Names, side: str) -> str | None:
    days = [str(WEEKDAYS[d]).lower() for d in p.get("weekdays", []) if 0 <= d < 7]
    if not days:
        return None
    if side == OBSERVER:
        return _("both free on %(days)s") % {"days": ", ".join(days)}
    return _("you are both free on %(days)s") % {"days": ", ".join(days)}


def _load(p: dict[str, Any], names: Names, side: str) -> str | None:
    n = int(p.get("capacity", 0))
    if side == TEACHER:
        return ngettext(
            "you have %(n)d place left this month", "you have %(n)d places left this month", n
        ) % {"n": n}
    if side == OBSERVER:
        return ngettext(
            "%(teacher)s has %(n)d place left this month",
            "%(teacher)s has %(n)d places left this month",
            n,
        ) % {"teacher": names.teacher, "n": n}
    return ngettext("%(n)d place left this month", "%(n)d places left this month", n) % {"n": n}


def _where(p: dict[str, Any], names: Names, side: str) -> str | None:
    if side == OBSERVER:
        return _("same site: they can meet face to face")
    return _("same site: you can meet face to face")


def _remote(p: dict[str, Any], names: Names, side: str) -> str | None:
    formats = set(p.get("formats") or ())
    if side == OBSERVER:
        if formats == {"video"}:
            return _("by video, which they both accept")
        if formats == {"phone"}:
            return _("by phone, which they both accept")
        return _("by phone or video, which they both accept")
    if formats == {"video"}:
        return _("by video, which you both accept")
    if formats == {"phone"}:
        return _("by phone, which you both accept")
    return _("by phone or video, which you both accept")


def _newcomer(p: dict[str, Any], names: Names, side: str) -> str | None:
    if side == TEACHER:
        return _("a newcomer: newcomers come first")
    if side == OBSERVER:
        return _("%(learner)s is a newcomer: newcomers come first") % {"learner": names.learner}
    return _("newcomers come first")


def _giver(p: dict[str, Any], names: Names, side: str) -> str | None:
    if side == TEACHER:
        return _("they have given as much as they received")
    if side == OBSERVER:
        return _("%(learner)s has given as much as they received") % {"learner": names.learner}
    return _("you have given as much as you received")


def _text(p: dict[str, Any], names: Names, side: str) -> str | None:
    if side == OBSERVER:
        return _("what they wrote is close")
    return _("what you wrote is close")


def _fixed(phrase: Callable[[], str]) -> Callable[[dict[str, Any], Names, str], str | None]:
    return lambda _p, _names, _side: phrase()


#: each reason code of ``matching.scoring`` and its phrase (a code with no phrase says nothing)
PHRASES: dict[str, Callable[[dict[str, Any], Names, str], str | None]] = {
    "skill": _skill,
    "domain": _domain,
    "text": _text,
    "level_gap": _level_gap,
    "same_site": _where,
    "remote_ok": _remote,
    "other_department": _fixed(lambda: _("another department: it crosses silos")),
    "slots": _slots,
    "newcomer": _newcomer,
    "giver": _giver,
    "load": _load,
}


def explain(
    reasons: Sequence[Any], *, side: str = LEARNER, learner: str = "", teacher: str = ""
) -> list[str]:
    """Short translated phrases for a candidate's reasons, for the request's author
    (``side=LEARNER``), the offer's (``TEACHER``) or a third person (``OBSERVER``, who
    reads the two people named: ``learner`` the request's author, ``teacher`` the offer's),
    in the active language."""
    if side == OBSERVER and not (learner and teacher):
        raise ValueError("an observer's reasons name the learner and the teacher")
    names = Names(
        skills=_names(Skill, [r.params["skill"] for r in reasons if r.code == "skill"]),
        domains=_names(SkillDomain, [r.params["domain"] for r in reasons if r.code == "domain"]),
        learner=learner,
        teacher=teacher,
    )
    out: list[str] = []
    for r in reasons:
        phrase = PHRASES.get(r.code)
        said = phrase(r.params or {}, names, side) if phrase is not None else None
        if said:
            out.append(said)
    return out


#: what a score means to a person, from its distribution (docs/matching.md, "Fit"): on the
#: demo board and the benchmark board alike, nine in ten pairs sharing the requested skill
#: score 70 or more and half of them 75 or more, while pairs sharing only a domain stay
#: under 55 nine times in ten
VERY_GOOD_FIT = 75.0
GOOD_FIT = 60.0


def fit(score: float) -> str:
    """The score in words: "a very good fit", "a good fit" or "worth a look"."""
    if score >= VERY_GOOD_FIT:
        return _("a very good fit")
    if score >= GOOD_FIT:
        return _("a good fit")
    return _("worth a look")


def reasons_to_json(reasons: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"code": r.code, "params": dict(r.params or {})} for r in reasons]


def reasons_from_json(data: Sequence[dict[str, Any]]) -> list[Any]:
    from sylva.exchange.matching import Reason  # lazy: numpy, SciPy, OR-Tools

    return [Reason(d["code"], d.get("params") or {}) for d in data]


# --- one function to filter and to explain ----------------------------------------------

# reasons about the postings and the people, beside the matcher's own
# (``matching.eligibility``: self, no_capacity, no_shared_skill, other_site,
# no_common_format)
PAUSED = "paused"  # the offer is paused by its author
CLOSED = "closed"  # the offer is closed
LEFT = "left"  # the offer's author left (inactive account)
NOT_JOINED = "not_joined"  # the offer's author has not joined the network yet
REQUEST_NOT_OPEN = "request_not_open"  # the request is paused, closed or expired
REQUEST_NOT_JOINED = "request_not_joined"  # the request's author has not joined the network
UNDER_WAY = "under_way"  # an exchange between the two on this skill is under way


@dataclass(frozen=True)
class Why:
    """One reason a pair is not suggested, e.g. ``Why("no_capacity", {"date": …})``."""

    code: str
    params: dict[str, Any]


@dataclass
class Verdict:
    """A (request, offer) pair as the board judges it: its explained candidate (a
    suggestion) or the reasons it is not one (``why``), and the exchange already under way
    between the two, if any."""

    request: Request
    offer: Offer
    candidate: Any  # matching.Candidate | None
    why: tuple[Why, ...]
    under_way: Exchange | None = None

    @property
    def suggested(self) -> bool:
        return self.candidate is not None

    @property
    def on_skill(self) -> bool:
        """The offer shares one of the request's skills (not only a domain)."""
        return bool(
            {s.pk for s in self.request.skills.all()} & {s.pk for s in self.offer.skills.all()}
        )


def _posting_reasons(offers: Sequence[Offer]) -> dict[int, list[Why]]:
    """Why each offer is off the board: paused or closed, its author gone or not joined."""
    people = {o.person_id for o in offers}
    joined = set(
        Person.objects.filter(pk__in=people)
        .filter(joined_filter("pk"))
        .values_list("pk", flat=True)
    )
    found: dict[int, list[Why]] = {}
    for o in offers:
        why: list[Why] = []
        if o.state == Offer.State.PAUSED:
            why.append(Why(PAUSED, {}))
        elif o.state != Offer.State.OPEN:
            why.append(Why(CLOSED, {}))
        if not o.person.user.is_active:
            why.append(Why(LEFT, {}))
        elif o.person_id not in joined:
            why.append(Why(NOT_JOINED, {}))
        found[o.pk] = why
    return found


def _request_reasons(request: Request) -> list[Why]:
    if request.state != Request.State.OPEN or request.expires_at <= timezone.now():
        state = Request.State.EXPIRED if request.state == Request.State.OPEN else request.state
        return [Why(REQUEST_NOT_OPEN, {"state": state})]
    return []


def _live_between(requests: Sequence[Request], offers: Sequence[Offer]) -> list[Exchange]:
    return list(
        Exchange.objects.live()
        .filter(
            learner_id__in={r.person_id for r in requests},
            teacher_id__in={o.person_id for o in offers},
        )
        .select_related("teacher", "learner", "skill")
        .order_by("pk")
    )


def _under_way(request: Request, offer: Offer, live: Sequence[Exchange]) -> Exchange | None:
    """The exchange a proposal on this pair would meet (``services.exchanges.under_way``):
    between the same two people, on one of the request's skills or on this offer."""
    skills = {s.pk for s in request.skills.all()}
    for x in live:
        if x.teacher_id != offer.person_id or x.learner_id != request.person_id:
            continue
        if x.offer_id == offer.pk or x.skill_id in skills:
            return x
    return None


def _matcher_reasons(codes: Sequence[str], offer: Offer) -> list[Why]:
    from sylva.exchange.matching import eligibility  # lazy: numpy, SciPy, OR-Tools

    why: list[Why] = []
    for code in codes:
        params: dict[str, Any] = {}
        if code == eligibility.NO_CAPACITY:
            params = {"date": next_place_at(offer)}
        elif code == eligibility.OTHER_SITE:
            params = {"site": offer.site.name if offer.site else ""}
        elif code == eligibility.NO_COMMON_FORMAT:
            params = {"formats": sorted(offer.formats)}
        why.append(Why(code, params))
    return why


def assess(requests: QuerySet[Request], offers: QuerySet[Offer]) -> list[Verdict]:
    """Every (request, offer) pair of these, judged: suggested with its score and reasons,
    or not with every reason why. The suggestions of both sides and the "why not?" answers
    all come from here, so a reason given is the reason filtering used."""
    from sylva.exchange.matching import eligibility, score  # lazy: numpy, SciPy, OR-Tools

    request_rows = list(requests.select_related("person", "site").prefetch_related("skills"))
    offer_rows = list(
        offers.select_related("person__user", "person__team__department", "site")
        .prefetch_related("skills__domain")
        .order_by("pk")
    )
    if not request_rows or not offer_rows:
        return []
    board = build_board(
        Request.objects.filter(pk__in=[r.pk for r in request_rows]),
        Offer.objects.filter(pk__in=[o.pk for o in offer_rows]),
    )
    requests_in = {r.id: r for r in board.requests}
    offers_in = {o.id: o for o in board.offers}
    off_board = _posting_reasons(offer_rows)
    live = _live_between(request_rows, offer_rows)
    verdicts: list[Verdict] = []
    for request in request_rows:
        mine = _request_reasons(request)
        for offer in offer_rows:
            req_in, off_in = requests_in[request.pk], offers_in[offer.pk]
            why = [*mine, *off_board[offer.pk]]
            existing = _under_way(request, offer, live)
            if existing is not None:
                why.append(Why(UNDER_WAY, {"exchange": existing}))
            why += _matcher_reasons(eligibility.exclusions(req_in, off_in), offer)
            candidate = None if why else score(req_in, off_in)
            verdicts.append(Verdict(request, offer, candidate, tuple(why), existing))
    return verdicts


# --- ranked offers for one request, ranked requests for one offer ---------------------


@dataclass
class Suggestion:
    offer: Offer
    score: float
    reasons: list[str]
    fit: str = ""
    on_skill: bool = True
    request: Request | None = None


def candidate_offers(request: Request) -> QuerySet[Offer]:
    """Offers still on the board or paused that share a skill or a domain with the request,
    by someone else: those worth judging (closed ones never come back)."""
    skills = list(request.skills.all())
    domains = {s.domain_id for s in skills}
    return (
        Offer.objects.filter(state__in=LIVE)
        .exclude(person_id=request.person_id)
        .filter(Q(skills__in=skills) | Q(skills__domain_id__in=domains))
        .distinct()
    )


def _rank(verdicts: Iterable[Verdict]) -> list[Verdict]:
    """Suggestions on the request's own skill first, then the best score, then the oldest."""
    found = [v for v in verdicts if v.candidate is not None]
    found.sort(key=lambda v: (not v.on_skill, -v.candidate.score, v.offer.pk, v.request.pk))
    return found


def _suggestion(v: Verdict, side: str) -> Suggestion:
    return Suggestion(
        v.offer,
        v.candidate.score,
        explain(v.candidate.reasons, side=side),
        fit(v.candidate.score),
        v.on_skill,
        v.request,
    )


def verdicts_for(request: Request, offers: QuerySet[Offer] | None = None) -> list[Verdict]:
    candidates = candidate_offers(request)
    if offers is not None:
        candidates = candidates.filter(pk__in=offers.values("pk"))
    return assess(Request.objects.filter(pk=request.pk), candidates)


def suggestions_for(
    request: Request, *, limit: int = 10, offers: QuerySet[Offer] | None = None
) -> list[Suggestion]:
    """The best offers for a request (among ``offers``, by default the board), those on the
    request's own skills first, each with its fit and explanation."""
    return [_suggestion(v, LEARNER) for v in _rank(verdicts_for(request, offers))[:limit]]


@dataclass
class Suggestions:
    """What a posting's page shows its author: the suggestions, and the colleagues already
    in an exchange with them on the skill (not suggested again: the exchange is linked)."""

    suggested: list[Suggestion]
    under_way: list[Verdict]
    blocked: int = 0  # pairs excluded because the offer has no place left (the offer's page)


def for_request(request: Request, *, limit: int = 10) -> Suggestions:
    verdicts = verdicts_for(request)
    return Suggestions(
        [_suggestion(v, LEARNER) for v in _rank(verdicts)[:limit]],
        _under_way_once(verdicts),
    )


def _under_way_once(verdicts: Iterable[Verdict]) -> list[Verdict]:
    seen: set[int] = set()
    out = []
    for v in verdicts:
        if v.under_way is not None and v.under_way.pk not in seen:
            seen.add(v.under_way.pk)
            out.append(v)
    return out


def candidate_requests(offer: Offer) -> QuerySet[Request]:
    """Open requests of people who joined that share a skill or a domain with the offer, by
    someone else."""
    skills = list(offer.skills.all())
    domains = {s.domain_id for s in skills}
    return (
        board_requests()
        .exclude(person_id=offer.person_id)
        .filter(Q(skills__in=skills) | Q(skills__domain_id__in=domains))
        .distinct()
    )


def for_offer(offer: Offer, *, limit: int = 10) -> Suggestions:
    """The open requests my offer could answer, best first (those asking its own skills
    first), and those whose author already has an exchange with me on it."""
    from sylva.exchange.matching import eligibility  # lazy: numpy, SciPy, OR-Tools

    verdicts = assess(candidate_requests(offer), Offer.objects.filter(pk=offer.pk))
    blocked = sum(
        1
        for v in verdicts
        if [w.code for w in v.why] == [eligibility.NO_CAPACITY] and v.under_way is None
    )
    return Suggestions(
        [_suggestion(v, TEACHER) for v in _rank(verdicts)[:limit]],
        _under_way_once(verdicts),
        blocked,
    )


# --- why not? ---------------------------------------------------------------------------


def why_not(request: Request, offer: Offer, *, side: str = LEARNER) -> tuple[Why, ...]:
    """Why the pair is not suggested: ``offer`` to the request's author (``side=LEARNER``)
    or ``request`` to the offer's (``TEACHER``), the reasons the filtering used (empty when
    it is suggested). The offer's author is suggested only the requests on the board
    (:func:`candidate_requests`): one whose author has not joined the network yet says so."""
    [verdict] = assess(Request.objects.filter(pk=request.pk), Offer.objects.filter(pk=offer.pk))
    why = verdict.why
    if (
        side == TEACHER
        and request.person_id != offer.person_id
        and request.person.user.is_active
        and not has_joined(request.person)
    ):
        why = (*why, Why(REQUEST_NOT_JOINED, {"name": request.person.full_name}))
    return why


def offers_to_ask_about(request: Request) -> QuerySet[Offer]:
    """The offers on the request's skills a person may ask "why not?" about: anyone else's,
    on the board or paused (what the posting pages show anyone)."""
    return (
        Offer.objects.filter(state__in=LIVE, skills__in=request.skills.all())
        .exclude(person_id=request.person_id)
        .filter(person__user__is_active=True)
        .select_related("person")
        .prefetch_related("skills")
        .distinct()
        .order_by("person__last_name", "person__first_name", "pk")
    )


def _date(value: Any) -> str:
    return date_format(timezone.localtime(value), "DATE_FORMAT") if value else ""


def _format_names(formats: Sequence[str]) -> str:
    labels = {"in_person": _("face to face"), "phone": _("phone"), "video": _("video")}
    return ", ".join(str(labels.get(f, f)) for f in formats)


def _why_no_capacity(p: dict[str, Any]) -> str:
    if p.get("date"):
        return _("No place left this month: the next one frees on %(date)s.") % {
            "date": _date(p["date"])
        }
    return _("No place left this month.")


def _why_under_way(p: dict[str, Any]) -> str:
    x = p["exchange"]
    return _("An exchange with %(name)s on %(skill)s is already under way (%(state)s).") % {
        "name": x.teacher.full_name,
        "skill": x.skill.name if x.skill else "—",
        "state": x.get_state_display(),
    }


WHY_PHRASES: dict[str, Callable[[dict[str, Any]], str]] = {
    "self": lambda p: _("It is your own offer."),
    "no_capacity": _why_no_capacity,
    "no_shared_skill": lambda p: _("It shares neither a skill nor a domain with your request."),
    "other_site": lambda p: (
        _("Only face to face would suit you both, and the offer is on another site (%(site)s).")
        % {"site": p.get("site") or "—"}
    ),
    "no_common_format": lambda p: (
        _("No format in common: the offer is by %(formats)s, your request asks otherwise.")
        % {"formats": _format_names(p.get("formats") or ())}
    ),
    PAUSED: lambda p: _("Its author has paused it for now."),
    CLOSED: lambda p: _("It is closed."),
    LEFT: lambda p: _("Its author is no longer on Sylva."),
    NOT_JOINED: lambda p: _(
        "Its author has not joined the network yet (an offer and a request on the board)."
    ),
    REQUEST_NOT_JOINED: lambda p: (
        _(
            "%(name)s has not joined the exchange network yet (an offer and a request on the"
            " board): their request is not on the board."
        )
        % {"name": p.get("name") or "—"}
    ),
    REQUEST_NOT_OPEN: lambda p: (
        _("Your request is not open (%(state)s): renew or reopen it.")
        % {"state": Request.State(p["state"]).label if p.get("state") else ""}
    ),
    UNDER_WAY: _why_under_way,
}


def explain_why(why: Sequence[Why]) -> list[str]:
    """Plain sentences for the reasons a pair is not suggested, in the active language."""
    return [WHY_PHRASES[w.code](w.params) for w in why if w.code in WHY_PHRASES]


@dataclass
class WhyNot:
    """The answer to "why not …?" about one colleague's offer (or about a colleague with no
    offer on the skill: ``offer`` is None)."""

    person: Person
    offer: Offer | None
    suggestion: Suggestion | None  # it is suggested after all
    sentences: list[str]
    under_way: Exchange | None = None


def _answer(v: Verdict) -> WhyNot:
    return WhyNot(
        v.offer.person,
        v.offer,
        _suggestion(v, LEARNER) if v.candidate is not None else None,
        explain_why(v.why),
        v.under_way,
    )


def _people_named(text: str, request: Request) -> list[Person]:
    query = Q()
    for word in text.split()[:4]:
        query &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return list(
        Person.objects.filter(query, user__is_active=True)  # those who left are not looked up
        .exclude(pk=request.person_id)
        .order_by("last_name", "first_name", "pk")[:5]
    )


def why_not_answers(request: Request, *, offer_id: str = "", who: str = "") -> list[WhyNot]:
    """ "Why not …?" on a request's page: about one of the offers on its skills (``offer_id``)
    or about the colleagues whose name matches ``who``. The reasons come from
    :func:`assess`, the function that filters the suggestions."""
    offers = offers_to_ask_about(request)
    if offer_id:
        chosen = offers.filter(pk=offer_id) if offer_id.isdigit() else offers.none()
        return [_answer(v) for v in assess(Request.objects.filter(pk=request.pk), chosen)]
    named = _people_named(who, request) if who.strip() else []
    # one assessment for all the colleagues named, then their answers one by one
    verdicts = assess(Request.objects.filter(pk=request.pk), offers.filter(person__in=named))
    declared = set(
        PersonSkill.objects.filter(
            person__in=named, skill__in=request.skills.all(), level__gt=0
        ).values_list("person_id", flat=True)
    )
    answers: list[WhyNot] = []
    for person in named:
        theirs = [_answer(v) for v in verdicts if v.offer.person_id == person.pk]
        answers += theirs
        if not theirs:
            said = [_("%(name)s has no offer on this skill.") % {"name": person.full_name}]
            if person.pk not in declared:
                said.append(_("%(name)s has not declared this skill.") % {"name": person.full_name})
            answers.append(WhyNot(person, None, None, said))
    return answers


# --- another colleague for the same skill, now --------------------------------------------


def offers_with_place(
    learner: Person, skill: Skill, *, exclude: Iterable[int] = (), limit: int = 3
) -> list[Suggestion]:
    """Colleagues' offers on ``skill`` that could take ``learner`` now, best first: the
    suggestions for the learner's own open request on the skill when there is one, or else
    for the request they would write (this skill alone, by any format, from their site). Either
    way the matcher's filter (``matching.eligibility``) and :func:`assess`'s reasons decide:
    an offer with no place left, on another site only, or with an exchange already under way
    with the learner is never named. The people in ``exclude`` are left out."""
    from sylva.exchange.matching import RequestIn, eligibility, score  # lazy

    left_out = {*exclude, learner.pk}
    offers = board_offers().filter(skills=skill).exclude(person_id__in=left_out).distinct()
    request = (
        Request.objects.filter(
            person=learner, state=Request.State.OPEN, skills=skill, expires_at__gt=timezone.now()
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if request is not None:
        ranked = _rank(v for v in verdicts_for(request, offers) if v.on_skill)
        return [_suggestion(v, LEARNER) for v in ranked[:limit]]
    board = build_board(Request.objects.none(), offers)
    busy = set(
        Exchange.objects.live()
        .filter(learner=learner)
        .filter(Q(skill=skill) | Q(offer__in=offers.values("pk")))
        .values_list("teacher_id", flat=True)
    )
    level = (
        PersonSkill.objects.filter(person=learner, skill=skill)
        .values_list("level", flat=True)
        .first()
    ) or 0
    given, received = balances(Person.objects.filter(pk=learner.pk).values("pk"))
    wish = RequestIn(
        id=0,
        person=learner.pk,
        skills=frozenset({skill.pk}),
        domains=frozenset({skill.domain_id}),
        level=level,
        text="",
        formats=frozenset({"in_person", "phone", "video"}),
        site=learner.site_id,
        department=learner.team.department_id if learner.team else None,
        slots=frozenset(),
        given=given.get(learner.pk, 0),
        received=received.get(learner.pk, 0),
    )
    found = []
    for off_in in board.offers:
        if off_in.person in busy or eligibility.exclusions(wish, off_in):
            continue
        candidate = score(wish, off_in)
        if candidate is not None:
            found.append((off_in.id, candidate))
    found.sort(key=lambda pair: (-pair[1].score, pair[0]))
    return [
        Suggestion(
            board.offer_rows[pk],
            c.score,
            explain(c.reasons, side=LEARNER),
            fit(c.score),
        )
        for pk, c in found[:limit]
    ]
