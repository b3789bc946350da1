"""Closing the loops of light resources and duels (issue 11): the author is told of each
review decision, with the reviewer's words and the link to revise; reviewers, authors and
duellists find what waits on them in the inbox, and on whom they wait; the count is theirs
only."""

from __future__ import annotations

import pytest
from django.utils import translation

from sylva.core.counting import count_waiting
from sylva.microlearning import inbox
from sylva.microlearning.models import Module
from sylva.microlearning.services import challenges, content
from sylva.notifications.models import Notification
from sylva.notifications.queries import inbox_count, inbox_items
from sylva.people.models import Person
from tests.microlearning.conftest import SAFETY

TIP = SAFETY.replace("code: safety-basics", "code: mon-astuce").replace(
    "title: Sécurité machine", "title: Mon astuce"
)


def waits_on(person: Person) -> int:
    """How many things wait on ``person`` in this inbox module."""
    return count_waiting(inbox.waiting(person))


@pytest.fixture(autouse=True)
def _english_speakers(org) -> None:  # type: ignore[no-untyped-def]
    for role in ("learner", "expert", "manager", "animator", "designer"):
        person = org.person(role)
        person.language = "en"
        person.save(update_fields=["language"])


def _submitted(org) -> Module:  # type: ignore[no-untyped-def]
    module = content.save_text(author=org.learner, user=org.learner.user, text=TIP, light=True)
    return content.submit_resource(author=org.learner, module=module)


def _decisions(person):  # type: ignore[no-untyped-def]
    return list(
        Notification.objects.filter(person=person, kind="microlearning.review_decision").order_by(
            "pk"
        )
    )


def test_the_author_is_told_of_a_request_for_changes_with_the_comment_and_the_link(org) -> None:  # type: ignore[no-untyped-def]
    module = _submitted(org)
    content.review_resource(
        reviewer=org.designer, module=module, decision="changes", note="Ajoutez une photo."
    )
    [told] = _decisions(org.learner)
    assert told.subject == "Denis Petit asks for changes to “Mon astuce”"
    assert "Their comment: Ajoutez une photo." in told.body
    assert told.url == "/learn/modules/mon-astuce/edit/" and told.action == "Revise"
    assert not _decisions(org.designer)
    # revised and sent again, then approved: told again, once per submission
    content.submit_resource(author=org.learner, module=Module.objects.get(pk=module.pk))
    content.review_resource(reviewer=org.animator, module=module, decision="approve")
    approved = _decisions(org.learner)[-1]
    assert len(_decisions(org.learner)) == 2
    assert approved.subject == "Your resource “Mon astuce” is published"
    assert (
        "Anne Morel approved it" in approved.body and approved.url == "/learn/modules/mon-astuce/"
    )


def test_a_decline_is_told_in_the_authors_language_with_the_reason(org) -> None:  # type: ignore[no-untyped-def]
    org.learner.language = "fr"
    org.learner.save()
    module = _submitted(org)
    content.review_resource(
        reviewer=org.animator, module=module, decision="decline", note="Déjà couvert."
    )
    [told] = _decisions(org.learner)
    assert told.subject == "Anne Morel a refusé « Mon astuce »"
    assert "Son commentaire : Déjà couvert." in told.body and "ne sera pas publiée" in told.body


def test_a_refused_review_tells_nobody(org) -> None:  # type: ignore[no-untyped-def]
    module = _submitted(org)
    with pytest.raises(Exception):  # noqa: B017 — a reason is needed to ask for changes
        content.review_resource(reviewer=org.designer, module=module, decision="changes")
    with pytest.raises(Exception):  # noqa: B017 — nobody reviews their own resource
        content.review_resource(reviewer=org.learner, module=module, decision="approve")
    assert not Notification.objects.filter(kind="microlearning.review_decision").exists()


def test_reviewers_and_authors_see_what_waits_on_them(org) -> None:  # type: ignore[no-untyped-def]
    module = _submitted(org)
    with translation.override("en"):
        [review] = [i for i in inbox_items(org.designer) if i.kind == "microlearning.review"]
        assert review.title == "Review “Mon astuce”" and review.mine
        assert review.actions[0].url == "/learn/modules/mon-astuce/"
        [waiting] = [i for i in inbox_items(org.learner) if i.kind == "microlearning.revise"]
        assert not waiting.mine and "waits for a review" in waiting.title
    assert waits_on(org.designer) == 1 == waits_on(org.animator)
    assert waits_on(org.learner) == 0  # waiting on others is not theirs to do
    assert waits_on(org.expert) == 0  # not a reviewer
    assert not [i for i in inbox.items(org.expert) if i.kind == "microlearning.review"]
    content.review_resource(
        reviewer=org.designer, module=module, decision="changes", note="Plus court."
    )
    assert waits_on(org.designer) == 0
    assert waits_on(org.learner) == 1
    with translation.override("en"):
        [revise] = inbox.items(org.learner)
    assert revise.mine and revise.url == "/learn/modules/mon-astuce/edit/"
    assert "Plus court." in revise.detail


def test_a_designers_own_resource_is_not_theirs_to_review(org) -> None:  # type: ignore[no-untyped-def]
    module = content.save_text(author=org.designer, user=org.designer.user, text=TIP, light=True)
    content.submit_resource(author=org.designer, module=module)
    assert waits_on(org.designer) == 0 and waits_on(org.animator) == 1


def test_duels_in_the_inbox_with_their_inline_actions(org, module) -> None:  # type: ignore[no-untyped-def]
    duel = challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    with translation.override("en"):
        [invited] = inbox.items(org.expert)
        [mine] = inbox.items(org.learner)
    assert invited.mine and invited.title == "Hélène Dupré challenges you to a duel"
    accept, decline = invited.actions
    assert (accept.url, accept.method, accept.primary) == (
        f"/learn/duels/{duel.pk}/accept/",
        "post",
        True,
    )
    assert decline.url == f"/learn/duels/{duel.pk}/decline/"
    assert mine.mine and mine.actions[0].method == "get"  # the challenger plays their side
    assert waits_on(org.expert) == 1 == waits_on(org.learner)
    assert waits_on(org.manager) == 0 and not inbox.items(org.manager)
    for card_id in duel.card_ids:  # the challenger plays: now it is the other's turn
        challenges.serve_question(duel=duel, person=org.learner)
        challenges.answer_duel(
            person=org.learner, duel=duel, card_id=card_id, response=[0], duration_ms=1000
        )
    with translation.override("en"):
        [theirs] = inbox.items(org.learner)
    assert not theirs.mine and "Waiting for Karim Benali to accept" in theirs.detail
    assert waits_on(org.learner) == 0
    challenges.decline_duel(person=org.expert, duel=duel)
    assert inbox.items(org.learner) == [] == inbox.items(org.expert)
    assert waits_on(org.expert) == 0
    # the whole inbox (every pillar) counts the same
    assert inbox_count(org.expert) == sum(1 for i in inbox_items(org.expert) if i.mine)


def test_the_count_is_cheap(org, module, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    challenges.start_duel(challenger=org.learner, opponent=org.expert, module=module)
    _submitted(org)
    from sylva.people.models import Person

    designer = Person.objects.select_related("user").get(pk=org.designer.pk)
    with django_assert_max_num_queries(5):  # permissions (2), then three COUNTs
        assert waits_on(designer) == 1
