"""Insights read the communities' events with no special case: the events are written as
the communities' services write them (``record_event``: ``responded`` by the answerer
with the asker as the other person when an answer is accepted, ``gave-feedback`` by the
manager with the person, ``attended``, ``shared``, ``replied``, ``debriefed``…), and

- the spot lever's hidden experts include someone whose accepted answers helped at least
  ``EXPERT_MIN_HELPED`` different colleagues on a skill they do not declare at level 3;
- circulation counts those answers across departments;
- the forms "community" and "field" are counted;
- a control with nothing planted (no accepted answers, or answers by someone who declares
  the skill, or too few colleagues helped, or replies nobody accepted) finds no such expert;
- no text written in the communities (a feedback's words, a debrief, a private report's
  body) reaches a snapshot: insights read the log's integer columns only.
"""

from __future__ import annotations

from typing import Any

import pytest

from sylva.communities import verbs as cverbs
from sylva.communities.models import Community, FieldFeedback, Post
from sylva.core.xapi import Verb
from sylva.insights import services
from sylva.insights.levers import EXPERT_MIN_HELPED
from sylva.insights.models import ScopeFigure, Snapshot
from sylva.people import verbs
from sylva.people.models import Person, PersonSkill
from sylva.people.services import record_event, skill_iri
from tests.factories import Org, make_person

pytestmark = pytest.mark.django_db

SECRET = "zq-private-words-7731"


def _event(actor: Person, verb: Verb, other: Person | None, org: Org, **extra: Any) -> None:
    record_event(
        actor=actor,
        verb=verb,
        object_id=skill_iri(org.extrude),
        object_name="Réglage",
        skill=org.extrude,
        other=other,
        **extra,
    )


def _askers(org: Org, n: int) -> list[Person]:
    """Colleagues of Production (the answerer, Anne, is in HR)."""
    found = [org.learner, org.newcomer, org.manager, org.expert]
    found += list(Person.objects.filter(user__username__startswith="operator").order_by("pk"))
    found += [make_person(f"asker{i}", team=org.printing) for i in range(max(0, n - len(found)))]
    return found[:n]


def _answers(org: Org, answerer: Person, n: int) -> None:
    """``n`` different colleagues accept ``answerer``'s answer on extruder setup."""
    for asker in _askers(org, n):
        _event(asker, verbs.ASKED, None, org)
        _event(answerer, cverbs.REPLIED, None, org)
        _event(answerer, verbs.RESPONDED, asker, org)  # the moment the answer is accepted
        _event(asker, cverbs.THANKED_ANSWER, answerer, org)


def _in_the_field(org: Org) -> None:
    """A manager's feedback, a debrief, a circle's session, an experience shared."""
    _event(org.manager, verbs.GAVE_FEEDBACK, org.learner, org)
    _event(org.learner, cverbs.DEBRIEFED, org.expert, org)
    _event(org.learner, verbs.ATTENDED, None, org)
    _event(org.newcomer, verbs.SHARED, None, org)


def _snapshot() -> Snapshot:
    return services.compute_snapshot(window_days=30)


def _experts(snapshot: Snapshot) -> list[dict[str, Any]]:
    return list(snapshot.data["hidden_experts"])


def test_accepted_answers_make_a_hidden_expert_and_cross_departments(org: Org) -> None:
    _answers(org, org.animator, EXPERT_MIN_HELPED)
    _in_the_field(org)
    snapshot = _snapshot()
    (expert,) = _experts(snapshot)
    assert expert["person"] == org.animator.pk and expert["skill"] == org.extrude.pk
    assert expert["helped"] == EXPERT_MIN_HELPED
    org_figures = ScopeFigure.objects.get(kind="org", key=0).data
    # the answers (HR → Production) are the only exchange-or-answer moments: all across
    assert org_figures["cross_department_share"] == pytest.approx(1.0)
    assert org_figures["ties_external"] >= EXPERT_MIN_HELPED
    mix = org_figures["form_mix"]
    # asked + replied + responded + thanked per asker, attended, shared
    assert mix["community"] == 4 * EXPERT_MIN_HELPED + 2
    assert mix["field"] == 2  # the feedback and the debrief
    assert org_figures["in_work_share"] > 0


def test_a_control_with_nothing_planted_finds_no_hidden_expert(org: Org) -> None:
    _in_the_field(org)
    snapshot = _snapshot()
    assert _experts(snapshot) == []
    assert ScopeFigure.objects.get(kind="org", key=0).data["form_mix"]["field"] == 2


def test_replies_nobody_accepted_make_no_expert(org: Org) -> None:
    for asker in _askers(org, EXPERT_MIN_HELPED + 2):
        _event(org.animator, cverbs.REPLIED, None, org)
        _event(asker, verbs.ASKED, None, org)
    assert _experts(_snapshot()) == []


def test_too_few_colleagues_helped_make_no_expert(org: Org) -> None:
    _answers(org, org.animator, EXPERT_MIN_HELPED - 1)
    assert _experts(_snapshot()) == []


def test_someone_who_declares_the_skill_is_no_hidden_expert(org: Org) -> None:
    PersonSkill.objects.create(person=org.animator, skill=org.extrude, level=3)
    _answers(org, org.animator, EXPERT_MIN_HELPED)
    assert _experts(_snapshot()) == []


def test_no_communities_text_reaches_a_snapshot(org: Org) -> None:
    community = Community.objects.create(slug="trade", name="Trade")
    Post.objects.create(
        kind=Post.Kind.EXPERIENCE,
        community=community,
        author=org.learner,
        title=SECRET,
        body=SECRET,
        happened=SECRET,
        audience=Post.Audience.TEAM,
        audience_team=org.extrusion,
    )
    FieldFeedback.objects.create(
        giver=org.manager,
        person=org.learner,
        situation=SECRET,
        went_well=SECRET,
        to_improve=SECRET,
        next_step=SECRET,
    )
    # even words a service would (wrongly) leave on an event's name or result
    _event(org.manager, verbs.GAVE_FEEDBACK, org.learner, org, result={"response": SECRET})
    _event(org.learner, cverbs.DEBRIEFED, org.expert, org, result={"response": SECRET})
    _answers(org, org.animator, EXPERT_MIN_HELPED)
    snapshot = _snapshot()
    assert SECRET not in str(snapshot.data)
    for figure in ScopeFigure.objects.all():
        assert SECRET not in str(figure.data)
