"""The pages of posts and replies: who sees each (a matrix of roles: the author, another
member, a non-member of an on-request community, a host, a moderator, a designer, an
administrator), the slots included, what each action does through the pages, bad input
(a 4xx, nothing changed), Markdown sanitised."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sylva.communities.models import Flag, Post, Reply, Revision, Thanks
from sylva.communities.services import qa as services
from tests.communities.test_qa_rules import (
    QA,
    ask,
    qa_fixture,  # noqa: F401 - the fixture `qa`
)

ROLES = ("learner", "newcomer", "outsider", "expert", "manager", "animator", "designer", "admin")


def _person(qa: QA, role: str):  # type: ignore[no-untyped-def]
    return qa.outsider if role == "outsider" else qa.org.person(role)


def _get(client: Client, qa: QA, role: str, url: str) -> int:
    client.force_login(_person(qa, role).user)
    return client.get(url).status_code


# what each role gets on the GET pages of the open community's question (the learner asked,
# the expert hosts the community and answered, the newcomer answered)
OPEN_MATRIX = {
    "post": dict.fromkeys(ROLES, 200),
    "post_history": dict.fromkeys(ROLES, 200),
    "edit_post": {**dict.fromkeys(ROLES, 403), "learner": 200},
    "edit_reply": {**dict.fromkeys(ROLES, 403), "expert": 200},
    "flag_post": {**dict.fromkeys(ROLES, 200), "learner": 403},
    "flag_reply": {**dict.fromkeys(ROLES, 200), "expert": 403},
    "hide_post": {**dict.fromkeys(ROLES, 403), "expert": 200, "animator": 200, "admin": 200},
    "hide_reply": {**dict.fromkeys(ROLES, 403), "expert": 200, "animator": 200, "admin": 200},
}


def _url(qa: QA, name: str, post: Post, reply: Reply | None) -> str:
    if name in ("edit_reply", "flag_reply", "hide_reply"):
        assert reply is not None
        return reverse(f"communities:{name}", args=[reply.pk])
    return reverse(f"communities:{name}", args=[post.pk])


@pytest.mark.parametrize("name", sorted(OPEN_MATRIX))
def test_the_pages_of_a_question_in_an_open_community(client: Client, qa: QA, name: str) -> None:
    url = _url(qa, name, qa.question, qa.answer)
    got = {role: _get(client, qa, role, url) for role in ROLES}
    assert got == OPEN_MATRIX[name]


def test_a_post_of_an_on_request_community_is_a_404_to_non_members(client: Client, qa: QA) -> None:
    answer = services.reply(person=qa.org.manager, post=qa.secret, body="Ask the safety lead")
    readers = {"learner": 200, "manager": 200, "animator": 200, "admin": 200}
    for name in ("post", "post_history", "flag_reply"):
        url = _url(qa, name, qa.secret, answer)
        got = {role: _get(client, qa, role, url) for role in ROLES}
        expected = {role: readers.get(role, 404) for role in ROLES}
        if name == "flag_reply":
            expected["manager"] = 403  # their own reply
        assert got == expected, name
    url = reverse("communities:new_post") + "?community=secret"
    assert _get(client, qa, "newcomer", url) == 404
    assert _get(client, qa, "learner", url) == 200


def test_the_moderation_page_is_for_hosts_and_moderators(client: Client, qa: QA) -> None:
    services.flag(person=qa.org.newcomer, post=qa.question, reason="Off topic, really")
    url = reverse("communities:moderation")
    got = {role: _get(client, qa, role, url) for role in ROLES}
    assert got == {
        **dict.fromkeys(ROLES, 403),
        "expert": 200,
        "manager": 200,
        "animator": 200,
        "admin": 200,
    }
    client.force_login(qa.org.expert.user)
    assert "Off topic, really" in client.get(url).content.decode()
    client.force_login(qa.org.manager.user)  # hosts another community: not this report
    assert "Off topic, really" not in client.get(url).content.decode()


def test_the_new_post_form_per_kind_with_the_slots(client: Client, qa: QA) -> None:
    client.force_login(qa.org.learner.user)
    base = reverse("communities:new_post") + "?community=extrusion"
    page = client.get(base + "&kind=question").content.decode()
    assert 'id="id_title"' in page and "data-skill-picker" in page
    assert 'name="happened"' not in page
    page = client.get(base + "&kind=experience").content.decode()
    assert 'name="happened"' in page and 'name="audience"' in page
    assert "kind=announcement" not in page  # not a host
    client.force_login(qa.org.expert.user)
    assert "kind=announcement" in client.get(base).content.decode()
    client.force_login(qa.org.learner.user)
    chooser = client.get(reverse("communities:new_post")).content.decode()
    assert "?community=extrusion" in chooser and "?community=secret" in chooser


def test_asking_through_the_page(client: Client, qa: QA) -> None:
    client.force_login(qa.org.newcomer.user)
    response = client.post(
        reverse("communities:new_post") + "?community=extrusion",
        {
            "kind": "question",
            "title": "Which grease?",
            "body": "For the bearings",
            "skills": [qa.org.extrude.pk],
        },
    )
    post = Post.objects.get(title="Which grease?")
    assert response.status_code == 302 and response["Location"] == reverse(
        "communities:post", args=[post.pk]
    )
    assert post.author == qa.org.newcomer and post.community == qa.open


def test_bad_input_on_the_pages_is_a_400_and_changes_nothing(client: Client, qa: QA) -> None:
    client.force_login(qa.org.newcomer.user)
    before = (Post.objects.count(), Reply.objects.count(), Flag.objects.count())
    new = reverse("communities:new_post") + "?community=extrusion"
    response = client.post(new, {"kind": "question", "title": "No skill", "body": "x"})
    assert response.status_code == 400 and "at least one skill" in response.content.decode()
    assert client.post(new, {"kind": "announcement", "title": "t", "body": "b"}).status_code == 400
    assert client.post(new, {"kind": "nonsense", "title": "t", "body": "b"}).status_code == 400
    url = reverse("communities:reply", args=[qa.question.pk])
    assert client.post(url, {"body": "   "}).status_code == 400
    url = reverse("communities:flag_post", args=[qa.question.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    url = reverse("communities:edit_post", args=[qa.question.pk])  # not theirs
    assert client.post(url, {"title": "mine", "body": "x"}).status_code == 403
    assert (Post.objects.count(), Reply.objects.count(), Flag.objects.count()) == before
    assert Revision.objects.count() == 0


def test_someone_elses_ids_on_the_pages(client: Client, qa: QA) -> None:
    client.force_login(qa.org.newcomer.user)
    secret_answer = services.reply(person=qa.org.manager, post=qa.secret, body="x")
    for name, pk in (
        ("reply", qa.secret.pk),
        ("thank", secret_answer.pk),
        ("accept", secret_answer.pk),
        ("restore_post", qa.secret.pk),
    ):
        assert client.post(reverse(f"communities:{name}", args=[pk])).status_code == 404, name
    assert client.post(reverse("communities:accept", args=[qa.answer.pk])).status_code == 403
    assert client.post(reverse("communities:dismiss_flag", args=[999999])).status_code == 404
    assert Thanks.objects.count() == 0
    assert not Reply.objects.filter(accepted_at__isnull=False).exists()


def test_reply_thank_accept_through_the_page(client: Client, qa: QA) -> None:
    client.force_login(qa.org.learner.user)
    page = reverse("communities:post", args=[qa.question.pk])
    html = client.get(page).content.decode()
    assert reverse("communities:accept", args=[qa.answer.pk]) in html
    assert 'id="invitations"' in html  # the routing's slot
    response = client.post(reverse("communities:thank", args=[qa.answer.pk]))
    assert response.status_code == 302
    client.post(reverse("communities:accept", args=[qa.answer.pk]))
    qa.question.refresh_from_db()
    assert qa.question.solved_at is not None
    html = client.get(page).content.decode()
    assert "accepted answer" in html and "You thanked it" in html
    # a second thanks: a message, nothing more
    response = client.post(reverse("communities:thank", args=[qa.answer.pk]), follow=True)
    assert "already thanked" in response.content.decode()
    assert Thanks.objects.count() == 1


def test_edit_shows_edited_and_the_history(client: Client, qa: QA) -> None:
    client.force_login(qa.org.learner.user)
    client.post(
        reverse("communities:edit_post", args=[qa.question.pk]),
        {"title": "Setting the die", "body": "Edited text", "skills": [qa.org.extrude.pk]},
    )
    client.force_login(qa.org.newcomer.user)
    html = client.get(reverse("communities:post", args=[qa.question.pk])).content.decode()
    assert reverse("communities:post_history", args=[qa.question.pk]) in html
    history = client.get(reverse("communities:post_history", args=[qa.question.pk]))
    assert "The die drifts after an hour." in history.content.decode()


def test_hide_and_restore_through_the_pages(client: Client, qa: QA) -> None:
    client.force_login(qa.org.expert.user)
    response = client.post(
        reverse("communities:hide_post", args=[qa.question.pk]), {"reason": "Duplicate"}
    )
    assert response.status_code == 302
    client.force_login(qa.org.newcomer.user)
    assert client.get(reverse("communities:post", args=[qa.question.pk])).status_code == 404
    client.force_login(qa.org.learner.user)
    html = client.get(reverse("communities:post", args=[qa.question.pk])).content.decode()
    assert "Hidden by a host: Duplicate" in html
    client.force_login(qa.org.expert.user)
    client.post(reverse("communities:restore_post", args=[qa.question.pk]))
    client.force_login(qa.org.newcomer.user)
    assert client.get(reverse("communities:post", args=[qa.question.pk])).status_code == 200


def test_markdown_is_sanitised_on_the_pages(client: Client, qa: QA) -> None:
    evil = ask(
        qa.org.newcomer,
        qa.open,
        title="Evil",
        body='<script>alert(1)</script> **bold** <img src=x onerror="alert(2)">'
        " [link](javascript:alert(3))",
        skills=(qa.org.excel,),
    )
    services.reply(person=qa.org.learner, post=evil, body="<script>alert(4)</script>ok")
    client.force_login(qa.org.expert.user)
    html = client.get(reverse("communities:post", args=[evil.pk])).content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>alert" not in html and "onerror" not in html
    assert "javascript:alert" not in html
