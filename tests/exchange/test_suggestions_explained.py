"""Suggestions and "why not?" come from one judgement (``matching_data.assess``): on any
small board, a colleague's offer is suggested for a request exactly when "why not?" gives
no reason for it, and a request is suggested for an offer exactly when nothing stands
between them; every reason given is said in words a person reads.

Boards are generated with hypothesis: a few people of the test organisation, their levels
in its four skills, offers (skills, formats, site, monthly capacity, places already taken,
state) and requests (skills, formats, site, state, expired or not), an exchange already
under way between some of them, and whether joining asks for one offer and one request.
Each board lives in a transaction rolled back at its end."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import override
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from sylva.exchange import matching_data, queries
from sylva.exchange.models import Exchange, ExchangeSettings, Offer, Request
from sylva.people.models import Person, PersonSkill, Site, Skill
from tests.factories import Org

PEOPLE = ("expert", "learner", "manager", "newcomer", "designer")
SKILLS = ("extrusion-setup", "machine-safety", "excel", "facilitation")
SITES = (None, "lyon", "lille")
FORMATS = ("in_person", "phone", "video")
STATES = ("open", "open", "open", "paused", "closed")

formats = st.sets(st.sampled_from(FORMATS), min_size=1)
skills = st.sets(st.sampled_from(SKILLS), min_size=1, max_size=2)


@dataclass(frozen=True)
class OfferSpec:
    person: str
    skills: frozenset[str]
    formats: frozenset[str]
    site: str | None
    capacity: int
    taken: int  # places already taken this month (held exchanges)
    state: str


@dataclass(frozen=True)
class RequestSpec:
    person: str
    skills: frozenset[str]
    formats: frozenset[str]
    site: str | None
    state: str
    expired: bool


@dataclass(frozen=True)
class BoardSpec:
    levels: dict[tuple[str, str], int]
    offers: list[OfferSpec]
    requests: list[RequestSpec]
    under_way: list[tuple[int, int]]  # (request index, offer index): a proposal between them
    joining_requires_both: bool


offer_specs = st.builds(
    OfferSpec,
    person=st.sampled_from(PEOPLE),
    skills=skills.map(frozenset),
    formats=formats.map(frozenset),
    site=st.sampled_from(SITES),
    capacity=st.integers(min_value=1, max_value=3),
    taken=st.integers(min_value=0, max_value=2),
    state=st.sampled_from(STATES),
)
request_specs = st.builds(
    RequestSpec,
    person=st.sampled_from(PEOPLE),
    skills=skills.map(frozenset),
    formats=formats.map(frozenset),
    site=st.sampled_from(SITES),
    state=st.sampled_from(STATES),
    expired=st.booleans(),
)
boards = st.builds(
    BoardSpec,
    levels=st.dictionaries(
        st.tuples(st.sampled_from(PEOPLE), st.sampled_from(SKILLS)),
        st.integers(min_value=0, max_value=4),
        max_size=8,
    ),
    offers=st.lists(offer_specs, min_size=1, max_size=4),
    requests=st.lists(request_specs, min_size=1, max_size=3),
    under_way=st.lists(
        st.tuples(st.integers(min_value=0, max_value=2), st.integers(min_value=0, max_value=3)),
        max_size=2,
    ),
    joining_requires_both=st.booleans(),
)


def _person(name: str) -> Person:
    return Person.objects.get(user__username=name)


def _posting(model: Any, spec: Any, site: dict[str | None, Site | None]) -> Any:
    """Written as the board would hold it (no service: any mix of states and formats)."""
    row = model.objects.create(
        person=_person(spec.person),
        **{f: f in spec.formats for f in FORMATS},
        site=site[spec.site],
        state=spec.state,
        **(
            {"capacity": spec.capacity}
            if model is Offer
            else {"expires_at": timezone.now() + timedelta(days=30)}
        ),
    )
    row.skills.set(Skill.objects.filter(code__in=spec.skills))
    return row


def _levels(levels: dict[tuple[str, str], int]) -> None:
    for (name, code), level in levels.items():
        held = PersonSkill.objects.filter(person=_person(name), skill__code=code)
        if level == 0:  # undeclared
            held.delete()
        elif not held.update(level=level):
            PersonSkill.objects.create(
                person=_person(name), skill=Skill.objects.get(code=code), level=level
            )


def _build(org: Org, spec: BoardSpec) -> tuple[list[Request], list[Offer]]:
    settings_row = ExchangeSettings.load()
    settings_row.joining_requires_both = spec.joining_requires_both
    settings_row.save()
    _levels(spec.levels)
    site = {None: None, "lyon": org.lyon, "lille": org.lille}
    now = timezone.now()
    offers = [_posting(Offer, o, site) for o in spec.offers]
    for offer, o in zip(offers, spec.offers, strict=True):
        learners = [p for p in PEOPLE if p != o.person]
        for i in range(o.taken):  # places taken this month (held: nothing under way)
            Exchange.objects.create(
                teacher=offer.person,
                learner=_person(learners[i % len(learners)]),
                offer=offer,
                skill=offer.skills.first(),
                state=Exchange.State.HELD,
                accepted_at=now - timedelta(days=3 + i),
                teacher_held_at=now - timedelta(days=1),
                learner_held_at=now - timedelta(days=1),
            )
    requests = []
    for r in spec.requests:
        request = _posting(Request, r, site)
        if r.expired:
            Request.objects.filter(pk=request.pk).update(expires_at=now - timedelta(days=1))
            request.refresh_from_db()
        requests.append(request)
    for ri, oi in spec.under_way:
        if ri >= len(requests) or oi >= len(offers):
            continue
        request, offer = requests[ri], offers[oi]
        skill = request.skills.filter(pk__in=offer.skills.all()).first() or request.skills.first()
        busy = Exchange.objects.live().filter(
            teacher=offer.person, learner=request.person, skill=skill
        )
        if request.person_id != offer.person_id and not busy.exists():
            Exchange.objects.create(
                teacher=offer.person,
                learner=request.person,
                offer=offer,
                request=request,
                skill=skill,
            )
    return requests, offers


NUMBER_ONLY = re.compile(r"^\W*\d+\W*$")


def _human(sentence: str) -> None:
    """A phrase a person reads: words, no bare number, no undeclared level, no placeholder."""
    assert sentence.strip(), sentence
    assert re.search(r"[^\W\d_]{3,}", sentence), sentence  # words, not only figures
    assert not NUMBER_ONLY.match(sentence), sentence
    assert not re.search(r"\blevel 0\b|\bniveau 0\b", sentence, re.IGNORECASE), sentence
    for leftover in ("%(", "{", "}", "None", " ?", "—)"):
        assert leftover not in sentence, (leftover, sentence)


def _check_request_side(request: Request, offers: list[Offer]) -> None:
    """For the request's author: suggested exactly when "why not?" has no reason."""
    found = matching_data.for_request(request, limit=100).suggested
    suggested = {s.offer.pk for s in found}
    for offer in offers:
        why = matching_data.why_not(request, offer)
        note(f"request {request.pk} offer {offer.pk}: {why}")
        assert (offer.pk in suggested) == (not why), (request.pk, offer.pk, why)
        sentences = matching_data.explain_why(why)
        assert len(sentences) == len(why)  # every reason is said
        for sentence in sentences:
            _human(sentence)
    for s in found:
        assert s.reasons, s  # a suggestion says why it fits
        for reason in s.reasons:
            _human(reason)
    # "why not …?" about an offer asked by its id: the same verdict, in words
    for offer in matching_data.offers_to_ask_about(request):
        [answer] = matching_data.why_not_answers(request, offer_id=str(offer.pk))
        assert (answer.suggestion is not None) == (offer.pk in suggested)
        assert bool(answer.sentences) == (answer.suggestion is None)
        for sentence in answer.sentences:
            _human(sentence)


