"""Escalation: a question still without an answer after the delay goes, once, to its
community's hosts (and only to them), with an inbox item to invite someone."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from sylva.communities import tasks
from sylva.communities.inbox import routing as inbox
from sylva.communities.models import Membership, Post, Reply
from sylva.communities.queries import routing as queries
from sylva.communities.services import routing
from sylva.core.counting import count_waiting
from sylva.notifications.models import Notification
from tests.communities.test_routing_route import ask, community
from tests.factories import Org


def _aged(post: Post, hours: float) -> Post:
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    post.refresh_from_db()
    return post


def _escalations(kind: str = "communities.escalated") -> list[str]:
    return sorted(
        Notification.objects.filter(kind=kind).values_list("person__user__username", flat=True)
    )


def _space(org: Org):  # type: ignore[no-untyped-def]
    space = community(hosts=(org.animator, org.designer))
    Membership.objects.create(community=space, person=org.learner)  # a member, not a host
    return space


def test_escalated_once_after_the_delay_to_the_hosts_only(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SYLVA_COMMUNITIES_ESCALATE_HOURS = 48
    post = ask(org.newcomer, org.extrude, space=_space(org))
    _aged(post, 47)
    assert routing.escalate_questions() == 0  # not yet
    _aged(post, 49)
    assert routing.escalate_questions() == 1
    post.refresh_from_db()
    assert post.escalated_at is not None
    assert _escalations() == ["animator", "designer"]  # not the member, not the expert
    assert routing.escalate_questions() == 0  # once
    assert tasks.escalate_questions.call() == 0  # the task: the same service, idempotent
    assert len(_escalations()) == 2


def test_the_delay_is_a_setting(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SYLVA_COMMUNITIES_ESCALATE_HOURS = 2
    post = _aged(ask(org.newcomer, org.extrude, space=_space(org)), 3)
    assert routing.escalate_questions() == 1
    post.refresh_from_db()
    assert post.escalated_at


def test_an_answered_solved_or_hidden_question_is_not_escalated(org: Org) -> None:
    space = _space(org)
    answered = _aged(ask(org.newcomer, org.extrude, space=space, title="answered"), 72)
    Reply.objects.create(post=answered, author=org.expert, body="Here.")
    solved = _aged(ask(org.newcomer, org.extrude, space=space, title="solved"), 72)
    Post.objects.filter(pk=solved.pk).update(solved_at=timezone.now())
    hidden = _aged(ask(org.newcomer, org.extrude, space=space, title="hidden"), 72)
    Post.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    no_space = _aged(ask(org.newcomer, org.extrude, title="no community"), 72)
    assert routing.escalate_questions() == 0
    assert not _escalations()
    assert not Post.objects.filter(escalated_at__isnull=False).exists()
    assert no_space.escalated_at is None


def test_a_hidden_reply_does_not_count_as_an_answer(org: Org) -> None:
    post = _aged(ask(org.newcomer, org.extrude, space=_space(org)), 72)
    Reply.objects.create(post=post, author=org.expert, body="spam", hidden_at=timezone.now())
    assert routing.escalate_questions() == 1


def test_a_host_who_asked_is_not_told_about_their_own_question(org: Org) -> None:
    post = _aged(ask(org.animator, org.extrude, space=_space(org)), 72)
    assert routing.escalate_questions() == 1
    assert _escalations() == ["designer"]
    assert post.pk


def test_the_hosts_inbox_offers_to_invite_someone_until_it_is_answered(org: Org) -> None:
    post = _aged(ask(org.newcomer, org.extrude, space=_space(org)), 72)
    routing.escalate_questions()
    assert count_waiting(inbox.waiting(org.animator)) == 1
    [item] = inbox.items(org.animator)
    assert item.kind == "communities.escalated" and post.title in item.title
    [action] = item.actions
    assert action.method == "get" and action.url == queries.invite_url(post)
    assert count_waiting(inbox.waiting(org.learner)) == 0  # a member is no host
    told = Notification.objects.get(person=org.animator, kind="communities.escalated")
    assert told.url == queries.invite_url(post)
    Reply.objects.create(post=post, author=org.expert, body="Here is how.")
    assert count_waiting(inbox.waiting(org.animator)) == 0 and inbox.items(org.animator) == []
