"""The server is authoritative (issue 9, class 4), walked over every card kind: nothing of
the right answer or the explanation reaches the client before the server has graded the
answer (page, home panel, API); answers are strictly typed; only the server's queue of the
day may be answered; memory never goes back in time."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sylva.core.errors import ServiceError
from sylva.microlearning.models import Card, Memory, Module, Review
from sylva.microlearning.queries.today import today
from sylva.microlearning.services import answers, campaigns
from sylva.people.models import LearningEvent

SECRET = "Explication-secrète-{kind}"

OPTIONS: dict[str, list[dict[str, Any]]] = {
    "single": [{"text": "Rouge"}, {"text": "Vert", "correct": True}, {"text": "Bleu"}],
    "multiple": [
        {"text": "Rouge", "correct": True},
        {"text": "Vert", "correct": True},
        {"text": "Bleu"},
    ],
    "truefalse": [{"text": "Vrai", "correct": True}, {"text": "Faux"}],
    "ordering": [
        {"text": "Séparer"},
        {"text": "Condamner"},
        {"text": "Signaler"},
        {"text": "Vérifier"},
    ],
    "poll": [{"text": "Oui"}, {"text": "Non"}],
    "lesson": [],
    "reflection": [],
}
# the same card with another right answer (another option right, another order)
OTHER: dict[str, list[dict[str, Any]]] = {
    "single": [{"text": "Rouge", "correct": True}, {"text": "Vert"}, {"text": "Bleu"}],
    "multiple": [{"text": "Rouge"}, {"text": "Vert"}, {"text": "Bleu", "correct": True}],
    "truefalse": [{"text": "Vrai"}, {"text": "Faux", "correct": True}],
    "ordering": [
        {"text": "Vérifier"},
        {"text": "Signaler"},
        {"text": "Séparer"},
        {"text": "Condamner"},
    ],
    "poll": OPTIONS["poll"],
    "lesson": [],
    "reflection": [],
}
KINDS = [k.value for k in Card.Kind]


def test_every_kind_is_covered() -> None:
    assert set(OPTIONS) == set(KINDS) == set(OTHER)


def _module_of(org: Any, kind: str, *, first: str | None = None) -> Card:
    """A published module whose cards are (optionally a lesson first, then) one ``kind``
    card, sent to the extrusion team with one new card a day."""
    module = Module.objects.create(
        code=f"fair-{kind}", title=f"Fair {kind}", status=Module.Status.PUBLISHED
    )
    position = 0
    if first:
        Card.objects.create(module=module, position=0, kind=first, title="Avant", body="Lire.")
        position = 1
    card = Card.objects.create(
        module=module,
        position=position,
        kind=kind,
        title=f"Question {kind}",
        body="Le texte de la carte.",
        options=OPTIONS[kind],
        explanation=SECRET.format(kind=kind),
    )
    campaigns.save_campaign(
        creator=org.designer,
        name=f"Fair {kind}",
        modules=[module],
        starts_on=timezone.localdate() - timedelta(days=30),
        new_cards=1,
        teams=[org.extrusion],
    )
    return card


def _right(card: Card) -> Any:
    if card.kind == "lesson":
        return []
    if card.kind == "reflection":
        return "Une idée."
    if card.kind == "poll":
        return [0]
    return answers.public_correct(card)


def _wrong(card: Card) -> Any:
    if card.kind == "ordering":
        return list(reversed(answers.public_correct(card)))
    if card.kind in ("single", "truefalse", "multiple"):
        return [i for i in range(len(card.options)) if i not in card.correct_indexes][:1]
    return _right(card)


_VARYING = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # answer ids
    r"|[A-Za-z0-9]{64}"  # CSRF tokens
    # when the cards were given (signed, to the second)
    r'|(?<=name="served" value=")[^"]+|(?<="served": ")[^"]+|(?<="served":")[^"]+'
)


def _client_view(client: Any, code: str) -> str:
    """Everything of today's cards a learner receives before answering: the page, the home
    panel, the API's today and the module's page, with what changes on every request
    masked; the module's text (with its answers) is refused to a learner."""
    parts = [
        client.get(reverse("microlearning:today")).content.decode(),
        client.get("/").content.decode(),
        client.get("/api/v1/learn/today").content.decode(),
        client.get(reverse("microlearning:module", args=[code])).content.decode(),
    ]
    assert client.get(reverse("microlearning:export", args=[code])).status_code == 403
    assert client.get(f"/api/v1/learn/modules/{code}/text").status_code == 403
    return _VARYING.sub("·", "\n".join(parts))


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_of_the_answer_reaches_the_client_before_answering(org, login, kind) -> None:  # type: ignore[no-untyped-def]
    card = _module_of(org, kind)
    client = login(org.learner)
    seen = _client_view(client, card.module.code)
    assert f'data-card="{card.pk}"' in seen  # the card is offered
    assert SECRET.format(kind=kind) not in seen
    assert "✓" not in seen
    # another right answer and another explanation: the client receives the same bytes
    card.options, card.explanation = OTHER[kind], "Une tout autre explication"
    card.save()
    assert _client_view(client, card.module.code) == seen
    # once answered, the server's feedback gives the explanation
    response = client.post(
        reverse("microlearning:answer", args=[card.pk]),
        {"answer_id": str(uuid.uuid4()), "text": "Une idée.", **_form(card)},
        HTTP_HX_REQUEST="true",
    )
    assert "Une tout autre explication" in response.content.decode()


