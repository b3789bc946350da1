"""Routing a question to colleagues who know: who is invited, why, who never is, the
weekly cap and its tie-breaks, the invitations' states and the inbox. (The helpers here are
shared by the other test_routing_* modules.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from sylva.communities.inbox import routing as inbox
from sylva.communities.models import Community, Invitation, Membership, Post, Reply
from sylva.communities.queries import routing as queries
from sylva.communities.services import routing
from sylva.core.counting import count_waiting
from sylva.exchange.models import Offer, Request
from sylva.notifications.models import Notification
from sylva.people.models import Person, PersonSkill, Skill
from tests.factories import Org, make_person


def waits_on(person: Person) -> int:
    """How many things wait on ``person`` in this inbox module."""
    return count_waiting(inbox.waiting(person))


def community(slug: str = "extrusion", *, access: str = "open", hosts: tuple[Person, ...] = ()):  # type: ignore[no-untyped-def]
    space = Community.objects.create(slug=slug, name=slug.title(), access=access)
    for host in hosts:
        Membership.objects.create(community=space, person=host, role=Membership.Role.HOST)
    return space


def ask(
    author: Person,
    *skills: Skill,
    space: Community | None = None,
    audience: str = Post.Audience.EVERYONE,
    route: bool = True,
    title: str = "How do I set the extruder after a die change?",
) -> Post:
    post = Post.objects.create(
        kind=Post.Kind.QUESTION,
        community=space,
        author=author,
        title=title,
        body="The melt temperature drifts.",
        audience=audience,
    )
    post.skills.set(skills)
    if route:
        routing.route(post=post)
    return post


def offer(person: Person, *skills: Skill) -> Offer:
    """An open offer on the board (with the request that joining asks for)."""
    row = Offer.objects.create(person=person)
    row.skills.set(skills)
    wish = Request.objects.create(person=person, expires_at=timezone.now() + timedelta(days=30))
    wish.skills.set(skills)
    return row


def holds(person: Person, skill: Skill, level: int, *, happy: bool = False) -> None:
    PersonSkill.objects.update_or_create(
        person=person, skill=skill, defaults={"level": level, "willing_to_share": happy}
    )


def invited(post: Post) -> list[str]:
    return list(
        Invitation.objects.filter(post=post)
        .order_by("-score", "pk")
        .values_list("invitee__user__username", flat=True)
    )


def reasons_of(post: Post, username: str) -> list[str]:
    invitation = Invitation.objects.get(post=post, invitee__user__username=username)
    with override("en"):
        return queries.reason_texts(invitation.reasons)


def busy(person: Person, times: int, *, days_ago: float = 1) -> None:
    """``person`` was invited ``times`` times, ``days_ago`` days ago, on other questions."""
    for i in range(times):
        other = Post.objects.create(
            kind=Post.Kind.QUESTION, author=person, title=f"other {i}", body=""
        )
        Invitation.objects.create(post=other, invitee=person)
        Invitation.objects.filter(post=other).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )


def colleague(org: Org, name: str, **fields: Any) -> Person:
    return make_person(name, team=fields.pop("team", org.printing), **fields)


# --- who is invited ------------------------------------------------------------------------


def test_the_expert_is_invited_with_reasons_and_told(org: Org) -> None:
    post = ask(org.newcomer, org.extrude, space=community())
    assert invited(post) == ["expert"]
    invitation = Invitation.objects.get(post=post)
    assert invitation.score > 0 and invitation.by is None
    assert reasons_of(post, "expert")[0] == "can teach Extruder setup (level 4 of 4)"
    told = Notification.objects.get(person=org.expert, kind="communities.invited")
    assert post.title in told.subject
    assert "can teach" in told.body or "peut" in told.body  # in the expert's language
    assert told.url.endswith("#reply-form")


def test_never_the_asker_nor_their_manager_by_default(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    offer(org.manager, org.extrude)  # the manager (level 3) offers it: willing
    post = ask(org.newcomer, org.extrude)
    assert "manager" not in invited(post)
    # the asker holds it at 4: still never invited on their own question
    holds(org.expert, org.extrude, 4)
    mine = ask(org.expert, org.extrude)
    assert "expert" not in invited(mine)
    assert invited(mine) == ["manager"]  # not the expert's manager
    monkeypatch.setattr(queries, "SKIP_ASKER_MANAGER", False)
    again = ask(org.newcomer, org.extrude, title="And the manager, when allowed?")
    assert "manager" in invited(again)


def test_the_teams_manager_counts_as_the_askers_manager(org: Org) -> None:
    offer(org.manager, org.extrude)
    Person.objects.filter(pk=org.newcomer.pk).update(manager=None)
    post = ask(Person.objects.get(pk=org.newcomer.pk), org.extrude)
    assert "manager" not in invited(post)  # org.manager manages the newcomer's team


def test_willing_means_an_open_offer_level_four_or_happy_to_share(org: Org) -> None:
    on_board = colleague(org, "boarder")
    happy = colleague(org, "happy")
    silent = colleague(org, "silent")
    paused = colleague(org, "paused")
    for person in (on_board, happy, silent, paused):
        holds(person, org.safety, 3)
    holds(happy, org.safety, 3, happy=True)
    offer(on_board, org.safety)
    Offer.objects.filter(pk=offer(paused, org.safety).pk).update(state=Offer.State.PAUSED)
    holds(org.expert, org.safety, 4)
    post = ask(org.newcomer, org.safety)
    assert set(invited(post)) == {"boarder", "happy", "expert"}
    assert "offers Machine safety on the exchange board" in reasons_of(post, "boarder")
    assert "is happy to share Machine safety" in reasons_of(post, "happy")
    assert reasons_of(post, "boarder")[0] == "masters Machine safety (level 3 of 4)"


def test_below_level_three_is_never_invited(org: Org) -> None:
    holds(org.learner, org.safety, 2, happy=True)
    offer(org.learner, org.safety)
    post = ask(org.newcomer, org.safety)
    assert invited(post) == []


def test_at_most_three_and_the_best_first(org: Org) -> None:
    people = [colleague(org, f"sharer{i}") for i in range(5)]
    for person in people:
        holds(person, org.excel, 4)
    offer(people[3], org.excel)  # the board adds to the score
    Reply.objects.create(
        post=ask(org.learner, org.excel, route=False, title="old"), author=people[4], body="x"
    )
    post = ask(org.newcomer, org.excel)
    assert len(invited(post)) == routing.MAX_INVITEES == 3
    assert invited(post)[:2] == ["sharer3", "sharer4"]
    assert "answered 1 question on Spreadsheets" in reasons_of(post, "sharer4")


def test_site_and_department_are_reasons(org: Org) -> None:
    near = colleague(org, "near", team=org.people_team)  # Lyon, another department
    holds(near, org.excel, 4)
    post = ask(org.newcomer, org.excel)  # the newcomer: Lyon, production
    said = reasons_of(post, "near")
    assert "works on the same site (Lyon)" in said
    assert "another department: knowledge crosses silos" in said


def test_inactive_people_who_answered_and_who_are_invited_are_left_out(org: Org) -> None:
    gone = colleague(org, "gone")
    holds(gone, org.extrude, 4)
    gone.user.is_active = False
    gone.user.save()
    answered = colleague(org, "answered")
    holds(answered, org.extrude, 4)
    post = ask(org.newcomer, org.extrude, route=False)
    Reply.objects.create(post=post, author=answered, body="Check the die.")
    routing.route(post=post)
    assert invited(post) == ["expert"]
    assert routing.route(post=post) == []  # routed again: nobody twice
    assert Invitation.objects.filter(post=post).count() == 1


def test_the_weekly_cap_spreads_the_load(org: Org) -> None:
    busy(org.expert, routing.WEEKLY_CAP)
    post = ask(org.newcomer, org.extrude)
    assert invited(post) == []
    Invitation.objects.filter(invitee=org.expert).exclude(post=post).update(
        created_at=timezone.now() - timedelta(days=routing.CAP_DAYS, hours=1)
    )
    later = ask(org.newcomer, org.extrude, title="A week later")
    assert invited(later) == ["expert"]


def test_ties_go_to_the_least_invited_then_the_lowest_id(org: Org) -> None:
    a, b, c = (colleague(org, name) for name in ("alpha", "bravo", "charlie"))
    for person in (a, b, c):
        holds(person, org.facilitation, 4)
    PersonSkill.objects.filter(person=org.expert).delete()
    busy(a, 1)
    post = ask(org.newcomer, org.facilitation)
    assert invited(post)[:3] == ["bravo", "charlie", "alpha"]
    scores = set(Invitation.objects.filter(post=post).values_list("score", flat=True))
    assert len(scores) == 1  # a true tie


def test_nothing_to_route(org: Org) -> None:
    assert routing.route(post=ask(org.newcomer, route=False)) == []  # no skill
    report = ask(org.newcomer, org.extrude, route=False)
    Post.objects.filter(pk=report.pk).update(kind=Post.Kind.EXPERIENCE)
    report.refresh_from_db()
    assert routing.route(post=report) == []
    solved = ask(org.newcomer, org.extrude, route=False, title="solved")
    solved.solved_at = timezone.now()
    assert routing.route(post=solved) == []


def test_a_members_only_question_invites_members_only(org: Org) -> None:
    space = community("closed", access=Community.Access.REQUEST, hosts=(org.animator,))
    Membership.objects.create(community=space, person=org.newcomer)
    member = colleague(org, "member")
    holds(member, org.extrude, 3, happy=True)
    Membership.objects.create(community=space, person=member)
    post = ask(org.newcomer, org.extrude, space=space, audience=Post.Audience.COMMUNITY)
    assert invited(post) == ["member"]  # the expert is no member: could not read it


def test_a_rolled_back_question_invites_nobody(org: Org) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        ask(org.newcomer, org.extrude)
        raise RuntimeError
    assert not Invitation.objects.exists()
    assert not Notification.objects.filter(kind="communities.invited").exists()


# --- states ----------------------------------------------------------------------------------


def test_answered_when_the_invitee_replies_marked_or_not(org: Org) -> None:
    post = ask(org.newcomer, org.extrude)
    invitation = Invitation.objects.get(post=post)
    Reply.objects.create(post=post, author=org.expert, body="Lower the barrel zone 3.")
    [shown] = queries.with_states(queries.of_post(post))
    assert shown.shown == Invitation.State.ANSWERED  # derived before anyone marks it
    assert routing.mark_answered(post=post, person=org.expert)
    assert not routing.mark_answered(post=post, person=org.expert)  # idempotent
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ANSWERED and invitation.answered_at


def test_closed_when_the_question_is_solved(org: Org) -> None:
    post = ask(org.newcomer, org.extrude)
    Post.objects.filter(pk=post.pk).update(solved_at=timezone.now())
    [shown] = queries.with_states(queries.of_post(post))
    assert shown.shown == Invitation.State.CLOSED
    assert not queries.pending(org.expert).exists()
    post.refresh_from_db()
    assert routing.close_solved(post=post) == 1
    assert routing.close_solved(post=post) == 0


def test_reasons_are_never_bare_numbers(org: Org) -> None:
    post = ask(org.newcomer, org.extrude)
    [invitation] = Invitation.objects.filter(post=post)
    for language in ("en", "fr"):
        with override(language):
            for text in queries.reason_texts(invitation.reasons):
                assert any(ch.isalpha() for ch in text) and not text.strip().isdigit()
    assert queries.reason_texts([{"key": "unknown"}, "text", None]) == []


# --- the inbox -------------------------------------------------------------------------------


def test_the_invitation_is_in_the_invitees_inbox_with_answer_and_pass(org: Org) -> None:
    post = ask(org.newcomer, org.extrude)
    assert waits_on(org.expert) == 1 and waits_on(org.newcomer) == 0
    with override("en"):
        [item] = inbox.items(org.expert)
    assert item.mine and post.title in item.title
    assert item.detail.startswith("You were invited because: can teach Extruder setup")
    answer, pass_ = item.actions
    assert answer.method == "get" and answer.url.endswith("#reply-form") and answer.primary
    invitation = Invitation.objects.get(post=post)
    assert pass_.method == "post"
    assert pass_.url == reverse("communities:pass_invitation", args=[invitation.pk])
    routing.pass_invitation(person=org.expert, invitation_id=invitation.pk)
    assert waits_on(org.expert) == 0 and inbox.items(org.expert) == []


def test_a_reply_takes_it_out_of_the_inbox(org: Org) -> None:
    post = ask(org.newcomer, org.extrude)
    Reply.objects.create(post=post, author=org.expert, body="Here is how.")
    assert waits_on(org.expert) == 0


def test_the_inbox_count_is_cheap(org: Org, django_assert_max_num_queries: Any) -> None:
    for i in range(4):
        ask(org.newcomer, org.extrude, title=f"question {i}")
    with django_assert_max_num_queries(2):
        assert waits_on(org.expert) == 3  # the fourth: the weekly cap
