"""A duel shows, after each question, whether the answer was right, the right answer and
the explanation (graded by the server); the next question is served only when asked for;
at the end a recap per question, the other player's answers only once both have finished."""

from __future__ import annotations

from django.utils.html import escape

from sylva.microlearning.models import Card
from sylva.microlearning.services import challenges

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _piece(text: str) -> str:
    """The longest part of an explanation that Markdown and escaping leave as it is."""
    return escape(max(text.replace("'", "\n").splitlines(), key=len))


def _wrong(card: Card) -> list[str]:
    return [str(i) for i in range(len(card.options)) if i not in card.correct_indexes][:1]


def _answer(client, duel, *, right: bool, headers=HTMX):  # type: ignore[no-untyped-def]
    """Open the next question (it is served), then answer it."""
    page = client.get(f"/learn/duels/{duel.pk}/", **headers)
    assert page.status_code == 200
    card_id = int(
        page.content.decode().split('class="learncard duelcard" data-card="')[1][:8].split('"')[0]
    )
    card = Card.objects.get(pk=card_id)
    choice = [str(i) for i in card.correct_indexes] if right else _wrong(card)
    return card, client.post(
        f"/learn/duels/{duel.pk}/answer/{card.pk}/",
        {"choice": choice, "duration_ms": "3000"},
        **headers,
    )


def test_each_answer_shows_its_feedback_and_the_next_question_waits(org, module, login) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    client = login(org.learner)
    card, response = _answer(client, duel, right=False)
    html = response.content.decode()
    assert "✗ Not quite." in html and "Right answer:" in html
    assert _piece(card.explanation) in html
    assert "Question 1 of 3" in html and "Next question" in html
    assert "duelcard" not in html  # no question served with the feedback: its clock waits
    play = challenges.play_of(duel, org.learner)
    assert list(play.answers) == [str(card.pk)]
    second, response = _answer(client, duel, right=True)
    html = response.content.decode()
    assert second.pk != card.pk and "✓ Right!" in html and _piece(second.explanation) in html
    assert str(challenges.play_of(duel, org.learner).answers[str(second.pk)]["points"]) in html


def test_without_javascript_the_feedback_is_on_the_duel_page(org, module, login) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    client = login(org.learner)
    card, response = _answer(client, duel, right=True, headers=EN)
    assert response.status_code == 302
    assert response["Location"] == f"/learn/duels/{duel.pk}/?answered={card.pk}"
    page = client.get(response["Location"], **EN).content.decode()
    assert "✓ Right!" in page and _piece(card.explanation) in page
    assert "duelcard" not in page
    # a question not answered yet tells nothing of its answer
    other = next(c for c in duel.card_ids if c != card.pk)
    page = client.get(f"/learn/duels/{duel.pk}/?answered={other}", **EN).content.decode()
    assert _piece(Card.objects.get(pk=other).explanation) not in page
    assert "duelcard" in page  # the next question, as without ?answered


def test_the_recap_shows_the_other_players_answers_only_once_both_have_finished(  # type: ignore[no-untyped-def]
    org, module, login, client
) -> None:
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    learner = login(org.learner)
    for _ in duel.card_ids:
        _answer(learner, duel, right=True)
    page = learner.get(f"/learn/duels/{duel.pk}/", **EN).content.decode()
    assert "Question by question" in page and "You have finished!" in page
    assert "Karim: right" not in page and "Karim: wrong" not in page
    # the challenged colleague sees nothing of the learner's answers before playing
    expert = login(org.expert)
    invitation = expert.get(f"/learn/duels/{duel.pk}/", **EN).content.decode()
    assert "Question by question" not in invitation and "Right answer:" not in invitation
    challenges.accept_duel(person=org.expert, duel=duel)
    _first, response = _answer(expert, duel, right=False)
    html = response.content.decode()
    assert "Hélène" not in html.split("Question 1 of 3")[1]  # only the expert's own result
    for _ in duel.card_ids[1:]:
        _answer(expert, duel, right=False)
    final = expert.get(f"/learn/duels/{duel.pk}/", **EN).content.decode()
    assert "Question by question" in final and final.count("Hélène: right") == 3
    learner = login(org.learner)
    assert learner.get(f"/learn/duels/{duel.pk}/", **EN).content.decode().count("Karim: wrong") == 3
