"""Capitalising: a designer turns an experience report or an accepted answer into a draft
light resource credited to its authors; nobody else can, nor on what may not be taken."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sylva.communities import verbs
from sylva.communities.models import Community, Membership, Post, Reply
from sylva.communities.services import capture
from sylva.core.errors import ServiceError
from sylva.microlearning.models import Card, Module
from sylva.people.models import LearningEvent
from tests.factories import Org


@pytest.fixture
def posts(org: Org) -> dict[str, Any]:
    open_space = Community.objects.create(slug="extrusion", name="Extrusion")
    closed = Community.objects.create(slug="secret", name="Fermée", access="request")
    Membership.objects.create(community=closed, person=org.learner)
    # the designer supports the community: a member, who reads what is written for it
    Membership.objects.create(community=open_space, person=org.designer)
    report = Post.objects.create(
        kind=Post.Kind.EXPERIENCE,
        community=open_space,
        author=org.learner,
        title="Changement de filière en série",
        intended="Changer de filière en 20 minutes.",
        happened="Il en a fallu 45.",
        why="La filière n'était pas préchauffée.",
        next_time="Préchauffer pendant la fin de série.",
        language="fr",
    )
    report.skills.set([org.extrude])
    question = Post.objects.create(
        kind=Post.Kind.QUESTION,
        community=open_space,
        author=org.newcomer,
        title="Quelle pression ?",
    )
    reply = Reply.objects.create(post=question, author=org.expert, body="Autour de 180 bars.")
    other_reply = Reply.objects.create(post=question, author=org.manager, body="Je ne sais pas.")
    Reply.objects.filter(pk=reply.pk).update(accepted_at=timezone.now())
    reply.refresh_from_db()
    hidden = Post.objects.create(
        kind=Post.Kind.EXPERIENCE,
        community=closed,
        author=org.learner,
        title="Privé",
        happened="x",
    )
    team_only = Post.objects.create(
        kind=Post.Kind.EXPERIENCE,
        community=open_space,
        author=org.animator,
        title="Équipe",
        happened="x",
        audience=Post.Audience.TEAM,
        audience_team=org.people_team,  # the designer's
    )
    return {
        "report": report,
        "question": question,
        "reply": reply,
        "other_reply": other_reply,
        "closed": hidden,
        "team_only": team_only,
    }


def test_a_report_becomes_a_credited_draft(org: Org, posts: dict[str, Any]) -> None:
    made = capture.capitalise(designer=org.designer, post=posts["report"])
    module = Module.objects.get(code=made.code)
    assert module.is_light and module.status == Module.Status.DRAFT
    assert module.author == org.designer and module.language == "fr"
    assert list(module.skills.all()) == [org.extrude]
    text = "\n".join(c.title + "\n" + c.body for c in Card.objects.filter(module=module))
    for part in ("20 minutes", "45", "préchauffée", "fin de série", org.learner.full_name):
        assert part in text
    event = LearningEvent.objects.get(verb=verbs.CAPITALISED.iri)
    assert event.actor == org.designer and event.other == org.learner
    assert made.editor_url == f"/learn/modules/{module.code}/edit/" or made.editor_url.endswith(
        f"/{module.code}/edit/"
    )


def test_an_accepted_answer_credits_the_answerer(org: Org, posts: dict[str, Any]) -> None:
    made = capture.capitalise(designer=org.designer, post=posts["question"], reply=posts["reply"])
    text = " ".join(Card.objects.filter(module__code=made.code).values_list("body", flat=True))
    assert "180 bars" in text and org.expert.full_name in text
    assert org.newcomer.full_name in text  # the one who asked


@pytest.mark.parametrize(
    ("who", "post", "reply", "status"),
    [
        ("learner", "report", None, 403),
        ("manager", "report", None, 403),
        ("animator", "report", None, 403),
        ("designer", "closed", None, 404),  # not readable by the designer
        ("designer", "question", None, 409),  # a question is not a report
        ("designer", "question", "other_reply", 409),  # not the accepted answer
        ("designer", "report", "reply", 404),  # a reply of another post
        ("designer", "team_only", None, 409),  # written for the author's team only
    ],
)
def test_capitalising_is_refused(
    org: Org, posts: dict[str, Any], who: str, post: str, reply: str | None, status: int
) -> None:
    before = Module.objects.count()
    with pytest.raises(ServiceError) as caught:
        capture.capitalise(
            designer=getattr(org, who), post=posts[post], reply=posts[reply] if reply else None
        )
    assert caught.value.status == status
    assert Module.objects.count() == before
    assert not LearningEvent.objects.filter(verb=verbs.CAPITALISED.iri).exists()


def test_the_page_and_the_api(org: Org, posts: dict[str, Any], client: Client) -> None:
    client.force_login(org.learner.user)
    assert client.post("/communities/capitalise/", {"post": posts["report"].pk}).status_code == 403
    assert (
        client.post(
            "/api/v1/communities/capitalise",
            {"post": posts["report"].pk},
            content_type="application/json",
        ).status_code
        == 403
    )
    client.force_login(org.designer.user)
    response = client.post("/communities/capitalise/", {"post": posts["report"].pk})
    assert response.status_code == 302 and response["Location"].endswith("/edit/")
    assert client.get(response["Location"]).status_code == 200  # the designer edits the draft
    api = client.post(
        "/api/v1/communities/capitalise",
        {"post": posts["question"].pk, "reply": posts["reply"].pk},
        content_type="application/json",
    )
    assert api.status_code == 201 and api.json()["editor_url"].endswith("/edit/")
    before = Module.objects.count()
    for body in ({"post": 999999}, {"post": "x"}, {}, {"post": posts["question"].pk}):
        bad = client.post("/api/v1/communities/capitalise", body, content_type="application/json")
        assert 400 <= bad.status_code < 500, (body, bad.status_code)
    for data in ({"post": "999999"}, {"post": "abc"}, {}):
        assert client.post("/communities/capitalise/", data).status_code == 404
    assert client.get("/communities/capitalise/").status_code == 405
    assert Module.objects.count() == before


def test_the_slot_shows_the_button_to_designers_only(org: Org, posts: dict[str, Any]) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    def render(person: Any, **context: Any) -> str:
        request = RequestFactory().get("/communities/")
        request.user = person.user
        return render_to_string("communities/slots/capitalise.html", context, request=request)

    assert "capitalise" in render(org.designer, post=posts["report"])
    assert "capitalise" not in render(org.learner, post=posts["report"])
    assert "capitalise" not in render(org.designer, post=posts["question"])
    assert "capitalise" in render(org.designer, post=posts["question"], reply=posts["reply"])
    assert "capitalise" not in render(
        org.designer, post=posts["question"], reply=posts["other_reply"]
    )
    assert "capitalise" not in render(org.designer, post=posts["team_only"])
