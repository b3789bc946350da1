"""The posts' API: the same rules as the pages (audiences, hidden content, who may do
what), bad input a 4xx with nothing changed, someone else's ids refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sylva.communities.models import Flag, Post, Reply, Revision, Thanks
from sylva.communities.services import qa as services
from sylva.people import verbs
from sylva.people.models import LearningEvent
from tests.communities.test_qa_rules import (
    QA,
    _report,
    qa_fixture,  # noqa: F401 - the fixture `qa`
)

API = "/api/v1/communities"


def as_(client: Client, person: Any) -> Client:
    client.force_login(person.user)
    return client


def send(client: Client, method: str, url: str, data: dict[str, Any] | None = None) -> Any:
    if method == "get":
        return client.get(API + url)
    return getattr(client, method)(
        API + url, data=json.dumps(data or {}), content_type="application/json"
    )


def test_the_openapi_document_lists_the_posts_endpoints(client: Client, db: None) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/communities/posts",
        "/api/v1/communities/posts/{post_id}",
        "/api/v1/communities/posts/{post_id}/history",
        "/api/v1/communities/posts/{post_id}/replies",
        "/api/v1/communities/posts/{post_id}/flags",
        "/api/v1/communities/posts/{post_id}/hide",
        "/api/v1/communities/posts/{post_id}/restore",
        "/api/v1/communities/replies/{reply_id}",
        "/api/v1/communities/replies/{reply_id}/thanks",
        "/api/v1/communities/replies/{reply_id}/accept",
        "/api/v1/communities/replies/{reply_id}/unaccept",
        "/api/v1/communities/replies/{reply_id}/flags",
        "/api/v1/communities/replies/{reply_id}/hide",
        "/api/v1/communities/replies/{reply_id}/restore",
        "/api/v1/communities/flags",
    ):
        assert path in paths, path


def _ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_the_list_filters_and_follows_the_audiences(client: Client, qa: QA) -> None:
    org = qa.org
    team = _report(org.learner, community=qa.open, audience="team")
    everyone = _report(org.learner, community=qa.open, audience="everyone")
    unanswered = services.create_post(
        person=org.newcomer,
        kind="question",
        text=services.PostText(title="Alone", body="?", skills=(org.excel,)),
        community=qa.open,
    )
    newcomer = as_(client, org.newcomer)  # same team as the learner, a member
    assert _ids(newcomer.get(f"{API}/posts")) == {
        qa.question.pk,
        qa.secret.pk,
        team.pk,
        everyone.pk,
        unanswered.pk,
    } - {qa.secret.pk}
    assert _ids(newcomer.get(f"{API}/posts?kind=experience")) == {team.pk, everyone.pk}
    assert _ids(newcomer.get(f"{API}/posts?unanswered=true")) == {unanswered.pk}
    assert _ids(newcomer.get(f"{API}/posts?skill=excel")) == {unanswered.pk}
    assert newcomer.get(f"{API}/posts?community=secret").status_code == 404
    expert = as_(client, org.expert)  # the host, another team: not the team's report
    assert team.pk not in _ids(expert.get(f"{API}/posts?community=extrusion"))
    assert expert.get(f"{API}/posts/{team.pk}").status_code == 404
    outsider = as_(client, qa.outsider)
    assert _ids(outsider.get(f"{API}/posts?kind=experience")) == {everyone.pk}
    page = outsider.get(f"{API}/posts?page_size=1").json()
    assert len(page["items"]) == 1 and page["count"] >= 2
    assert outsider.get(f"{API}/posts?kind=nonsense").status_code == 400
    assert outsider.get(f"{API}/posts?skill=nope").status_code == 400


def test_the_detail_shows_hidden_replies_only_to_who_may(client: Client, qa: QA) -> None:
    services.hide(person=qa.org.expert, obj=qa.other_answer, reason="Spam")
    for who, sees in ((qa.org.learner, False), (qa.org.newcomer, True), (qa.org.expert, True)):
        body = as_(client, who).get(f"{API}/posts/{qa.question.pk}").json()
        ids = {r["id"] for r in body["replies"]}
        assert (qa.other_answer.pk in ids) is sees, who
    assert as_(client, qa.org.newcomer).get(f"{API}/posts/{qa.secret.pk}").status_code == 404


def test_create_edit_history_through_the_api(client: Client, qa: QA) -> None:
    c = as_(client, qa.org.newcomer)
    response = send(
        c,
        "post",
        "/posts",
        {
            "kind": "question",
            "community": "extrusion",
            "title": "Die temperature?",
            "body": "<script>alert(1)</script>*hot*",
            "skills": ["extrusion-setup"],
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert "<script>" not in created["html"] and "<em>hot</em>" in created["html"]
    assert created["audience"] == "everyone" and created["community"] == "extrusion"
    pk = created["id"]
    edited = send(
        c,
        "put",
        f"/posts/{pk}",
        {"title": "Die temperature, again", "skills": ["excel"], "body": "x"},
    )
    assert edited.status_code == 200 and edited.json()["edited_at"]
    history = as_(client, qa.org.expert).get(f"{API}/posts/{pk}/history").json()
    assert [r["title"] for r in history["items"]] == ["Die temperature?"]
    other = send(as_(client, qa.org.expert), "put", f"/posts/{pk}", {"title": "x", "body": "y"})
    assert other.status_code == 403


@pytest.mark.parametrize(
    "payload,status,field",
    [
        ({"kind": "question", "community": "extrusion", "title": "t", "body": "b"}, 400, "skills"),
        ({"kind": "nope", "community": "extrusion", "title": "t", "body": "b"}, 400, "kind"),
        ({"kind": "question", "title": "t", "body": "b", "skills": ["excel"]}, 400, "community"),
        (
            {"kind": "question", "community": "extrusion", "title": "t", "skills": ["zz"]},
            400,
            "skills",
        ),
        ({"kind": "announcement", "community": "extrusion", "title": "t", "body": "b"}, 403, None),
        ({"kind": "question", "community": "secret", "title": "t", "skills": ["excel"]}, 404, None),
        (
            {"kind": "experience", "community": "extrusion", "title": "t", "happened": "h"},
            400,
            "next_time",
        ),
        (
            {
                "kind": "experience",
                "community": "extrusion",
                "title": "t",
                "happened": "h",
                "next_time": "n",
                "audience": "the world",
            },
            400,
            "audience",
        ),
        ({"kind": "question", "community": "extrusion", "title": "x" * 201}, 422, None),
    ],
)
def test_bad_posts_are_a_4xx_and_nothing_is_written(
    client: Client, qa: QA, payload: dict[str, Any], status: int, field: str | None
) -> None:
    before = Post.objects.count()
    response = send(as_(client, qa.org.newcomer), "post", "/posts", payload)
    assert response.status_code == status, response.content
    if field:
        assert field in json.dumps(response.json())
    assert Post.objects.count() == before


def test_reply_thank_accept_unaccept_through_the_api(client: Client, qa: QA) -> None:
    org = qa.org
    made = send(
        as_(client, org.manager), "post", f"/posts/{qa.question.pk}/replies", {"body": "Hi"}
    )
    assert made.status_code == 201
    assert (
        send(
            as_(client, org.manager), "post", f"/posts/{qa.question.pk}/replies", {"body": ""}
        ).status_code
        == 400
    )
    assert (
        send(as_(client, org.learner), "post", f"/replies/{qa.answer.pk}/thanks").status_code == 201
    )
    assert (
        send(as_(client, org.learner), "post", f"/replies/{qa.answer.pk}/thanks").status_code == 409
    )
    assert (
        send(as_(client, org.expert), "post", f"/replies/{qa.answer.pk}/thanks").status_code == 403
    )
    assert (
        send(as_(client, org.newcomer), "post", f"/replies/{qa.answer.pk}/accept").status_code
        == 403
    )
    accepted = send(as_(client, org.learner), "post", f"/replies/{qa.answer.pk}/accept")
    assert accepted.status_code == 200 and accepted.json()["accepted"] is True
    [event] = LearningEvent.objects.filter(verb=verbs.RESPONDED.iri)
    assert (event.actor, event.other) == (org.expert, org.learner)
    assert (
        send(as_(client, org.expert), "post", f"/replies/{qa.answer.pk}/unaccept").status_code
        == 403
    )
    assert (
        send(as_(client, org.learner), "post", f"/replies/{qa.answer.pk}/unaccept").json()[
            "accepted"
        ]
        is False
    )
    edited = send(as_(client, org.expert), "put", f"/replies/{qa.answer.pk}", {"body": "New"})
    assert edited.status_code == 200 and Revision.objects.filter(reply=qa.answer).count() == 1
    assert (
        send(as_(client, org.learner), "put", f"/replies/{qa.answer.pk}", {"body": "x"}).status_code
        == 403
    )


def test_someone_elses_ids_are_refused_and_change_nothing(client: Client, qa: QA) -> None:
    secret_answer = services.reply(person=qa.org.manager, post=qa.secret, body="x")
    c = as_(client, qa.org.newcomer)
    for method, url, data in (
        ("get", f"/posts/{qa.secret.pk}", None),
        ("get", f"/posts/{qa.secret.pk}/history", None),
        ("put", f"/posts/{qa.secret.pk}", {"title": "t", "body": "b"}),
        ("post", f"/posts/{qa.secret.pk}/replies", {"body": "b"}),
        ("post", f"/posts/{qa.secret.pk}/flags", {"reason": "r"}),
        ("post", f"/posts/{qa.secret.pk}/hide", {"reason": "r"}),
        ("post", f"/replies/{secret_answer.pk}/thanks", None),
        ("post", f"/replies/{secret_answer.pk}/accept", None),
        ("post", f"/replies/{secret_answer.pk}/flags", {"reason": "r"}),
        ("put", f"/replies/{secret_answer.pk}", {"body": "b"}),
        ("post", "/replies/99999999/accept", None),
    ):
        assert send(c, method, url, data).status_code == 404, url
    assert (Thanks.objects.count(), Flag.objects.count()) == (0, 0)
    assert Reply.objects.filter(post=qa.secret).count() == 1


def test_report_hide_restore_through_the_api(client: Client, qa: QA) -> None:
    org = qa.org
    assert (
        send(
            as_(client, org.learner), "post", f"/posts/{qa.question.pk}/flags", {"reason": "x"}
        ).status_code
        == 403
    )
    flagged = send(
        as_(client, org.newcomer), "post", f"/posts/{qa.question.pk}/flags", {"reason": "Off"}
    )
    assert flagged.status_code == 201
    assert (
        send(
            as_(client, org.newcomer), "post", f"/replies/{qa.answer.pk}/flags", {"reason": "Rude"}
        ).status_code
        == 201
    )
    assert as_(client, org.newcomer).get(f"{API}/flags").status_code == 403
    assert as_(client, org.expert).get(f"{API}/flags").json()["count"] == 2
    assert (
        send(
            as_(client, org.newcomer), "post", f"/posts/{qa.question.pk}/hide", {"reason": "x"}
        ).status_code
        == 403
    )
    assert (
        send(
            as_(client, org.expert), "post", f"/posts/{qa.question.pk}/hide", {"reason": ""}
        ).status_code
        == 400
    )
    hidden = send(
        as_(client, org.expert), "post", f"/posts/{qa.question.pk}/hide", {"reason": "Dup"}
    )
    assert hidden.status_code == 200 and hidden.json()["hidden"] is True
    assert as_(client, org.newcomer).get(f"{API}/posts/{qa.question.pk}").status_code == 404
    assert (
        as_(client, org.learner).get(f"{API}/posts/{qa.question.pk}").json()["hidden_reason"]
        == "Dup"
    )
    assert (
        send(
            as_(client, org.animator), "post", f"/replies/{qa.answer.pk}/hide", {"reason": "r"}
        ).status_code
        == 200
    )
    assert (
        send(as_(client, org.animator), "post", f"/replies/{qa.answer.pk}/restore").json()["hidden"]
        is False
    )
    assert (
        send(as_(client, org.expert), "post", f"/posts/{qa.question.pk}/restore").status_code == 200
    )
    assert as_(client, org.newcomer).get(f"{API}/posts/{qa.question.pk}").status_code == 200
