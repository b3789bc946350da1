"""The duel API gives what the duel page shows: after each answer, right or wrong, the
right answer and the explanation; at the end (``GET …/result``) a recap per question. And
it cannot be used to peek: nothing of a question not answered yet by the caller, nothing of
the other player's answers until both have finished, nothing to a third colleague."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sylva.microlearning.models import Card, Duel, Module
from sylva.microlearning.services import answers, challenges, content

ORDERING = """---
code: lockout-steps
title: Consignation
topic: Sécurité
language: fr
minutes: 2
skills: [machine-safety]
---

## ordering: Les étapes de la consignation
1. Séparer
2. Condamner
3. Signaler
4. Vérifier
> On sépare, on condamne, on signale, on vérifie.
"""


def _url(duel: Duel, tail: str = "") -> str:
    return f"/api/v1/learn/duels/{duel.pk}{tail}"


def _wrong(card: Card) -> list[int]:
    if card.kind == Card.Kind.ORDERING:
        return list(reversed(answers.public_correct(card)))
    return [i for i in range(len(card.options)) if i not in card.correct_indexes][:1]


def _answer(client, duel: Duel, *, right: bool) -> tuple[Card, Any]:  # type: ignore[no-untyped-def]
    """GET the duel (the next question is served), then answer it."""
    shown = client.get(_url(duel)).json()["next_card"]
    assert shown is not None
    card = Card.everything.get(pk=shown["id"])
    response = answers.public_correct(card) if right else _wrong(card)
    return card, client.post(
        _url(duel, "/answers"),
        {"card_id": card.pk, "response": response, "duration_ms": 2000},
        content_type="application/json",
    )


def _play_all(client, duel: Duel, *, right: bool) -> None:  # type: ignore[no-untyped-def]
    for _ in duel.card_ids:
        _card, response = _answer(client, duel, right=right)
        assert response.status_code == 200, response.content


def _raw(response: Any) -> str:
    """A response's JSON as text, accents unescaped (so that a search in it can fail)."""
    return json.dumps(response.json(), ensure_ascii=False)


def _texts(card: Card) -> list[str]:
    """What would tell a question's answer: its explanation and its right options."""
    found = [card.explanation] if card.explanation else []
    return found + [card.options[i]["text"] for i in card.correct_indexes]


def test_an_answer_says_right_or_wrong_the_right_answer_and_why(org, module, login) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    client = login(org.learner)
    card, response = _answer(client, duel, right=False)
    body = response.json()
    feedback = body["answer"]
    assert feedback["card_id"] == card.pk and feedback["number"] == 1
    assert feedback["correct"] is False and feedback["points"] == 0
    assert feedback["response"] == _wrong(card)
    assert feedback["correct_options"] == card.correct_indexes
    assert feedback["explanation"] == card.explanation != ""
    assert card.explanation in feedback["explanation_html"]
    # the next question is not served with the feedback: its clock waits
    assert body["next_card"] is None and body["my_answers"] == 1 and body["turn"] == "mine"
    play = challenges.play_of(duel, org.learner)
    assert list(play.answers) == [str(card.pk)]
    second, response = _answer(client, duel, right=True)
    feedback = response.json()["answer"]
    assert second.pk != card.pk and feedback["number"] == 2 and feedback["correct"] is True
    assert (
        feedback["points"]
        == challenges.play_of(duel, org.learner).answers[str(second.pk)]["points"]
        > 100
    )
    assert response.json()["my_score"] == feedback["points"]


def test_an_orderings_answer_comes_back_in_the_shown_positions(org, login) -> None:  # type: ignore[no-untyped-def]
    module: Module = content.publish(
        actor=org.designer,
        module=content.save_text(author=org.designer, user=org.designer.user, text=ORDERING),
    )
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    client = login(org.learner)
    card, response = _answer(client, duel, right=False)
    feedback = response.json()["answer"]
    assert feedback["correct"] is False
    assert feedback["response"] == _wrong(card)
    assert feedback["correct_options"] == answers.public_correct(card)
    line = client.get(_url(duel, "/result")).json()["recap"][0]
    shown = [o["text"] for o in line["card"]["options"]]
    # the right answer read through the shown options is the options' own order
    assert [shown[k] for k in feedback["correct_options"]] == [o["text"] for o in card.options]