def _check_offer_side(offer: Offer, requests: list[Request]) -> None:
    """For the offer's author: among the requests on the board, suggested exactly when
    nothing stands between the two (and never a request off the board)."""
    found = matching_data.for_offer(offer, limit=100).suggested
    answered = {s.request.pk for s in found if s.request is not None}
    on_board = set(matching_data.candidate_requests(offer).values_list("pk", flat=True))
    for request in requests:
        why = matching_data.why_not(request, offer, side=matching_data.TEACHER)
        if request.pk in on_board:
            assert (request.pk in answered) == (not why), (request.pk, offer.pk, why)
            continue
        assert request.pk not in answered, (request.pk, offer.pk)
        # off the board: a reason is given (not open, expired, self, nothing shared, its
        # author has not joined yet), in words
        assert why, (request.pk, offer.pk)
        sentences = matching_data.explain_why(why)
        assert len(sentences) == len(why)
        for sentence in sentences:
            _human(sentence)
    for s in found:
        assert s.reasons, s
        for reason in s.reasons:
            _human(reason)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    report_multiple_bugs=False,
)
@given(boards)
def test_suggested_exactly_when_no_reason_and_every_reason_in_words(
    org: Org,  # type: ignore[no-untyped-def]
    spec: BoardSpec,
) -> None:
    note(repr(spec))
    with transaction.atomic(), override("en"):
        requests, offers = _build(org, spec)
        for request in requests:
            _check_request_side(request, offers)
        for offer in offers:
            _check_offer_side(offer, requests)
        transaction.set_rollback(True)


def test_why_not_a_request_whose_author_has_not_joined_says_so(xboard) -> None:  # type: ignore[no-untyped-def]
    """The offer's author is not suggested a request off the board because its author has
    not joined the network yet: "why not?" says it, in words, naming them."""
    from sylva.exchange.services import board as board_services

    newcomer = xboard.org.newcomer  # a request, no offer: not joined
    wanted = board_services.publish_request(person=newcomer, skill_codes=["extrusion-setup"])
    assert not queries.has_joined(newcomer)
    suggested = matching_data.for_offer(xboard.offer, limit=100).suggested
    assert wanted.pk not in {s.request.pk for s in suggested if s.request is not None}
    why = matching_data.why_not(wanted, xboard.offer, side=matching_data.TEACHER)
    assert [w.code for w in why] == [matching_data.REQUEST_NOT_JOINED]
    with override("en"):
        [said] = matching_data.explain_why(why)
    assert said.startswith(f"{newcomer.full_name} has not joined the exchange network yet")
    # the request's author is still suggested the offer: nothing to say on their side
    assert matching_data.why_not(wanted, xboard.offer) == ()
    # once they join (an offer too), the request is on the board and suggested
    board_services.publish_offer(person=newcomer, skill_codes=["excel"], levels={"excel": 3})
    assert matching_data.why_not(wanted, xboard.offer, side=matching_data.TEACHER) == ()
