"""What the offline queue (learn.js) relies on to never lose an answer: a response says
whether the server decided (X-Sylva-Outcome: recorded, duplicate, refused) or never reached
the answering service (a stale CSRF token, an ended session), and an answer made offline
is graded at its own time and counted on its day."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.test import Client
from django.urls import reverse

from sylva.microlearning.models import Card, Review
from sylva.microlearning.queries.today import today
from sylva.microlearning.services import answers

QUEUE = {"HTTP_X_SYLVA_ANSWER": "1"}


def _lesson(campaign) -> Card:  # type: ignore[no-untyped-def]
    return Card.objects.get(kind="lesson")


def test_the_outcome_says_recorded_duplicate_or_refused(org, login, campaign) -> None:  # type: ignore[no-untyped-def]
    client = login(org.learner)
    card = _lesson(campaign)
    url = reverse("microlearning:answer", args=[card.pk])
    fields = {"answer_id": str(uuid.uuid4()), "duration_ms": "3000"}
    first = client.post(url, fields, **QUEUE)
    assert (first.status_code, first["X-Sylva-Outcome"]) == (201, "recorded")
    assert 'class="learncard answered"' in first.content.decode()
    again = client.post(url, fields, **QUEUE)
    assert (again.status_code, again["X-Sylva-Outcome"]) == (200, "duplicate")
    refused = client.post(url, {**fields, "answer_id": str(uuid.uuid4())}, **QUEUE)
    assert (refused.status_code, refused["X-Sylva-Outcome"]) == (409, "refused")
    assert Review.objects.count() == 1


def test_a_stale_token_or_an_ended_session_never_reaches_the_service(org, campaign) -> None:  # type: ignore[no-untyped-def]
    card = _lesson(campaign)
    url = reverse("microlearning:answer", args=[card.pk])
    fields = {"answer_id": str(uuid.uuid4()), "duration_ms": "3000"}
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(org.learner.user)
    stale = strict.post(url, fields, HTTP_X_CSRFTOKEN="x" * 32, **QUEUE)
    assert stale.status_code == 403 and "X-Sylva-Outcome" not in stale
    ended = Client().post(url, fields, **QUEUE)
    assert ended.status_code == 302 and "/login/" in ended["Location"]
    assert "X-Sylva-Outcome" not in ended
    assert not Review.objects.exists()


def test_an_answer_made_offline_yesterday_is_graded_at_its_time(
    org, login, campaign, clock
) -> None:  # type: ignore[no-untyped-def]
    made = clock.now.replace(hour=17)
    clock.advance(days=1)
    card = Card.objects.get(kind="lesson")
    response = login(org.learner).post(
        reverse("microlearning:answer", args=[card.pk]),
        {
            "answer_id": str(uuid.uuid4()),
            "duration_ms": "3000",
            "answered_at": made.isoformat(),
            "served": answers.served_token(org.learner, made - timedelta(hours=8)),
        },
        **QUEUE,
    )
    assert response["X-Sylva-Outcome"] == "recorded"
    assert Review.objects.get().reviewed_at == made
    assert today(org.learner).answered_today == 0  # counted yesterday, not today
    assert today(org.learner, made).answered_today == 1
    old = login(org.learner).post(
        reverse("microlearning:answer", args=[Card.objects.get(kind="single").pk]),
        {
            "answer_id": str(uuid.uuid4()),
            "choice": "0",
            "answered_at": (clock.now - timedelta(days=8)).isoformat(),
        },
        **QUEUE,
    )
    assert (old.status_code, old["X-Sylva-Outcome"]) == (400, "refused")
    assert Review.objects.count() == 1
