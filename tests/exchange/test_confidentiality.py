"""What two people say in an exchange is theirs: messages and review texts are readable by
the two participants only — not by a manager, an animator, a designer or an administrator,
through pages, the API or the Django admin (which shows them redacted)."""

from __future__ import annotations

import pytest
from django.test import Client

from sylva.exchange.models import Message, Review
from sylva.exchange.services import exchanges
from tests.exchange.conftest import reviewed

SECRET_MESSAGE = "mon-secret-de-fabrication"
SECRET_REVIEW = "ce-que-j-ai-vraiment-appris"
SECRET_NEXT = "prochaine-etape-privee"

# the learner's manager is the org's manager: hierarchy gives no access either
ROLES = ["learner", "expert", "newcomer", "manager", "animator", "designer", "admin"]
PARTICIPANTS = {"learner", "expert"}


@pytest.fixture
def private(xboard):  # type: ignore[no-untyped-def]
    x = reviewed(xboard)
    exchanges.post_message(person=xboard.org.learner, exchange=x, body=SECRET_MESSAGE)
    Review.objects.filter(exchange=x, author=xboard.org.learner).update(
        learned=SECRET_REVIEW, next_step=SECRET_NEXT
    )
    return x


def urls(x, run_id: int | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    message = Message.objects.get(exchange=x)
    review = Review.objects.get(exchange=x, author=x.learner)
    return [
        f"/exchange/x/{x.pk}/",
        f"/api/v1/exchange/exchanges/{x.pk}",
        f"/api/v1/exchange/exchanges/{x.pk}/messages",
        f"/api/v1/exchange/exchanges/{x.pk}/reviews",
        "/api/v1/exchange/exchanges",
        "/exchange/mine/",
        "/exchange/runs/",
        "/api/v1/exchange/stats",
        f"/people/{x.learner_id}/",
        f"/people/{x.teacher_id}/",
        f"/team/{x.learner.team_id}/",
        "/api/v1/me/events",
        "/admin/exchange/message/",
        f"/admin/exchange/message/{message.pk}/change/",
        "/admin/exchange/review/",
        f"/admin/exchange/review/{review.pk}/change/",
        f"/admin/exchange/exchange/{x.pk}/change/",
        "/admin/people/learningevent/",
    ]


def test_the_confidentiality_matrix(private, xboard) -> None:
    leaks = []
    seen_by_participants = set()
    for role in ROLES:
        person = xboard.org.person(role)
        client = Client()
        client.force_login(person.user)
        for url in urls(private):
            response = client.get(url)
            body = response.content.decode(errors="replace")
            found = [s for s in (SECRET_MESSAGE, SECRET_REVIEW, SECRET_NEXT) if s in body]
            if found and role not in PARTICIPANTS:
                leaks.append(f"{role} reads {found} at {url}")
            if found:
                seen_by_participants.add((role, url))
    assert not leaks, "\n".join(leaks)
    # the two participants do read them, on the page and through the API
    for role in PARTICIPANTS:
        assert (role, f"/exchange/x/{private.pk}/") in seen_by_participants
        assert (role, f"/api/v1/exchange/exchanges/{private.pk}/reviews") in seen_by_participants
    assert ("learner", f"/api/v1/exchange/exchanges/{private.pk}/messages") in seen_by_participants


def test_outsiders_get_404_on_an_exchange_and_its_threads(private, xboard) -> None:
    for role in ["newcomer", "manager", "animator", "designer", "admin"]:
        client = Client()
        client.force_login(xboard.org.person(role).user)
        for url in urls(private)[:4]:
            assert client.get(url).status_code == 404, (role, url)
        posted = client.post(
            f"/api/v1/exchange/exchanges/{private.pk}/messages",
            {"body": "intrusion"},
            content_type="application/json",
        )
        assert posted.status_code == 404
    assert Message.objects.count() == 1


def test_the_admin_shows_messages_and_reviews_redacted(private, xboard) -> None:
    client = Client()
    client.force_login(xboard.org.admin.user)
    page = client.get("/admin/exchange/review/").content.decode()
    assert "private to the two participants" in page or "réservé aux deux" in page
    assert client.post(
        f"/admin/exchange/message/{Message.objects.get().pk}/change/", {"body": "changed"}
    ).status_code in (302, 403)
    assert Message.objects.get().body == SECRET_MESSAGE
