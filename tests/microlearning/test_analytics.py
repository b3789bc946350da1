"""Designers' analytics: completion, correct rate, the most chosen wrong answer, knowledge
gain, retention; CSV; nothing over fewer than 5 people."""

from __future__ import annotations

import csv
import io
import re
import uuid

from django.urls import reverse

from sylva.microlearning.queries.analytics import module_stats
from sylva.microlearning.queries.today import today
from sylva.microlearning.services import answers
from tests.factories import make_person


def _take(person, wrong_single: bool) -> None:  # type: ignore[no-untyped-def]
    for card in today(person).cards:
        response = card.correct_indexes
        if card.kind == "single" and wrong_single:
            response = [2]
        answers.answer_card(
            person=person,
            card_id=card.pk,
            answer_id=uuid.uuid4(),
            response=response,
            duration_ms=9000,
        )


def test_module_and_question_figures(org, campaign, login) -> None:  # type: ignore[no-untyped-def]
    people = [org.learner, org.newcomer, org.manager]
    people += [make_person(f"x{i}", team=org.extrusion) for i in range(3)]
    for i, person in enumerate(people):
        _take(person, wrong_single=i < 4)
    stats = module_stats(campaign.modules.first())
    assert not stats.hidden and stats.reached == 6 and stats.completion_rate == 1.0
    single = next(q for q in stats.questions if q.card.kind == "single")
    assert single.correct_rate == 2 / 6
    assert single.top_wrong == "N'importe qui" and single.top_wrong_count == 4
    assert single.first_rate == 2 / 6 and single.latest_rate == 2 / 6
    response = login(org.designer).get(
        reverse("microlearning:analytics_csv", args=[campaign.modules.first().code])
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["most_chosen_wrong_answer"] == "N'importe qui"
    page = login(org.designer).get(
        reverse("microlearning:analytics_module", args=[campaign.modules.first().code])
    )
    assert b"<svg" in page.content
    # each chart is an image named by what it shows, its figures included (read out as one)
    single_label = f"Q{single.card.position + 1} 33%"
    text = page.content.decode()
    charts = re.findall(r'<svg class="chart".*?</svg>', text, re.S)
    assert len(charts) == 2
    for svg in charts:
        assert re.search(r'role="img"[^>]*><title>[^<]+: [^<]+</title>', svg), svg[:200]
    assert single_label in text


def test_no_figure_under_five_people(org, campaign) -> None:  # type: ignore[no-untyped-def]
    _take(org.learner, wrong_single=True)
    stats = module_stats(campaign.modules.first())
    assert stats.hidden and stats.correct_rate is None and stats.questions == []