def _form(card: Card) -> dict[str, Any]:
    if card.kind == "ordering":
        return {f"pos-{k}": str(i + 1) for k, i in enumerate(answers.shown_order(card))}
    if card.kind in ("single", "truefalse", "poll", "multiple"):
        return {"choice": [str(i) for i in _right(card)]}
    return {}


def test_the_shown_order_of_an_ordering_tells_nothing_of_the_right_order(org) -> None:  # type: ignore[no-untyped-def]
    card = _module_of(org, "ordering")
    shown = [card.options[i]["text"] for i in answers.shown_order(card)]
    card.options = OTHER["ordering"]
    assert [card.options[i]["text"] for i in answers.shown_order(card)] == shown


BAD: dict[str, list[Any]] = {
    "options": [[True], [False], ["1"], [1.0], "1", 1, True, None, {"0": 1}, [[0]], [None]],
    "lesson": [[0], [True], "lu", 1, None, {}],
    "reflection": [["une idée"], 1, True, None, {"text": "x"}, [], "   "],
}


def _bad(kind: str) -> list[Any]:
    return BAD.get(kind, BAD["options"])


def _nothing(org: Any) -> tuple[int, int, int]:
    return (
        Review.objects.count(),
        Memory.objects.count(),
        LearningEvent.objects.filter(actor=org.learner).count(),
    )


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_types_are_refused_for_every_kind_and_change_nothing(org, login, kind) -> None:  # type: ignore[no-untyped-def]
    card = _module_of(org, kind)
    client = login(org.learner)
    before = _nothing(org)
    for response in _bad(kind):
        with pytest.raises(answers.ServiceError) as caught:
            answers.answer_card(
                person=org.learner,
                card_id=card.pk,
                answer_id=uuid.uuid4(),
                response=response,
                duration_ms=5000,
            )
        assert caught.value.field == "response", response
        api = client.post(
            "/api/v1/learn/answers",
            {"card_id": card.pk, "answer_id": str(uuid.uuid4()), "response": response},
            content_type="application/json",
        )
        assert api.status_code in (400, 422), (response, api.content)
        assert _nothing(org) == before, response
    for field, value in (("duration_ms", True), ("duration_ms", 5.0), ("card_id", str(card.pk))):
        api = client.post(
            "/api/v1/learn/answers",
            {
                "card_id": card.pk,
                "answer_id": str(uuid.uuid4()),
                "response": _right(card),
                field: value,
            },
            content_type="application/json",
        )
        assert api.status_code == 422, (field, value)
    assert _nothing(org) == before