def test_the_result_gives_the_recap_and_the_other_players_only_once_both_finished(  # type: ignore[no-untyped-def]
    org, module, login
) -> None:
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    learner = login(org.learner)
    _play_all(learner, duel, right=True)
    result = learner.get(_url(duel, "/result")).json()
    assert result["finished"] is False and result["their_score"] is None
    assert result["winner_id"] is None
    assert [line["card_id"] for line in result["recap"]] == duel.card_ids
    assert all(line["correct"] and line["theirs"] is None for line in result["recap"])
    assert result["my_score"] == sum(line["points"] for line in result["recap"])
    first = Card.objects.get(pk=duel.card_ids[0])
    line = result["recap"][0]
    assert line["card"]["title"] == first.title and line["explanation"] == first.explanation
    assert line["correct_options"] == first.correct_indexes
    # the expert plays, wrong each time; then both see both
    expert = login(org.expert)
    challenges.accept_duel(person=org.expert, duel=duel)
    _play_all(expert, duel, right=False)
    final = expert.get(_url(duel, "/result")).json()
    assert final["finished"] is True and final["winner_id"] == org.learner.pk
    assert final["my_score"] == 0 and final["their_score"] == result["my_score"]
    assert [line["correct"] for line in final["recap"]] == [False] * len(duel.card_ids)
    assert all(line["theirs"]["correct"] is True for line in final["recap"])
    back = login(org.learner).get(_url(duel, "/result")).json()
    assert back["their_score"] == 0
    assert all(line["theirs"] == {"correct": False, "points": 0} for line in back["recap"])


def test_the_result_never_tells_a_question_not_answered_yet(org, module, login) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    client = login(org.learner)
    empty = client.get(_url(duel, "/result")).json()
    assert empty["recap"] == [] and empty["my_score"] == 0
    # the first question is served but not answered: still nothing of it
    served = client.get(_url(duel)).json()["next_card"]["id"]
    assert client.get(_url(duel, "/result")).json()["recap"] == []
    card, _response = _answer(client, duel, right=True)
    assert card.pk == served
    raw = _raw(client.get(_url(duel, "/result")))
    assert [line["card_id"] for line in client.get(_url(duel, "/result")).json()["recap"]] == [
        card.pk
    ]
    assert all(text in raw for text in _texts(card))  # the answered one, all of it
    for other in Card.objects.filter(pk__in=duel.card_ids).exclude(pk=card.pk):
        assert other.title not in raw
        for text in _texts(other):
            assert text not in raw, text


def test_answering_a_question_not_served_or_twice_tells_nothing(org, module, login) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    client = login(org.learner)
    client.get(_url(duel))  # the first question is served
    later = Card.objects.get(pk=duel.card_ids[-1])
    ahead = client.post(
        _url(duel, "/answers"),
        {"card_id": later.pk, "response": later.correct_indexes, "duration_ms": 1000},
        content_type="application/json",
    )
    assert ahead.status_code == 409
    for text in _texts(later):
        assert text not in _raw(ahead)
    card, first = _answer(client, duel, right=True)
    assert first.status_code == 200
    again = client.post(
        _url(duel, "/answers"),
        {"card_id": card.pk, "response": card.correct_indexes, "duration_ms": 1000},
        content_type="application/json",
    )
    assert again.status_code == 409 and "answer" not in again.json()
    assert challenges.play_of(duel, org.learner).score == first.json()["my_score"]


def test_the_other_player_sees_nothing_of_my_answers_before_both_finished(  # type: ignore[no-untyped-def]
    org, module, login
) -> None:
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    _play_all(login(org.learner), duel, right=True)
    expert = login(org.expert)
    # before accepting: no question, no recap, no score of the challenger's
    invited = expert.get(_url(duel)).json()
    assert invited["next_card"] is None and invited["my_answers"] == 0
    before = expert.get(_url(duel, "/result")).json()
    assert before["recap"] == [] and before["their_score"] is None
    challenges.accept_duel(person=org.expert, duel=duel)
    card, response = _answer(expert, duel, right=False)
    assert set(response.json()) == set(invited)  # no field of the other player's answers
    assert response.json()["winner_id"] is None and response.json()["finished"] is False
    during = expert.get(_url(duel, "/result")).json()
    assert during["their_score"] is None and during["winner_id"] is None
    assert [(line["card_id"], line["theirs"]) for line in during["recap"]] == [(card.pk, None)]
    raw = _raw(expert.get(_url(duel, "/result")))
    for other in Card.objects.filter(pk__in=duel.card_ids).exclude(pk=card.pk):
        for text in _texts(other):
            assert text not in raw, text
    # and the challenger, finished, does not see the expert's answer so far either
    mine = login(org.learner).get(_url(duel, "/result")).json()
    assert mine["their_score"] is None
    assert all(line["theirs"] is None for line in mine["recap"])


@pytest.mark.parametrize("tail", ["", "/result"])
def test_a_third_colleague_gets_403_and_nothing(org, module, login, tail: str) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    _play_all(login(org.learner), duel, right=True)
    response = login(org.manager).get(_url(duel, tail))
    assert response.status_code == 403
    for card in Card.objects.filter(pk__in=duel.card_ids):
        for text in _texts(card):
            assert text not in _raw(response)
    answer = login(org.manager).post(
        _url(duel, "/answers"),
        {"card_id": duel.card_ids[0], "response": [0], "duration_ms": 0},
        content_type="application/json",
    )
    assert answer.status_code == 403 and "answer" not in answer.json()
