"""The rendez-vous shows its progress as the server counts it: each answer's feedback
carries the header again (streak, cards left, the bar), and the end of the day a summary
(right and wrong, when each card comes back in words, a next step)."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape

from sylva.microlearning.models import Card
from sylva.microlearning.queries.summary import day_summary, due_in_words
from sylva.microlearning.queries.today import today
from sylva.microlearning.services import answers, challenges

QUEUE = {"HTTP_X_SYLVA_ANSWER": "1", "HTTP_ACCEPT_LANGUAGE": "en"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
DAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (0, "later today"),
        (1, "tomorrow"),
        (4, "in 4 days"),
        (13, "in 13 days"),
        (21, "in 3 weeks"),
        (90, "in 3 months"),
    ],
)
def test_when_a_card_comes_back_is_said_in_words(days: int, words: str) -> None:
    assert due_in_words(DAY + timedelta(days=days), DAY) == words
    assert due_in_words(None, DAY) == ""


def _fields(card: Card, *, right: bool) -> dict[str, object]:
    fields: dict[str, object] = {"answer_id": str(uuid.uuid4()), "duration_ms": "9000"}
    if card.kind != Card.Kind.LESSON:
        wrong = [i for i in range(len(card.options)) if i not in card.correct_indexes][:1]
        fields["choice"] = [str(i) for i in (card.correct_indexes if right else wrong)]
    return fields


def _head(html: str) -> dict[str, str]:
    found = re.search(r'<div class="todayhead" id="todayhead" hx-swap-oob="true"([^>]*)>', html)
    assert found, html
    return dict(re.findall(r'data-(answered|left)="(\d+)"', found.group(1)))


def test_each_answer_sends_the_header_as_the_server_counts_it(org, login, campaign) -> None:  # type: ignore[no-untyped-def]
    client = login(org.learner)
    cards = today(org.learner).cards
    assert len(cards) == 4
    for number, card in enumerate(cards, start=1):
        wrong = card.kind == Card.Kind.TRUEFALSE
        response = client.post(
            reverse("microlearning:answer", args=[card.pk]), _fields(card, right=not wrong), **QUEUE
        )
        assert response.status_code == 201
        html = response.content.decode()
        assert _head(html) == {"answered": str(number), "left": str(4 - number)}
        assert f'aria-valuenow="{round(100 * number / 4)}"' in html
        last = number == len(cards)
        # the summary comes with the last answer only, and the streak agrees everywhere
        assert ('id="summary"' in html) is last
    assert "1 day in a row" in html and "Done for today! 1 day in a row." in html
    assert "done for today" in html
    summary = html[html.index('id="summary"') :]
    for card in cards:
        assert escape(card.title) in summary
    assert "2 right out of 3 questions" in summary  # the true/false answered wrong
    assert "✗ Wrong" in summary and "Comes back tomorrow" in summary
    assert "isole pas les énergies" in summary  # its explanation, graded today
    # the page read afterwards says the same
    page = client.get(reverse("microlearning:today"), **EN).content.decode()
    assert "2 right out of 3 questions" in page and "1 day in a row" in page
    assert 'data-answered="4" data-left="0"' in page


def test_a_refused_answer_sends_no_header(org, login, campaign) -> None:  # type: ignore[no-untyped-def]
    client = login(org.learner)
    card = today(org.learner).cards[0]
    url = reverse("microlearning:answer", args=[card.pk])
    client.post(url, _fields(card, right=True), **QUEUE)
    refused = client.post(url, _fields(card, right=True), **QUEUE)
    assert refused.status_code == 409 and "todayhead" not in refused.content.decode()


def test_the_summary_holds_my_answers_of_today_only_and_a_next_step(org, campaign) -> None:  # type: ignore[no-untyped-def]
    for person in (org.learner, org.newcomer):  # the newcomer answers everything right
        for card in today(person).cards:
            wrong = [i for i in range(len(card.options)) if i not in card.correct_indexes][:1]
            right = person is org.newcomer or card.kind == Card.Kind.LESSON
            answers.answer_card(
                person=person,
                card_id=card.pk,
                answer_id=uuid.uuid4(),
                response=[]
                if card.kind == Card.Kind.LESSON
                else (card.correct_indexes if right else wrong),
                duration_ms=9000,
            )
    summary = day_summary(org.learner)
    assert len(summary.lines) == 4  # the learner's own four cards, not the newcomer's
    assert (summary.right, summary.wrong, summary.graded) == (0, 3, 3)
    assert next(line.correct for line in summary.lines) is None  # the lesson, read
    assert {line.when for line in summary.lines if line.correct is False} == {"tomorrow"}
    assert summary.module is not None and summary.module.code == "safety-basics"
    assert summary.next_due is not None and summary.next_due.when == "tomorrow"
    assert summary.duel is None
    assert day_summary(org.newcomer).right == 3
    duel = challenges.start_duel(challenger=org.expert, opponent=org.learner, module=summary.module)
    after = day_summary(org.learner)
    assert after.duel == duel and after.duel_with == org.expert.first_name


def test_the_whole_area_is_called_learn_and_its_page_today(org, login, campaign) -> None:  # type: ignore[no-untyped-def]
    entries = apps.get_app_config("microlearning").nav
    assert str(entries[0].label) == "Learn"
    page = login(org.learner).get(reverse("microlearning:today"), **EN).content.decode()
    assert "<title>Today" in page
