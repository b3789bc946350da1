"""The matching run page speaks to the animator who reviews it: each reason names the two
people ("X is 3 levels ahead of Y"), none is phrased for the learner, and the send button
says what it does."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from sylva.exchange.matching_data import LEARNER, OBSERVER, TEACHER, explain, reasons_from_json
from sylva.exchange.models import Proposal
from sylva.people.models import Skill, SkillDomain

YOU = re.compile(r"\b(you|your|vous|votre|vos)\b", re.IGNORECASE)


def _every_reason() -> list:  # type: ignore[type-arg]
    skill = Skill.objects.first()
    domain = SkillDomain.objects.first()
    return reasons_from_json(
        [
            {"code": "skill", "params": {"skill": skill.pk, "level": 4}},
            {"code": "domain", "params": {"domain": domain.pk}},
            {"code": "text", "params": {}},
            {"code": "level_gap", "params": {"gap": 3}},
            {"code": "same_site", "params": {}},
            {"code": "remote_ok", "params": {"formats": ["video"]}},
            {"code": "other_department", "params": {}},
            {"code": "slots", "params": {"weekdays": [0, 3]}},
            {"code": "newcomer", "params": {}},
            {"code": "giver", "params": {}},
            {"code": "load", "params": {"capacity": 2}},
        ]
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_third_person_reads_the_two_people_named_never_you(org, lang: str) -> None:
    reasons = _every_reason()
    with translation.override(lang):
        said = explain(reasons, side=OBSERVER, learner="Léa Petit", teacher="Marc Roy")
        for_learner = explain(reasons, side=LEARNER)
    assert len(said) == len(reasons)  # every reason is still given
    assert not [s for s in said if YOU.search(s)], said
    if lang == "en":  # (the French of new phrases comes later: the English is checked)
        assert "Marc Roy is 3 levels ahead of Léa Petit" in said
        assert "both free on monday, thursday" in said
        assert "Marc Roy has 2 places left this month" in said
        assert "Léa Petit is a newcomer: newcomers come first" in said
        assert "3 levels ahead of you" in for_learner  # the learner's own view is unchanged
        assert YOU.search(" ".join(explain(reasons, side=TEACHER)))


def test_an_observer_s_reasons_need_the_two_names(org) -> None:
    with pytest.raises(ValueError):
        explain(_every_reason(), side=OBSERVER)


def test_the_run_page_names_the_two_people_and_its_button_says_what_it_does(xboard) -> None:
    with translation.override("en"):  # (a request in English leaves the language as it was)
        _the_run_page_names_them(xboard)


def _the_run_page_names_them(xboard) -> None:  # type: ignore[no-untyped-def]
    animator = Client(headers={"accept-language": "en"})
    animator.force_login(xboard.org.animator.user)
    run_page = animator.get(animator.post("/exchange/runs/start/")["Location"])
    html = run_page.content.decode()
    proposals = list(Proposal.objects.select_related("request__person", "offer__person"))
    assert proposals
    for p in run_page.context["page"].object_list:
        assert p.explained and not [r for r in p.explained if YOU.search(r)], p.explained
    named = [
        r
        for p in run_page.context["page"].object_list
        for r in p.explained
        if p.offer.person.full_name in r or p.request.person.full_name in r
    ]
    assert named  # the reasons say who
    assert "Send every pending proposal to the two people concerned" in html
    assert "Send every proposal to review" not in html
