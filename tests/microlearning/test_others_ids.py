"""No microlearning page answers 500 on someone else's ids, or on ids that do not exist
(issue 9, class 6): every URL of the app, walked from its patterns, with the ids of a duel
between two others, a draft of another author, another team, a campaign and a challenge."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from sylva.microlearning import urls
from sylva.microlearning.models import Card, Module
from sylva.microlearning.services import challenges, content

DRAFT = """---
code: brouillon-autre
title: Le brouillon d'un autre
topic: Test
language: fr
minutes: 1
skills: []
---

## single: Une question ?
- [x] Oui
- [ ] Non
"""


def _ids(org: Any, module: Module, campaign: Any) -> dict[str, Any]:
    duel = challenges.start_duel(challenger=org.expert, opponent=org.newcomer, module=module)
    challenge = challenges.launch_team_challenge(
        creator=org.manager,
        name="Défi",
        teams=[org.extrusion, org.printing],
        starts_on=timezone.localdate(),
    )
    draft = content.save_text(author=org.designer, user=org.designer.user, text=DRAFT)
    return {
        "duel_id": duel.pk,
        "card_id": Card.objects.filter(module=module).exclude(kind="lesson").first().pk,  # type: ignore[union-attr]
        "team_id": org.printing.pk,
        "campaign_id": campaign.pk,
        "challenge_id": challenge.pk,
        "code": draft.code,
    }


UNKNOWN = {
    "duel_id": 987654,
    "card_id": 987654,
    "team_id": 987654,
    "campaign_id": 987654,
    "challenge_id": 987654,
    "code": "nothing-here",
}


def _patterns() -> list[URLPattern]:
    return [p for p in urls.urlpatterns if isinstance(p, URLPattern) and p.pattern.converters]


def test_every_pattern_with_ids_is_walked() -> None:
    names = {n for p in _patterns() for n in p.pattern.converters}
    assert names <= set(UNKNOWN), names - set(UNKNOWN)
    assert {"duel", "duel_answer", "rematch", "team_memory"} <= {p.name for p in _patterns()}


@pytest.mark.parametrize("which", ["others", "unknown"])
def test_no_page_answers_500_on_someone_elses_ids(org, login, module, campaign, which) -> None:  # type: ignore[no-untyped-def]
    values = _ids(org, module, campaign) if which == "others" else UNKNOWN
    client = login(org.learner)  # a learner with no other role
    client.raise_request_exception = False
    for pattern in _patterns():
        url = reverse(
            f"microlearning:{pattern.name}",
            kwargs={n: values[n] for n in pattern.pattern.converters},
        )
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code < 500, (method, url, response.status_code)
            if which == "unknown" and response.status_code != 405:
                assert response.status_code in (302, 403, 404), (method, url)
