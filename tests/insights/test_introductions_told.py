"""An introduction reaches both sides: a notification in each one's language with who,
to whom, why and on what, and a one-click proposal of exchange to the other; an item in
each inbox until they answer; the pair leaves the animator's suggestions once sent."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import NoReverseMatch, reverse

from sylva.insights import services
from sylva.insights.models import Introduction
from sylva.notifications.models import Notification
from sylva.notifications.queries import inbox_count, inbox_items
from sylva.notifications.services import sending
from sylva.people.models import Person
from tests.insights.conftest import Activity

KIND = "insights.introduction"


@pytest.fixture
def told(activity: Activity) -> Activity:
    """Everyone named; Karim (the expert, Impression) reads French, Hélène (the learner,
    Extrusion) English; both have an address."""
    Person.objects.update(visible_in_insights=True)
    org = activity.org
    for person, language, email in (
        (org.expert, "fr", "karim@example.org"),
        (org.learner, "en", "helene@example.org"),
    ):
        person.language = language
        person.job_title = {"fr": "Régleur", "en": "Operator"}[language]
        person.save(update_fields=["language", "job_title"])
        person.user.email = email
        person.user.save()
    return activity


def _introduce(client: Client, org, **extra):  # type: ignore[no-untyped-def]
    data = {
        "person_a": org.expert.pk,
        "person_b": org.learner.pk,
        "skill": org.extrude.pk,
        "reason": "Réglages de la ligne 3",
        **extra,
    }
    return client.post("/insights/introduce/?window=90", data)


def _proposal_path() -> str:
    try:
        return reverse("exchange:propose_to")
    except NoReverseMatch:  # the exchange pillar's prefilled proposal is not installed
        return reverse("exchange:board")


def test_both_sides_are_told_in_their_own_language_with_the_full_content(  # type: ignore[no-untyped-def]
    told: Activity, login
) -> None:
    org = told.org
    response = _introduce(login(org.animator), org)
    assert response.status_code == 302
    intro = Introduction.objects.get()
    assert (intro.recipient_a, intro.recipient_b) == (org.expert, org.learner)

    karim = Notification.objects.get(person=org.expert, kind=KIND)
    assert karim.subject == "Anne Morel vous présente Hélène Dupré"
    assert "Poste : Operator" in karim.body
    assert "Équipe : Extrusion" in karim.body
    assert "Pourquoi : Réglages de la ligne 3" in karim.body
    assert "Vous pourriez l'aider sur Réglage d'extrudeuse." in karim.body  # level 4 vs 1
    assert karim.action == "Échangeons"

    helene = Notification.objects.get(person=org.learner, kind=KIND)
    assert helene.subject == "Anne Morel introduces you to Karim Benali"
    assert "Job: Régleur" in helene.body
    assert "Team: Impression" in helene.body
    assert "They could help you with Extruder setup." in helene.body
    assert helene.action == "Let's exchange"

    # the one-click link opens a proposal to the other side, prefilled
    path = _proposal_path()
    for note, other, role in ((karim, org.learner, "teach"), (helene, org.expert, "learn")):
        url = urlsplit(note.url)
        assert url.path == path
        if path != reverse("exchange:board"):
            query = parse_qs(url.query)
            assert query == {"with": [str(other.pk)], "skill": [str(org.extrude.pk)], "as": [role]}

    # and it reaches their mailbox: one message each, nobody else
    assert sending.send_due() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["helene@example.org", "karim@example.org"]
    french = next(m for m in mail.outbox if m.to == ["karim@example.org"])
    assert "Anne Morel vous présente Hélène Dupré" in french.subject
    assert "Réglages de la ligne 3" in french.body


def test_two_teams_tell_their_two_managers(told: Activity, login) -> None:  # type: ignore[no-untyped-def]
    org = told.org
    org.printing.manager = org.expert
    org.printing.save()
    client = login(org.animator)
    client.post("/insights/introduce/", {"team_a": org.extrusion.pk, "team_b": org.printing.pk})
    notes = Notification.objects.filter(kind=KIND)
    assert sorted(n.person_id for n in notes) == sorted([org.manager.pk, org.expert.pk])
    assert (
        "Équipes mises en relation : Extrusion et Impression" in notes.get(person=org.expert).body
    )


def test_a_team_without_a_manager_is_recorded_and_the_page_says_nobody_was_told(  # type: ignore[no-untyped-def]
    told: Activity, login
) -> None:
    org = told.org
    page = login(org.animator).post(
        "/insights/introduce/",
        {"team_a": org.extrusion.pk, "team_b": org.printing.pk},  # Impression: no manager
        follow=True,
    )
    assert "nobody was told: a team has no manager" in page.content.decode()
    assert not Notification.objects.filter(kind=KIND).exists()
    assert Introduction.objects.get().recipient_a is None


def test_a_sent_introduction_leaves_the_suggestions_and_joins_the_sent_list(  # type: ignore[no-untyped-def]
    told: Activity, login
) -> None:
    org = told.org
    snapshot = services.compute_snapshot(window_days=90)
    snapshot.data["person_introductions"] = [
        {"person_a": org.expert.pk, "person_b": org.learner.pk, "skill": org.extrude.pk},
        {"person_a": org.animator.pk, "person_b": org.newcomer.pk, "skill": org.excel.pk},
    ]
    snapshot.save()
    client = login(org.animator)
    before = client.get("/insights/links/?window=90").content.decode()
    assert f'value="{org.learner.pk}"' in before.split('id="sent-introductions"')[0]
    assert "No introduction sent yet." in before

    _introduce(client, org)
    api = client.get("/api/v1/insights/levers/links?window=90").json()
    assert [(p["person_a"], p["person_b"]) for p in api["people"]] == [
        (org.animator.pk, org.newcomer.pk)
    ]
    page = client.get("/insights/links/?window=90").content.decode()
    suggestions, sent = page.split('id="sent-introductions"')
    suggestions = suggestions.split('id="person-introductions"')[1]
    assert f'name="person_b" value="{org.learner.pk}"' not in suggestions
    assert f'name="person_b" value="{org.newcomer.pk}"' in suggestions
    sent = sent.split('id="brokers"')[0]
    assert "Karim Benali" in sent and "Hélène Dupré" in sent
    assert sent.count("not answered yet") == 2


def test_both_see_it_in_their_inbox_until_they_answer(told: Activity, login) -> None:  # type: ignore[no-untyped-def]
    org = told.org
    services.compute_snapshot(window_days=90)
    _introduce(login(org.animator), org)
    intro = Introduction.objects.get()
    for person, other in ((org.expert, "Hélène Dupré"), (org.learner, "Karim Benali")):
        items = [i for i in inbox_items(person) if i.kind == KIND]
        assert len(items) == 1 and items[0].mine
        assert other in items[0].title
        labels = [a.label for a in items[0].actions]
        assert len(labels) == 2
        assert inbox_count(person) >= 1
    assert not [i for i in inbox_items(org.animator) if i.kind == KIND]

    # Hélène: "Not now", from the inbox (next back to it)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(org.learner.user)
    count = inbox_count(org.learner)
    answer = f"/insights/introductions/{intro.pk}/answer/"
    response = client.post(answer, {"answer": "dismissed", "next": "/inbox/"})
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert not [i for i in inbox_items(org.learner) if i.kind == KIND]
    assert inbox_count(org.learner) == count - 1
    # an outside address as next is ignored
    again = client.post(answer, {"answer": "dismissed", "next": "https://evil.example/"})
    assert "evil" not in again["Location"]

    # Karim: "Let's exchange" opens the prefilled proposal and takes it out of his inbox
    client.force_login(org.expert.user)
    response = client.post(answer, {"answer": "exchange", "next": "/inbox/"})
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == _proposal_path()
    assert not [i for i in inbox_items(org.expert) if i.kind == KIND]

    intro.refresh_from_db()
    assert (intro.answer_a, intro.answer_b) == ("exchange", "dismissed")
    api = login(org.animator).get("/api/v1/insights/levers/links?window=90")
    assert api.json()["sent"][0]["answers"] == ["exchange", "dismissed"]
    assert intro.answered_a_at and intro.answered_b_at
    # the animator sees who answered what
    page = login(org.animator).get("/insights/links/?window=90").content.decode()
    sent = page.split('id="sent-introductions"')[1].split('id="brokers"')[0]
    assert "Karim Benali — opened a proposal of exchange" in sent
    assert "Hélène Dupré — not now" in sent


def test_an_exchange_proposed_since_takes_it_out_of_the_inbox(told: Activity, login) -> None:  # type: ignore[no-untyped-def]
    """Proposing from the email's link (or the board) answers it too."""
    from sylva.exchange.models import Exchange

    org = told.org
    _introduce(login(org.animator), org)
    assert [i for i in inbox_items(org.learner) if i.kind == KIND]
    Exchange.objects.create(teacher=org.expert, learner=org.learner, skill=org.extrude)
    assert not [i for i in inbox_items(org.learner) if i.kind == KIND]
    assert not [i for i in inbox_items(org.expert) if i.kind == KIND]
    assert inbox_count(org.learner) == len([i for i in inbox_items(org.learner) if i.mine])


