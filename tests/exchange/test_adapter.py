"""The adapter between the board and the matching package: inputs built from the models,
ranked offers for a request with translated explanations, the global run."""

from __future__ import annotations

from django.utils import translation

from sylva.exchange.matching import Reason
from sylva.exchange.matching_data import build_board, explain, suggestions_for
from sylva.exchange.models import Exchange, ExchangeSettings, MatchRun, Offer, Proposal, Request
from sylva.exchange.services import board, runs
from sylva.people.models import LearningEvent
from sylva.people.services import set_skill
from sylva.people.verbs import verb


def test_inputs_carry_levels_capacity_department_and_newcomer(xboard) -> None:
    org = xboard.org
    built = build_board(Request.objects.all(), Offer.objects.all())
    offer = next(o for o in built.offers if o.id == xboard.offer.pk)
    assert offer.person == org.expert.pk
    assert offer.skills == frozenset({org.extrude.pk})
    assert offer.domains == frozenset({org.tech.pk})
    assert offer.level == 4 and offer.capacity == 2
    assert offer.formats == frozenset({"in_person", "video"})
    assert offer.department == org.prod.pk and offer.site == org.lille.pk
    request = next(r for r in built.requests if r.id == xboard.request.pk)
    assert request.level == 1 and not request.newcomer and request.slots == frozenset({38})


def test_ranked_offers_for_a_request_are_explained_in_french_and_english(xboard) -> None:
    with translation.override("en"):
        [first] = suggestions_for(xboard.request)
    assert first.offer == xboard.offer
    assert "knows Extruder setup, level 4 of 4" in first.reasons
    assert first.fit in ("a very good fit", "a good fit", "worth a look")
    with translation.override("fr"):
        [first] = suggestions_for(xboard.request)
    assert "connaît Réglage d'extrudeuse, niveau 4 sur 4" in first.reasons


def test_explanations_name_the_weekdays_and_the_places_left(org) -> None:
    with translation.override("en"):
        said = explain(
            [
                Reason("slots", {"weekdays": [1, 3]}),
                Reason("same_site", {"formats": ["in_person"]}),
                Reason("other_department"),
                Reason("load", {"capacity": 1}),
            ]
        )
    assert said == [
        "you are both free on tuesday, thursday",
        "same site: you can meet face to face",
        "another department: it crosses silos",
        "1 place left this month",
    ]


def test_my_own_offer_is_never_suggested_for_my_request(xboard) -> None:
    org = xboard.org
    set_skill(person=org.learner, skill_code="extrusion-setup", level=3)  # offering means knowing
    mine = board.publish_offer(
        person=org.learner, skill_codes=["extrusion-setup"], levels={"extrusion-setup": 3}
    )
    assert mine not in [s.offer for s in suggestions_for(xboard.request)]


def test_a_run_stores_proposals_for_review_and_sending_proposes_to_both(xboard) -> None:
    org = xboard.org
    run = runs.run_matching(started_by=org.animator)
    assert run.state == MatchRun.State.REVIEW and run.requests == 2 and run.offers == 2
    pairs = list(run.proposals.all())
    # the learner's request, and the expert's (facilitation: same domain as spreadsheets) —
    # they teach each other, so the run proposes them as a cycle of two
    assert {(p.request_id, p.offer_id) for p in pairs} == {
        (xboard.request.pk, xboard.offer.pk),
        (xboard.expert_request.pk, xboard.learner_offer.pk),
    }
    assert run.cycles == 1 and run.optimal
    assert all(p.reasons for p in pairs)  # every proposal is explained
    assert not Exchange.objects.exists()  # nothing reaches people before review
    assert runs.send_run(run=run, by=org.animator) == 2
    exchange = Exchange.objects.get(offer=xboard.offer)
    assert exchange.origin == "run" and exchange.state == "proposed"
    assert not exchange.teacher_accepted and not exchange.learner_accepted  # nobody is forced
    # the animator acted (put them in touch, twice per exchange); neither person proposed
    assert not LearningEvent.objects.filter(verb=verb("proposed").iri).exists()
    put = LearningEvent.objects.filter(verb=verb("put-in-touch").iri)
    assert set(put.values_list("actor", flat=True)) == {org.animator.pk}
    assert set(put.values_list("other", flat=True)) == {org.expert.pk, org.learner.pk}
    assert put.count() == 4
    run.refresh_from_db()
    assert run.state == MatchRun.State.SENT


def test_a_run_sends_directly_when_the_organisation_says_so(xboard) -> None:
    ExchangeSettings.objects.update_or_create(pk=1, defaults={"send_directly": True})
    run = runs.run_matching()
    assert run.proposals.filter(state=Proposal.State.APPROVED).count() >= 1
    assert Exchange.objects.filter(origin="run").exists()


def test_a_rejected_proposal_reaches_nobody(xboard) -> None:
    run = runs.run_matching()
    proposal = run.proposals.first()
    runs.review_proposal(proposal=proposal, approve=False, by=xboard.org.animator)
    proposal.refresh_from_db()
    assert proposal.state == "rejected" and not Exchange.objects.exists()


def test_reciprocity_cycles_are_proposed_beside_the_assignment(xboard) -> None:
    org = xboard.org
    # the expert wants spreadsheets, which the learner offers: a cycle of two
    board.edit_posting(
        person=org.expert,
        posting=xboard.expert_request,
        skill_codes=["excel"],
        text="Tableaux croisés",
        formats=["video"],
        duration_minutes=60,
        site=None,
        slots=[],
    )
    run = runs.run_matching()
    cycles = run.proposals.exclude(cycle__isnull=True)
    assert {(p.offer_id, p.request_id) for p in cycles} == {
        (xboard.offer.pk, xboard.request.pk),
        (xboard.learner_offer.pk, xboard.expert_request.pk),
    }


def test_a_request_in_a_cycle_is_not_also_in_the_assignment(xboard) -> None:
    org = xboard.org
    # a third person offers what the learner asks: the learner's request could go to the
    # expert (inside the cycle) or to this offer, never to both in one run
    board.publish_offer(
        person=org.manager, skill_codes=["extrusion-setup"], text="Réglage extrudeuse"
    )
    run = runs.run_matching()
    requests = list(run.proposals.values_list("request_id", flat=True))
    assert len(requests) == len(set(requests))
    assert run.cycles == 1


def test_a_run_on_an_empty_board_stores_an_empty_run(org) -> None:
    run = runs.run_matching()
    assert (run.requests, run.offers, run.proposals.count(), run.total_score) == (0, 0, 0, 0)
