"""Why a (request, offer) pair cannot match: each filter of the matcher as a named reason.

``exclusions`` is the one place these rules live: ``scoring.score_pair`` refuses a pair
exactly when it returns a reason, and the pages that explain why a colleague's offer is
not suggested ("why not?") show the reasons it returns. Codes:

- ``self``: the same person on both sides;
- ``no_capacity``: the offer has no place left this month;
- ``no_shared_skill``: no skill and no domain in common;
- ``other_site``: only face to face would work for both, and they are on different sites;
- ``no_common_format``: no format (face to face, phone, video) that both accept.
"""

from __future__ import annotations

from sylva.exchange.matching.model import REMOTE_FORMATS, OfferIn, RequestIn

SELF = "self"
NO_CAPACITY = "no_capacity"
NO_SHARED_SKILL = "no_shared_skill"
OTHER_SITE = "other_site"
NO_COMMON_FORMAT = "no_common_format"


def modality(request: RequestIn, offer: OfferIn) -> str | None:
    """``"same_site"``, ``"remote_ok"``, or ``None`` when no format works for both.

    Face to face needs the same site, unless one side has no site (then it is left to them).
    """
    common = request.formats & offer.formats
    if "in_person" in common and (
        request.site is None or offer.site is None or request.site == offer.site
    ):
        return "same_site"
    if common & REMOTE_FORMATS:
        return "remote_ok"
    return None


def exclusions(request: RequestIn, offer: OfferIn) -> tuple[str, ...]:
    """Every reason this pair cannot match, in a fixed order; empty when it can."""
    found: list[str] = []
    if request.person == offer.person:
        found.append(SELF)
    if offer.capacity <= 0:
        found.append(NO_CAPACITY)
    if not (request.skills & offer.skills or request.domains & offer.domains):
        found.append(NO_SHARED_SKILL)
    if modality(request, offer) is None:
        common = request.formats & offer.formats
        found.append(OTHER_SITE if "in_person" in common else NO_COMMON_FORMAT)
    return tuple(found)
