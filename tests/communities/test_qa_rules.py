"""The rules of posts and replies (services): who posts where, accepted answers (only the
asker or a host, one per question, the event written once with the answerer as actor and
the asker as the other), thanks, edit history, audiences, hidden posts, reports."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sylva.communities import verbs as community_verbs
from sylva.communities.inbox import qa as inbox
from sylva.communities.models import (
    Assignment,
    Community,
    Flag,
    Membership,
    Post,
    Project,
    Reply,
    Revision,
    Thanks,
    WorkSituation,
)
from sylva.communities.queries import access
from sylva.communities.queries import qa as queries
from sylva.communities.services import qa as services
from sylva.core.counting import count_waiting
from sylva.core.errors import ServiceError
from sylva.notifications.models import Notification
from sylva.people import verbs
from sylva.people.models import LearningEvent, Person
from tests.factories import Org, make_person


def waits_on(person: Person) -> int:
    """How many things wait on ``person`` in this inbox module."""
    return count_waiting(inbox.waiting(person))


@dataclass
class QA:
    org: Org
    open: Community  # hosted by the expert; learner and newcomer members
    closed: Community  # on request, hosted by the manager; learner member
    question: Post  # the learner's, in the open community
    answer: Reply  # the expert's answer to it
    other_answer: Reply  # the newcomer's
    secret: Post  # a question in the closed community, by the learner
    outsider: Person  # in no community


def member(community: Community, person: Person, role: str = "member") -> None:
    Membership.objects.create(community=community, person=person, role=role, state="active")


def ask(person: Person, community: Community, title: str = "How to set the die?", **kw) -> Post:
    org_skill = kw.pop("skills", ())
    return services.create_post(
        person=person,
        kind=kw.pop("kind", Post.Kind.QUESTION),
        text=services.PostText(
            title=title, body=kw.pop("body", "The die drifts after an hour."), skills=org_skill
        ),
        community=community,
    )


@pytest.fixture(name="qa")
def qa_fixture(org: Org) -> QA:
    open_ = Community.objects.create(slug="extrusion", name="Extrusion")
    closed = Community.objects.create(slug="secret", name="Secret", access="request")
    member(open_, org.expert, "host")
    member(open_, org.learner)
    member(open_, org.newcomer)
    member(closed, org.manager, "host")
    member(closed, org.learner)
    outsider = make_person("outsider", first="Otto", team=org.printing)
    question = ask(org.learner, open_, skills=(org.extrude, org.safety))
    answer = services.reply(person=org.expert, post=question, body="Check the **heater**.")
    other = services.reply(person=org.newcomer, post=question, body="Ask the night shift.")
    secret = ask(org.learner, closed, title="A secret question", skills=(org.safety,))
    return QA(org, open_, closed, question, answer, other, secret, outsider)


def _status(call) -> int:  # type: ignore[no-untyped-def]
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value.status


# --- posting ----------------------------------------------------------------------------


def test_a_question_writes_asked_with_its_first_skill_and_tells_followers(qa: QA) -> None:
    from sylva.communities.models import Follow

    org = qa.org
    Follow.objects.create(person=org.newcomer, community=qa.open)
    Follow.objects.create(person=org.manager, skill=org.excel)
    Follow.objects.create(person=org.learner, community=qa.open)  # the author: never told
    post = ask(org.learner, qa.open, title="Spreadsheet of settings?", skills=(org.excel,))
    event = LearningEvent.objects.get(verb=verbs.ASKED.iri, object_id=services.post_iri(post))
    assert event.actor == org.learner and event.skill == org.excel
    told = set(
        Notification.objects.filter(
            kind="communities.followed", key__contains=f"post:{post.pk}:"
        ).values_list("person__user__username", flat=True)
    )
    assert told == {"newcomer", "manager"}


def test_followers_of_an_on_request_community_are_told_only_if_members(qa: QA) -> None:
    from sylva.communities.models import Follow

    org = qa.org
    Follow.objects.create(person=org.newcomer, skill=org.safety)  # not a member of closed
    Follow.objects.create(person=org.manager, skill=org.safety)
    post = ask(org.learner, qa.closed, title="Another", skills=(org.safety,))
    told = set(
        Notification.objects.filter(key__contains=f"post:{post.pk}:").values_list(
            "person__user__username", flat=True
        )
    )
    assert told == {"manager"}


def test_a_question_needs_a_skill_and_a_title(qa: QA) -> None:
    before = Post.objects.count()
    assert _status(lambda: ask(qa.org.learner, qa.open, skills=())) == 400
    assert _status(lambda: ask(qa.org.learner, qa.open, title="  ", skills=(qa.org.excel,))) == 400
    assert Post.objects.count() == before


def test_announcements_are_for_hosts(qa: QA) -> None:
    org = qa.org
    call = lambda who: ask(who, qa.open, kind=Post.Kind.ANNOUNCEMENT, title="News")  # noqa: E731
    assert _status(lambda: call(org.learner)) == 403
    post = call(org.expert)
    assert LearningEvent.objects.filter(
        verb=community_verbs.POSTED.iri, object_id=services.post_iri(post)
    ).exists()
    assert call(org.animator).kind == Post.Kind.ANNOUNCEMENT  # moderators host everywhere


def test_nobody_posts_in_an_on_request_community_they_are_not_in(qa: QA) -> None:
    assert _status(lambda: ask(qa.org.newcomer, qa.closed, skills=(qa.org.excel,))) == 404


def _report(person: Person, **place) -> Post:  # type: ignore[no-untyped-def]
    audience = place.pop("audience", Post.Audience.COMMUNITY)
    return services.create_post(
        person=person,
        kind=Post.Kind.EXPERIENCE,
        text=services.PostText(
            title="The night the line stopped",
            happened="The sensor failed.",
            next_time="Keep a spare sensor.",
            audience=audience,
        ),
        **place,
    )


def test_an_experience_report_needs_what_happened_and_next_time(qa: QA) -> None:
    text = services.PostText(title="X", happened="It broke.", audience="community")
    assert (
        _status(
            lambda: services.create_post(
                person=qa.org.learner, kind="experience", text=text, community=qa.open
            )
        )
        == 400
    )
    post = _report(qa.org.learner, community=qa.open)
    assert LearningEvent.objects.filter(
        verb=verbs.SHARED.iri, object_id=services.post_iri(post), actor=qa.org.learner
    ).exists()


def test_reports_in_a_project_or_a_situation_only_by_their_people(qa: QA) -> None:
    org = qa.org
    project = Project.objects.create(title="Line 4", owner=org.manager)
    situation = WorkSituation.objects.create(
        title="Restart", task="Restart line", author=org.designer
    )
    assignment = Assignment.objects.create(
        situation=situation, learner=org.learner, tutor=org.expert, assigned_by=org.manager
    )
    assert _status(lambda: _report(org.newcomer, project=project)) == 403
    assert _status(lambda: _report(org.newcomer, assignment=assignment)) == 403
    assert _report(org.manager, project=project).project == project
    post = _report(org.learner, assignment=assignment)
    assert access.may_read_post(org.expert, post) and access.may_read_post(org.manager, post)
    assert not access.may_read_post(org.newcomer, post)
    question = services.PostText(title="Q", body="b", skills=(org.excel,))
    assert (
        _status(
            lambda: services.create_post(
                person=org.manager, kind="question", text=question, project=project
            )
        )
        == 400
    )


def test_audiences_team_community_everyone(qa: QA) -> None:
    org = qa.org
    team = _report(org.learner, community=qa.open, audience="team")
    community = _report(org.learner, community=qa.open, audience="community")
    everyone = _report(org.learner, community=qa.open, audience="everyone")
    assert team.audience_team == org.extrusion
    # the newcomer (same team, member), the expert (host, another team), the outsider
    assert access.may_read_post(org.newcomer, team)
    assert not access.may_read_post(org.expert, team)
    assert not access.may_read_post(qa.outsider, team)
    assert access.may_read_post(org.expert, community)
    assert not access.may_read_post(qa.outsider, community)
    assert access.may_read_post(qa.outsider, everyone)
    assert not access.may_read_post(org.animator, team)  # a moderator neither
    # the team is the one at writing: moving team later does not open it
    org.learner.team = org.printing
    org.learner.save()
    assert access.may_read_post(org.newcomer, team)
    assert access.may_read_post(org.learner, team)  # the author always


def test_a_team_report_needs_a_team(qa: QA) -> None:
    loner = make_person("loner")
    member(qa.open, loner)
    assert _status(lambda: _report(loner, community=qa.open, audience="team")) == 400


# --- replies, thanks --------------------------------------------------------------------


def test_a_reply_tells_the_asker_and_writes_replied(qa: QA) -> None:
    assert Notification.objects.filter(
        person=qa.org.learner, kind="communities.answered", key=f"reply:{qa.answer.pk}:answered"
    ).exists()
    event = LearningEvent.objects.get(
        verb=community_verbs.REPLIED.iri, object_id=services.reply_iri(qa.answer)
    )
    assert event.actor == qa.org.expert and event.other is None


def test_a_non_member_cannot_reply_in_an_on_request_community(qa: QA) -> None:
    before = Reply.objects.count()
    assert _status(lambda: services.reply(person=qa.org.newcomer, post=qa.secret, body="hi")) == 404
    assert _status(lambda: services.reply(person=qa.org.learner, post=qa.secret, body=" ")) == 400
    assert Reply.objects.count() == before


def test_thanks_once_never_ones_own(qa: QA) -> None:
    org = qa.org
    services.thank(person=org.learner, reply=qa.answer)
    assert _status(lambda: services.thank(person=org.learner, reply=qa.answer)) == 409
    assert _status(lambda: services.thank(person=org.expert, reply=qa.answer)) == 403
    services.thank(person=org.newcomer, reply=qa.answer)
    assert Thanks.objects.filter(reply=qa.answer).count() == 2
    events = LearningEvent.objects.filter(verb=community_verbs.THANKED_ANSWER.iri)
    assert {(e.actor, e.other) for e in events} == {
        (org.learner, org.expert),
        (org.newcomer, org.expert),
    }
    assert Notification.objects.filter(person=org.expert, kind="communities.accepted").count() == 2
    # nobody outside thanks a reply of a post they may not read
    secret_answer = services.reply(person=org.manager, post=qa.secret, body="ok")
    assert _status(lambda: services.thank(person=org.newcomer, reply=secret_answer)) == 404


# --- accepted answers -------------------------------------------------------------------


def _responded() -> list[LearningEvent]:
    return list(LearningEvent.objects.filter(verb=verbs.RESPONDED.iri))


def test_the_asker_accepts_the_event_names_the_answerer_and_the_asker(qa: QA) -> None:
    org = qa.org
    services.accept(person=org.learner, reply=qa.answer)
    qa.question.refresh_from_db()
    assert qa.question.solved_at is not None
    [event] = _responded()
    assert (event.actor, event.other, event.skill) == (org.expert, org.learner, org.extrude)
    assert Notification.objects.filter(
        person=org.expert, key=f"reply:{qa.answer.pk}:accepted"
    ).exists()
    # accepting it again: refused; accepting another moves it
    assert _status(lambda: services.accept(person=org.learner, reply=qa.answer)) == 409
    services.accept(person=org.learner, reply=qa.other_answer)
    qa.answer.refresh_from_db()
    assert qa.answer.accepted_at is None
    assert Reply.objects.filter(post=qa.question, accepted_at__isnull=False).get() == (
        qa.other_answer
    )
    # and back: the first answer's event is not written twice
    services.accept(person=org.learner, reply=qa.answer)
    assert sorted(e.actor.user.username for e in _responded()) == ["expert", "newcomer"]


def test_only_the_asker_or_a_host_accepts(qa: QA) -> None:
    org = qa.org
    for who in (org.newcomer, org.designer, org.manager):
        assert _status(lambda w=who: services.accept(person=w, reply=qa.answer)) == 403
    assert _status(lambda: services.accept(person=qa.outsider, reply=qa.answer)) == 403
    assert _responded() == []
    services.accept(person=org.animator, reply=qa.answer)  # a moderator hosts everywhere
    [event] = _responded()
    assert (event.actor, event.other) == (org.expert, org.learner)


def test_a_host_accepts_but_only_the_asker_withdraws(qa: QA) -> None:
    org = qa.org
    services.accept(person=org.expert, reply=qa.other_answer)  # the host
    assert _status(lambda: services.unaccept(person=org.expert, reply=qa.other_answer)) == 403
    services.unaccept(person=org.learner, reply=qa.other_answer)
    qa.question.refresh_from_db()
    assert qa.question.solved_at is None
    assert _status(lambda: services.unaccept(person=org.learner, reply=qa.other_answer)) == 409


def test_one_accepted_reply_per_question_is_a_database_constraint(qa: QA) -> None:
    services.accept(person=qa.org.learner, reply=qa.answer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reply.objects.filter(pk=qa.other_answer.pk).update(accepted_at=timezone.now())


def test_only_questions_have_accepted_answers_and_not_the_askers_own(qa: QA) -> None:
    org = qa.org
    own = services.reply(person=org.learner, post=qa.question, body="Found it myself")
    assert _status(lambda: services.accept(person=org.learner, reply=own)) == 409
    report = _report(org.learner, community=qa.open)
    comment = services.reply(person=org.expert, post=report, body="Thanks")
    assert _status(lambda: services.accept(person=org.learner, reply=comment)) == 409


# --- edits and history ------------------------------------------------------------------


def test_the_first_skill_is_the_one_the_author_named_first_on_every_database(qa: QA) -> None:
    """Django's ``set`` inserts from a set of ids, whose order is not the author's (on
    PostgreSQL it changed between runs): the skill events count is the one named first."""
    org = qa.org
    later, earlier = sorted((org.extrude, org.safety), key=lambda skill: -skill.pk)
    post = ask(org.learner, qa.open, title="Which first?", skills=(later, earlier))
    assert services.first_skill(post) == later
    assert queries.post_skills(post) == [later, earlier]
    event = LearningEvent.objects.get(verb=verbs.ASKED.iri, object_id=services.post_iri(post))
    assert event.skill == later
    text = services.PostText(title="Which first?", body="Reordered", skills=(earlier, later))
    services.edit_post(person=org.learner, post=post, text=text)
    assert queries.post_skills(post) == [earlier, later]


def test_every_edit_keeps_the_previous_text(qa: QA) -> None:
    org = qa.org
    services.edit_post(
        person=org.learner,
        post=qa.question,
        text=services.PostText(title="How to set the die, v2", body="New", skills=(org.extrude,)),
    )
    services.edit_post(
        person=org.learner,
        post=qa.question,
        text=services.PostText(title="v3", body="Newer", skills=(org.extrude,)),
    )
    services.edit_reply(person=org.expert, reply=qa.answer, body="Check the heater band.")
    revisions = queries.history_of(org.newcomer, qa.question)
    assert [(r.title, r.body) for r in revisions if r.post_id] == [
        ("How to set the die, v2", "New"),
        ("How to set the die?", "The die drifts after an hour."),
    ]
    assert [r.body for r in revisions if r.reply_id] == ["Check the **heater**."]
    qa.question.refresh_from_db()
    assert qa.question.edited_at is not None and qa.question.title == "v3"


def test_only_the_author_edits(qa: QA) -> None:
    org = qa.org
    text = services.PostText(title="Mine now", body="x", skills=(org.extrude,))
    assert (
        _status(lambda: services.edit_post(person=org.expert, post=qa.question, text=text)) == 403
    )
    assert (
        _status(lambda: services.edit_reply(person=org.learner, reply=qa.answer, body="x")) == 403
    )
    assert Revision.objects.count() == 0


def test_an_experience_report_history_keeps_its_four_parts(qa: QA) -> None:
    report = _report(qa.org.learner, community=qa.open)
    services.edit_post(
        person=qa.org.learner,
        post=report,
        text=services.PostText(title="t", happened="h2", next_time="n2", audience="everyone"),
    )
    [revision] = Revision.objects.filter(post=report)
    assert "The sensor failed." in revision.body and "Keep a spare sensor." in revision.body
    report.refresh_from_db()
    assert report.audience == "everyone" and report.audience_team is None


# --- moderation -------------------------------------------------------------------------


def test_reports_once_never_ones_own_and_hosts_see_them(qa: QA) -> None:
    org = qa.org
    services.flag(person=org.newcomer, post=qa.question, reason="Off topic")
    assert (
        _status(lambda: services.flag(person=org.newcomer, post=qa.question, reason="again")) == 409
    )
    assert _status(lambda: services.flag(person=org.learner, post=qa.question, reason="x")) == 403
    assert _status(lambda: services.flag(person=org.expert, post=qa.question, reason=" ")) == 400
    services.flag(person=org.learner, reply=qa.answer, reason="Rude")
    assert Flag.objects.count() == 2
    assert queries.open_flags(org.expert).count() == 2  # the host
    assert queries.open_flags(org.animator).count() == 2  # a moderator
    assert queries.open_flags(org.manager).count() == 0  # hosts another community
    assert waits_on(org.expert) == 2
    assert {i.kind for i in inbox.items(org.expert)} == {"communities.report"}


def test_a_host_hides_with_a_reason_the_author_is_told_and_restores(qa: QA) -> None:
    org = qa.org
    services.flag(person=org.newcomer, post=qa.question, reason="Off topic")
    assert _status(lambda: services.hide(person=org.newcomer, obj=qa.question, reason="x")) == 403
    assert _status(lambda: services.hide(person=org.expert, obj=qa.question, reason="")) == 400
    services.hide(person=org.expert, obj=qa.question, reason="Belongs in maintenance")
    note = Notification.objects.get(person=org.learner, kind="communities.moderation")
    assert "Belongs in maintenance" in note.body
    assert queries.open_flags(org.expert).count() == 0  # the report is resolved
    # hidden: read by its author, the hosts, moderators; nobody else
    assert access.may_read_post(org.learner, qa.question)
    assert access.may_read_post(org.expert, qa.question)
    assert access.may_read_post(org.animator, qa.question)
    assert not access.may_read_post(org.newcomer, qa.question)
    assert _status(lambda: services.reply(person=org.expert, post=qa.question, body="x")) == 409
    services.restore(person=org.expert, obj=qa.question)
    assert access.may_read_post(org.newcomer, qa.question)


def test_a_hidden_reply_is_read_by_its_author_and_the_hosts_only(qa: QA) -> None:
    org = qa.org
    services.hide(person=org.animator, obj=qa.other_answer, reason="Spam")
    assert qa.other_answer not in queries.replies_of(org.learner, qa.question)
    assert qa.other_answer in queries.replies_of(org.newcomer, qa.question)
    assert qa.other_answer in queries.replies_of(org.expert, qa.question)
    assert _status(lambda: services.readable_reply(org.learner, qa.other_answer.pk)) == 404
    assert _status(lambda: services.accept(person=org.learner, reply=qa.other_answer)) == 404


def test_the_asker_inbox_says_how_many_answers_wait(qa: QA) -> None:
    [item] = inbox.items(qa.org.learner)
    assert item.mine and "2 answers" in item.title
    assert waits_on(qa.org.learner) == 1
    services.accept(person=qa.org.learner, reply=qa.answer)
    assert waits_on(qa.org.learner) == 0


def test_the_inbox_count_is_cheap(qa: QA, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    person = Person.objects.select_related("user").get(pk=qa.org.expert.pk)
    person.user.has_perm("x")  # the permissions cache, loaded once per request anyway
    with django_assert_max_num_queries(2):
        waits_on(person)
