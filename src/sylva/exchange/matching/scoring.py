"""The score of one (request, offer) pair, 0-100, with the reasons behind it.

Every weight is a named constant below; docs/matching.md explains them. ``candidates.py``
uses the same constants in a vectorised pre-selection, then calls ``score_pair`` for the
pairs it keeps, so a candidate's score is always exactly ``score(request, offer)``.
"""

from __future__ import annotations

from sylva.exchange.matching import text
from sylva.exchange.matching.eligibility import exclusions, modality
from sylva.exchange.matching.model import REMOTE_FORMATS, Candidate, OfferIn, Reason, RequestIn

__all__ = ["exclusions", "modality", "score", "score_pair"]

# Skill fit (taxonomy): a shared skill beats a shared domain only.
SKILL_BASE = 25.0  # at least one requested skill is offered
SKILL_COVERAGE = 10.0  # x share of the requested skills the offer covers
DOMAIN_ONLY = 12.0  # no shared skill, but a shared domain
# Free text (French/English character n-gram cosine).
TEXT = 20.0  # x similarity
TEXT_REASON_MIN = 0.25  # similarity from which the text is worth mentioning
# Level gap: offerer's level minus learner's level.
LEVEL_GAP_POINTS = {0: 2.0, 1: 10.0, 2: 14.0, 3: 15.0}  # gap <= 0 -> [0], >= 3 -> [3]
# Modalities.
SAME_SITE = 5.0  # face to face possible on the same site
REMOTE_OK = 3.0  # otherwise phone or video works for both
SLOTS = 8.0  # x min(1, common weekly hours / SLOTS_FULL_HOURS)
SLOTS_FULL_HOURS = 2
SLOTS_UNKNOWN = 4.0  # one side declared no availability: neither good nor bad
# Ecosystem aims.
OTHER_DEPARTMENT = 6.0  # crossing silos
NEWCOMER = 5.0  # integrating newcomers
GIVER = 3.0  # the requester has given at least as much as received
LOAD = 3.0  # x min(capacity, LOAD_FULL) / LOAD_FULL: spread the load on the many
LOAD_FULL = 4

MAX_REASONS = 5  # reasons kept per candidate, largest contribution first
REASON_MIN_POINTS = 2.0  # contributions below this are not worth a line

# the formats a modality stands for (named in its reason: "by video, as you both wish")
FORMATS_HERE = {"same_site": frozenset({"in_person"}), "remote_ok": REMOTE_FORMATS}

FORMAT_BITS = {"in_person": 1, "phone": 2, "video": 4}
IN_PERSON_BIT = 1
REMOTE_BITS = 2 | 4


def format_mask(formats: frozenset[str]) -> int:
    mask = 0
    for name in formats:
        mask |= FORMAT_BITS.get(name, 0)
    return mask


def level_points(gap: int) -> float:
    return LEVEL_GAP_POINTS[min(max(gap, 0), 3)]


def score(request: RequestIn, offer: OfferIn) -> Candidate | None:
    """The explained score of ``offer`` for ``request``, or ``None`` when they cannot match.

    Incompatible exactly when ``eligibility.exclusions`` gives a reason: same person, no
    capacity left, no shared skill nor domain, no format that works for both (face to face
    additionally needs the same site unless a site is unknown).
    """
    return score_pair(request, offer, text.similarity(request.text, offer.text))


def _skill_fit(request: RequestIn, offer: OfferIn) -> tuple[float, Reason] | None:
    """A shared skill (more for covering more of the request), else a shared domain, else
    no match."""
    shared_skills = request.skills & offer.skills
    if shared_skills:
        coverage = len(shared_skills) / len(request.skills)
        points = SKILL_BASE + SKILL_COVERAGE * coverage
        return points, Reason("skill", {"skill": min(shared_skills), "level": offer.level})
    shared_domains = request.domains & offer.domains
    if not shared_domains:
        return None
    return DOMAIN_ONLY, Reason("domain", {"domain": min(shared_domains)})


def _slot_fit(request: RequestIn, offer: OfferIn) -> tuple[float, Reason | None]:
    """Common weekly hours (a reason when there are some); neutral when a side gave none."""
    if not (request.slots and offer.slots):
        return SLOTS_UNKNOWN, None
    common_slots = request.slots & offer.slots
    slot_points = SLOTS * min(1.0, len(common_slots) / SLOTS_FULL_HOURS)
    if not common_slots:
        return slot_points, None
    weekdays = sorted({hour // 24 for hour in common_slots})
    return slot_points, Reason("slots", {"weekdays": weekdays})


def _aims(request: RequestIn, offer: OfferIn) -> list[tuple[float, Reason]]:
    """The ecosystem's aims, in this order: crossing silos, integrating newcomers, giving
    back, spreading the load."""
    out: list[tuple[float, Reason]] = []
    if (
        request.department is not None
        and offer.department is not None
        and request.department != offer.department
    ):
        out.append((OTHER_DEPARTMENT, Reason("other_department", {})))
    if request.newcomer:
        out.append((NEWCOMER, Reason("newcomer", {})))
    if request.given >= request.received:
        out.append((GIVER, Reason("giver", {})))
    load_points = LOAD * min(offer.capacity, LOAD_FULL) / LOAD_FULL
    out.append((load_points, Reason("load", {"capacity": offer.capacity})))
    return out


def score_pair(request: RequestIn, offer: OfferIn, similarity: float) -> Candidate | None:
    """``score`` with the text similarity already computed (see ``text.similarity``).

    The points are added in this order (``candidates._exact_scores`` repeats it to the last
    bit): skill fit, text, level gap, modality, slots, then the ecosystem's aims."""
    if exclusions(request, offer):
        return None
    where = modality(request, offer)
    fit = _skill_fit(request, offer)
    if where is None or fit is None:  # never, after exclusions (for the type checker)
        return None
    total, _reason = fit
    contributions: list[tuple[float, Reason]] = [fit]

    text_points = TEXT * similarity
    total += text_points
    if similarity >= TEXT_REASON_MIN:
        contributions.append((text_points, Reason("text", {"similarity": round(similarity, 2)})))

    gap = offer.level - request.level
    gap_points = level_points(gap)
    total += gap_points
    if gap >= 1:
        contributions.append((gap_points, Reason("level_gap", {"gap": gap})))

    where_points = SAME_SITE if where == "same_site" else REMOTE_OK
    total += where_points
    formats = sorted(request.formats & offer.formats & (FORMATS_HERE[where]))
    contributions.append((where_points, Reason(where, {"formats": formats})))

    slot_points, slot_reason = _slot_fit(request, offer)
    total += slot_points
    if slot_reason is not None:
        contributions.append((slot_points, slot_reason))

    for points, reason in _aims(request, offer):
        total += points
        contributions.append((points, reason))

    contributions.sort(key=lambda item: -item[0])  # stable: ties keep the order above
    reasons = tuple(
        reason for points, reason in contributions[:MAX_REASONS] if points >= REASON_MIN_POINTS
    )
    return Candidate(request.id, offer.id, round(total, 3), reasons)