def test_a_third_person_cannot_answer_and_nothing_changes(told: Activity, login) -> None:  # type: ignore[no-untyped-def]
    org = told.org
    _introduce(login(org.animator), org)
    intro = Introduction.objects.get()
    for person in (org.newcomer, org.animator, org.manager):
        client = login(person)
        page = client.post(f"/insights/introductions/{intro.pk}/answer/", {"answer": "dismissed"})
        assert page.status_code == 404
        api = client.post(
            f"/api/v1/insights/introductions/{intro.pk}/answer",
            {"answer": "dismissed"},
            content_type="application/json",
        )
        assert api.status_code == 404
    client = login(org.learner)
    assert (
        client.post(f"/insights/introductions/{intro.pk}/answer/", {"answer": "maybe"}).status_code
        == 302
    )  # an unknown answer: a message, nothing recorded
    missing = client.post("/insights/introductions/999999/answer/", {"answer": "dismissed"})
    assert missing.status_code == 404
    intro.refresh_from_db()
    assert (intro.answer_a, intro.answer_b, intro.answered_a_at, intro.answered_b_at) == (
        "",
        "",
        None,
        None,
    )


def test_the_api_answers_and_returns_the_proposal(told: Activity, login) -> None:  # type: ignore[no-untyped-def]
    org = told.org
    _introduce(login(org.animator), org)
    intro = Introduction.objects.get()
    client = login(org.learner)
    response = client.post(
        f"/api/v1/insights/introductions/{intro.pk}/answer",
        {"answer": "exchange"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["answer"] == "exchange"
    assert urlsplit(body["proposal_url"]).path == _proposal_path()


def test_introducing_again_tells_nobody_twice(told: Activity, login) -> None:  # type: ignore[no-untyped-def]
    org = told.org
    client = login(org.animator)
    _introduce(client, org)
    _introduce(client, org, person_a=org.learner.pk, person_b=org.expert.pk)
    assert Notification.objects.filter(kind=KIND).count() == 2