@pytest.mark.parametrize("kind", KINDS)
def test_only_the_days_queue_may_be_answered(org, login, kind) -> None:  # type: ignore[no-untyped-def]
    """One new card a day: the card behind today's allowance is refused, as is a card of a
    module that reaches me through no campaign."""
    card = _module_of(org, kind, first="lesson")
    assert card.pk not in [c.pk for c in today(org.learner).cards]
    client = login(org.learner)
    before = _nothing(org)
    response = client.post(
        "/api/v1/learn/answers",
        {"card_id": card.pk, "answer_id": str(uuid.uuid4()), "response": _right(card)},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["errors"][0]["field"] == "card"
    outside = Card.objects.create(
        module=Module.objects.create(code=f"x-{kind}", title="x", status="published"),
        kind=kind,
        title="Hors campagne",
        options=OPTIONS[kind],
    )
    response = client.post(
        "/api/v1/learn/answers",
        {"card_id": outside.pk, "answer_id": str(uuid.uuid4()), "response": _right(outside)},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert _nothing(org) == before


@pytest.mark.parametrize("kind", KINDS)
def test_memory_never_goes_back_in_time(org, login, kind, clock) -> None:  # type: ignore[no-untyped-def]
    """An answer older than the card's last review, or in the future, is refused."""
    card = _module_of(org, kind)
    answers.answer_card(
        person=org.learner,
        card_id=card.pk,
        answer_id=uuid.uuid4(),
        response=_wrong(card),
        duration_ms=5000,
    )
    clock.advance(days=1)  # a card answered wrong is due again today
    before = _nothing(org)
    memory = Memory.objects.get(person=org.learner, card=card)
    for moment in (memory.last_review - timedelta(hours=1), clock.now + timedelta(hours=1)):
        response = login(org.learner).post(
            "/api/v1/learn/answers",
            {
                "card_id": card.pk,
                "answer_id": str(uuid.uuid4()),
                "response": _right(card),
                "answered_at": moment.isoformat(),
            },
            content_type="application/json",
        )
        assert response.status_code in (400, 409), moment
        assert response.json()["errors"][0]["field"] in ("answered_at", "card")
    assert _nothing(org) == before
    assert Memory.objects.get(pk=memory.pk).last_review == memory.last_review
    assert not Review.objects.filter(elapsed_days__lt=0).exists()


def test_a_graded_card_due_again_refuses_an_answer_from_before_its_review(org, clock) -> None:  # type: ignore[no-untyped-def]
    card = _module_of(org, "single")
    answers.answer_card(
        person=org.learner,
        card_id=card.pk,
        answer_id=uuid.uuid4(),
        response=_wrong(card),
        duration_ms=5000,
    )
    reviewed = Memory.objects.get(person=org.learner, card=card).last_review
    clock.advance(days=1)
    assert card.pk in [c.pk for c in today(org.learner).cards]  # due again, first
    with pytest.raises(answers.ServiceError) as caught:
        answers.answer_card(
            person=org.learner,
            card_id=card.pk,
            answer_id=uuid.uuid4(),
            response=_right(card),
            duration_ms=5000,
            answered_at=reviewed - timedelta(minutes=5),
            served=answers.served_token(org.learner, reviewed - timedelta(hours=1)),
        )
    assert caught.value.field == "answered_at" and caught.value.status == 409
    later = answers.answer_card(
        person=org.learner,
        card_id=card.pk,
        answer_id=uuid.uuid4(),
        response=_right(card),
        duration_ms=5000,
    )
    assert later.review.elapsed_days is not None and later.review.elapsed_days > 0


def test_what_a_reflection_says_stays_on_the_review_never_in_the_log(org) -> None:  # type: ignore[no-untyped-def]
    """A reflection is written by the learner for themselves: the shared learning-event log
    (read by insights and the API's events) records that it was answered, not what it says."""
    card = _module_of(org, "reflection")
    secret = f"Mon idée privée {uuid.uuid4()}"
    answers.answer_card(
        person=org.learner,
        card_id=card.pk,
        answer_id=uuid.uuid4(),
        response=secret,
        duration_ms=9000,
    )
    assert Review.objects.get(card=card).response == secret
    events = LearningEvent.objects.filter(actor=org.learner, object_id__endswith=f"/{card.pk}")
    assert events.exists()
    for event in events:
        assert secret not in str(event.result) and secret not in str(event.statement)


def test_an_answer_to_a_card_withdrawn_meanwhile_is_refused_with_that_reason(org) -> None:  # type: ignore[no-untyped-def]
    """Made offline, arriving after the card was retired by an import: a 409 that says why
    (the phone shows it), not "no such card"; nothing is written."""
    card = _module_of(org, "single")
    Card.everything.filter(pk=card.pk).update(retired_at=timezone.now())
    with pytest.raises(ServiceError) as refused:
        answers.answer_card(
            person=org.learner,
            card_id=card.pk,
            answer_id=uuid.uuid4(),
            response=_right(card),
            duration_ms=4000,
        )
    assert refused.value.status == 409 and "withdrawn" in refused.value.message
    assert not Review.objects.exists() and not Memory.objects.exists()
