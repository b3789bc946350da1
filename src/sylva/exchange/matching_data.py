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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sylva.exchange.models import WEEKDAYS, Exchange, Offer, Request
from sylva.exchange.queries import board_offers, used_capacity
from sylva.people.models import PersonSkill, Skill, SkillDomain

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


def _skill(p: dict[str, Any], names: Names) -> str | None:
    return _("level %(level)s in %(skill)s") % {
        "level": p.get("level"),
        "skill": names.skills.get(p["skill"], "?"),
    }


def _domain(p: dict[str, Any], names: Names) -> str | None:
    return _("knows the domain %(domain)s") % {"domain": names.domains.get(p["domain"], "?")}


def _level_gap(p: dict[str, Any], names: Names) -> str | None:
    gap = int(p.get("gap", 0))
    return ngettext("%(gap)d level ahead", "%(gap)d levels ahead", gap) % {"gap": gap}


def _slots(p: dict[str, Any], names: Names) -> str | None:
    days = [str(WEEKDAYS[d]).lower() for d in p.get("weekdays", []) if 0 <= d < 7]
    return _("available on %(days)s") % {"days": ", ".join(days)} if days else None


def _load(p: dict[str, Any], names: Names) -> str | None:
    n = int(p.get("capacity", 0))
    return ngettext("%(n)d place left this month", "%(n)d places left this month", n) % {"n": n}


def _fixed(phrase: Callable[[], str]) -> Callable[[dict[str, Any], Names], str | None]:
    return lambda _p, _names: phrase()


#: each reason code of ``matching.scoring`` and its phrase (a code with no phrase says nothing)
PHRASES: dict[str, Callable[[dict[str, Any], Names], str | None]] = {
    "skill": _skill,
    "domain": _domain,
    "text": _fixed(lambda: _("close description")),
    "level_gap": _level_gap,
    "same_site": _fixed(lambda: _("same site")),
    "remote_ok": _fixed(lambda: _("by phone or video")),
    "other_department": _fixed(lambda: _("another department")),
    "slots": _slots,
    "newcomer": _fixed(lambda: _("welcomes a newcomer")),
    "giver": _fixed(lambda: _("has given before")),
    "load": _load,
}


def explain(reasons: Sequence[Any]) -> list[str]:
    """Short translated phrases for a candidate's reasons, in the language of the request."""
    names = Names(
        skills=_names(Skill, [r.params["skill"] for r in reasons if r.code == "skill"]),
        domains=_names(SkillDomain, [r.params["domain"] for r in reasons if r.code == "domain"]),
    )
    out: list[str] = []
    for r in reasons:
        phrase = PHRASES.get(r.code)
        said = phrase(r.params or {}, names) if phrase is not None else None
        if said:
            out.append(said)
    return out


def reasons_to_json(reasons: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"code": r.code, "params": dict(r.params or {})} for r in reasons]


def reasons_from_json(data: Sequence[dict[str, Any]]) -> list[Any]:
    from sylva.exchange.matching import Reason  # lazy: numpy, SciPy, OR-Tools

    return [Reason(d["code"], d.get("params") or {}) for d in data]


# --- ranked offers for one request ----------------------------------------------------


@dataclass
class Suggestion:
    offer: Offer
    score: float
    reasons: list[str]


def candidate_offers(request: Request) -> QuerySet[Offer]:
    """Open offers that share a skill or a domain with the request, by someone else."""
    skills = list(request.skills.all())
    domains = {s.domain_id for s in skills}
    return (
        board_offers()
        .exclude(person_id=request.person_id)
        .filter(Q(skills__in=skills) | Q(skills__domain_id__in=domains))
        .distinct()
    )


def suggestions_for(
    request: Request, *, limit: int = 10, offers: QuerySet[Offer] | None = None
) -> list[Suggestion]:
    """The best offers for a request (among ``offers``, by default the board), best first,
    each with its explanation."""
    from sylva.exchange.matching import score  # lazy: numpy, SciPy, OR-Tools

    candidates = candidate_offers(request)
    if offers is not None:
        candidates = candidates.filter(pk__in=offers.values("pk"))
    offers = candidates
    board = build_board(Request.objects.filter(pk=request.pk), offers)
    if not board.requests:
        return []
    req = board.requests[0]
    found = []
    for offer_in in board.offers:
        candidate = score(req, offer_in)
        if candidate is not None:
            found.append(candidate)
    found.sort(key=lambda c: (-c.score, c.offer))
    return [
        Suggestion(board.offer_rows[c.offer], c.score, explain(c.reasons)) for c in found[:limit]
    ]
