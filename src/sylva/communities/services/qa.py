"""Posts, replies, thanks, accepted answers and moderation in the communities.

Who may read a post is :mod:`sylva.communities.queries.access`'s (every lookup here goes
through it: a post one may not read is "no such post", a 404); who may change what is
written here. Every refusal is a :class:`ServiceError` raised before anything is written.

- A post is a question, an experience report (the After Action Review's four parts, with
  an audience), a resource or an announcement (hosts only). It lives in a community, or,
  for an experience report, in a project or a work situation's assignment.
- Its author edits it (the previous text is kept as a :class:`Revision`); replies too.
- Anyone who reads a post replies, thanks a reply (once, never their own), reports it.
- The asker (or a host) accepts one answer: the question is solved, and the answerer's
  ``responded`` event, with the asker as the other person, is what insights count as
  teaching.
- Hosts of the community and moderators hide a post or a reply with a reason (its author
  is told) and restore it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sylva.communities import verbs as community_verbs
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
)
from sylva.communities.queries import access
from sylva.communities.services import indexing, routing
from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.core.ordered import set_in_order
from sylva.core.validation import check_field
from sylva.core.xapi import Verb, activity
from sylva.notifications.services import notify, notify_many
from sylva.people import verbs
from sylva.people.models import LearningEvent, Person, Skill
from sylva.people.services import record_event

#: a post names at most this many skills
MAX_SKILLS = 5
ANSWERED = "communities.answered"
ACCEPTED = "communities.accepted"
FOLLOWED = "communities.followed"
MODERATION = "communities.moderation"
#: the After Action Review's parts, in order, with their headings in the edit history
AAR = (
    ("intended", gettext_noop("What was intended")),
    ("happened", gettext_noop("What happened")),
    ("why", gettext_noop("Why it happened")),
    ("next_time", gettext_noop("What we will do next time")),
)


def post_iri(post: Post) -> str:
    return activity("communities/post", post.pk)


def reply_iri(reply: Reply) -> str:
    return activity("communities/reply", reply.pk)


def post_url(post: Post) -> str:
    return reverse("communities:post", args=[post.pk])


@dataclass(frozen=True)
class PostText:
    """What an author writes in a post (the same on creation and on edit)."""

    title: str
    body: str = ""
    language: str = ""
    skills: tuple[Skill, ...] = ()
    intended: str = ""
    happened: str = ""
    why: str = ""
    next_time: str = ""
    audience: str = Post.Audience.COMMUNITY


# --- lookups (through access.py) -------------------------------------------------------


def readable_post(person: Person, pk: int) -> Post:
    """The post ``pk`` if ``person`` may read it, else 404."""
    found = (
        access.readable_posts(person, Post.objects.filter(pk=pk))
        .select_related("community", "author", "audience_team")
        .first()
    )
    if found is None:
        raise NotFound(_("No such post."))
    return found


def may_see_reply(person: Person, reply: Reply) -> bool:
    """A hidden reply is read by its author, the post's hosts and moderators."""
    return (
        reply.hidden_at is None
        or reply.author_id == person.pk
        or access.may_moderate_post(person, reply.post)
    )


def readable_reply(person: Person, pk: int) -> Reply:
    """The reply ``pk`` if ``person`` may read it (and its post), else 404."""
    reply = Reply.objects.select_related("post", "author").filter(pk=pk).first()
    if reply is None:
        raise NotFound(_("No such reply."))
    reply.post = readable_post(person, reply.post_id)
    if not may_see_reply(person, reply):
        raise NotFound(_("No such reply."))
    return reply


# --- checks -----------------------------------------------------------------------------


def check_language(language: str) -> str:
    languages = {"", *(code for code, _label in settings.LANGUAGES)}
    if language not in languages:
        raise ServiceError(_("Choose a language of the list."), field="language")
    return language


def check_skills(kind: str, skills: Iterable[Skill]) -> list[Skill]:
    chosen = list(dict.fromkeys(skills))
    if len(chosen) > MAX_SKILLS:
        raise ServiceError(_("At most %(n)d skills.") % {"n": MAX_SKILLS}, field="skills")
    if kind == Post.Kind.QUESTION and not chosen:
        raise ServiceError(
            _("Name at least one skill: it is how the question reaches who knows."),
            field="skills",
        )
    return chosen


def check_text(kind: str, text: PostText) -> PostText:
    """The fields of a post of ``kind``, trimmed and within their limits."""
    title = check_field(Post, "title", (text.title or "").strip())
    if not title:
        raise ServiceError(_("Give it a title."), field="title")
    parts = {name: (getattr(text, name) or "").strip() for name, _h in AAR}
    for name, value in parts.items():
        check_field(Post, name, value)
    body = check_field(Post, "body", (text.body or "").strip())
    if kind == Post.Kind.EXPERIENCE:
        for name in ("happened", "next_time"):
            if not parts[name]:
                raise ServiceError(
                    _("Say what happened and what you will do next time."), field=name
                )
        if text.audience not in Post.Audience.values:
            raise ServiceError(_("Choose who may read it."), field="audience")
    elif not body:
        raise ServiceError(_("Write the text."), field="body")
    return PostText(
        title=title,
        body=body,
        language=check_language(text.language or ""),
        skills=tuple(check_skills(kind, text.skills)),
        audience=text.audience,
        **parts,
    )


def check_place(
    *,
    person: Person,
    kind: str,
    community: Community | None,
    project: Project | None,
    assignment: Assignment | None,
) -> None:
    """A post lives in one place ``person`` may write in."""
    if kind not in Post.Kind.values:
        raise ServiceError(_("Choose the kind of post."), field="kind")
    places = [p for p in (community, project, assignment) if p is not None]
    if len(places) != 1:
        raise ServiceError(_("A post goes in one community, project or work situation."))
    if community is not None:
        _check_community(person, kind, community)
        return
    if kind != Post.Kind.EXPERIENCE:
        raise ServiceError(
            _("Only experience reports go in a project or a work situation."), field="kind"
        )
    if project is not None:
        if project.owner_id != person.pk and not project.members.filter(pk=person.pk).exists():
            raise Forbidden(_("Only the project's members write in it."))
        if project.closed_at is not None:
            raise ServiceError(_("This project is closed."), status=409)
    elif assignment is not None and person.pk not in (
        assignment.learner_id,
        assignment.tutor_id,
        assignment.assigned_by_id,
    ):
        raise Forbidden(_("Only the learner, the tutor and the manager write about it."))


def _check_community(person: Person, kind: str, community: Community) -> None:
    if not access.may_read_community(person, community):
        raise NotFound(_("No such community."))
    if community.archived_at is not None:
        raise ServiceError(_("This community is archived."), status=409)
    if kind == Post.Kind.ANNOUNCEMENT and not access.is_host(person, community):
        raise Forbidden(_("Only the community's hosts post announcements."), field="kind")


def check_author(person: Person, obj: Post | Reply) -> None:
    if obj.author_id != person.pk:
        raise Forbidden(_("Only its author edits it."))
    if obj.hidden_at is not None:
        raise ServiceError(_("A host hid it: it cannot be edited."), status=409)


def check_open(post: Post) -> None:
    """Replies, thanks and answers need a visible post in a live community."""
    if post.hidden_at is not None:
        raise ServiceError(_("This post is hidden."), status=409)
    if post.community is not None and post.community.archived_at is not None:
        raise ServiceError(_("This community is archived."), status=409)


# --- events and notices -----------------------------------------------------------------


def first_skill(post: Post) -> Skill | None:
    """The question's first skill (in the order the author named them)."""
    through = Post.skills.through.objects.filter(post=post).select_related("skill")
    row = through.order_by("pk").first()
    return row.skill if row is not None else None


_VERB_OF: dict[str, Verb] = {
    Post.Kind.QUESTION: verbs.ASKED,
    Post.Kind.EXPERIENCE: verbs.SHARED,
    Post.Kind.RESOURCE: community_verbs.POSTED,
    Post.Kind.ANNOUNCEMENT: community_verbs.POSTED,
}


def _posted(post: Post) -> None:
    record_event(
        actor=post.author,
        verb=_VERB_OF[post.kind],
        object_id=post_iri(post),
        object_name=post.title,
        skill=first_skill(post),
    )


def _followers(post: Post) -> list[Person]:
    """Who follows the question's community or one of its skills and may read it."""
    community = post.community
    if community is None:
        return []
    follows = Q(follows__community=community) | Q(follows__skill__in=post.skills.all())
    people = Person.objects.filter(follows, user__is_active=True).exclude(pk=post.author_id)
    if community.access != Community.Access.OPEN:
        people = people.filter(
            memberships__community=community, memberships__state=Membership.State.ACTIVE
        )
    return list(people.select_related("user").distinct())


def _tell_followers(post: Post) -> None:
    notify_many(
        _followers(post),
        FOLLOWED,
        key=f"post:{post.pk}:followed",
        subject=gettext_noop("A new question in %(community)s: %(title)s"),
        url=post_url(post),
        params_of=lambda _p: {
            "community": post.community.name if post.community else "",
            "title": post.title,
        },
        action=gettext_noop("Answer it"),
    )


# --- posts ------------------------------------------------------------------------------


def _aar_fields(text: PostText) -> dict[str, str]:
    return {name: getattr(text, name) for name, _h in AAR}


@transaction.atomic
def create_post(
    *,
    person: Person,
    kind: str,
    text: PostText,
    community: Community | None = None,
    project: Project | None = None,
    assignment: Assignment | None = None,
) -> Post:
    """Post in a community (or an experience report in a project or a work situation)."""
    check_place(
        person=person, kind=kind, community=community, project=project, assignment=assignment
    )
    text = check_text(kind, text)
    experience = kind == Post.Kind.EXPERIENCE
    audience = text.audience if experience else Post.Audience.EVERYONE
    if audience == Post.Audience.TEAM and person.team_id is None:
        raise ServiceError(_("You have no team: choose another audience."), field="audience")
    now = timezone.now()
    post = Post.objects.create(
        kind=kind,
        community=community,
        project=project,
        assignment=assignment,
        author=person,
        title=text.title,
        body=text.body,
        language=text.language or person.language or "",
        audience=audience,
        audience_team=person.team if audience == Post.Audience.TEAM else None,
        created_at=now,
        last_activity_at=now,
        **(_aar_fields(text) if experience else {}),
    )
    set_in_order(post.skills, text.skills)
    _posted(post)
    indexing.index_post(post)
    if kind == Post.Kind.QUESTION:
        routing.route(post=post)
        _tell_followers(post)
    return post


def previous_text(post: Post) -> str:
    """A post's text as the history keeps it (an experience report's four parts too)."""
    if post.kind != Post.Kind.EXPERIENCE:
        return post.body
    parts = [f"### {_(heading)}\n\n{getattr(post, name)}" for name, heading in AAR]
    if post.body:
        parts.append(post.body)
    return "\n\n".join(p for p in parts if p.strip())


@transaction.atomic
def edit_post(*, person: Person, post: Post, text: PostText) -> Post:
    """Its author edits it; the text before the edit is kept in its history."""
    post = Post.objects.select_for_update(of=("self",)).select_related("community").get(pk=post.pk)
    check_author(person, post)
    text = check_text(post.kind, text)
    experience = post.kind == Post.Kind.EXPERIENCE
    to_team = experience and text.audience == Post.Audience.TEAM
    if to_team and post.audience != Post.Audience.TEAM and person.team_id is None:
        raise ServiceError(_("You have no team: choose another audience."), field="audience")
    Revision.objects.create(
        post=post, editor=person, title=post.title, body=previous_text(post)[:10000]
    )
    if experience:
        if to_team and post.audience != Post.Audience.TEAM:
            post.audience_team = person.team
        elif text.audience != Post.Audience.TEAM:
            post.audience_team = None
        post.audience = text.audience
        for name, value in _aar_fields(text).items():
            setattr(post, name, value)
    post.title, post.body = text.title, text.body
    post.language = text.language or post.language
    post.edited_at = timezone.now()
    post.save()
    set_in_order(post.skills, text.skills)
    indexing.index_post(post)
    return post


# --- replies ----------------------------------------------------------------------------


def _body(body: str) -> str:
    body = check_field(Reply, "body", (body or "").strip())
    if not body:
        raise ServiceError(_("Write your answer."), field="body")
    return body


@transaction.atomic
def reply(*, person: Person, post: Post, body: str) -> Reply:
    """Anyone who reads a post replies to it (the asker is told)."""
    post = readable_post(person, post.pk)
    check_open(post)
    body = _body(body)
    now = timezone.now()
    answer = Reply.objects.create(post=post, author=person, body=body, created_at=now)
    Post.objects.filter(pk=post.pk).update(last_activity_at=now)
    if post.kind == Post.Kind.QUESTION:
        routing.mark_answered(post=post, person=person)
    record_event(
        actor=person,
        verb=community_verbs.REPLIED,
        object_id=reply_iri(answer),
        object_name=post.title,
        skill=first_skill(post),
    )
    if post.author_id != person.pk and post.kind == Post.Kind.QUESTION:
        notify(
            post.author,
            ANSWERED,
            key=f"reply:{answer.pk}:answered",
            subject=gettext_noop("%(who)s answered your question: %(title)s"),
            url=post_url(post) + f"#reply-{answer.pk}",
            params={"who": person.full_name, "title": post.title},
            action=gettext_noop("Read it, and accept it if it helped"),
        )
    indexing.index_post(post)
    return answer


@transaction.atomic
def edit_reply(*, person: Person, reply: Reply, body: str) -> Reply:
    """Its author edits a reply; the text before is kept in the history."""
    reply = Reply.objects.select_for_update(of=("self",)).select_related("post").get(pk=reply.pk)
    check_author(person, reply)
    body = _body(body)
    Revision.objects.create(reply=reply, editor=person, body=reply.body)
    reply.body = body
    reply.edited_at = timezone.now()
    reply.save(update_fields=["body", "edited_at"])
    indexing.index_post(reply.post)
    return reply


@transaction.atomic
def thank(*, person: Person, reply: Reply) -> Thanks:
    """Thank a reply, once, never one's own (its author is told)."""
    reply = readable_reply(person, reply.pk)
    check_open(reply.post)
    if reply.hidden_at is not None:
        raise ServiceError(_("This reply is hidden."), status=409)
    if reply.author_id == person.pk:
        raise ServiceError(_("You cannot thank yourself."), status=403)
    if Thanks.objects.filter(reply=reply, person=person).exists():
        raise ServiceError(_("You already thanked this answer."), status=409)
    thanks = Thanks.objects.create(reply=reply, person=person)
    record_event(
        actor=person,
        verb=community_verbs.THANKED_ANSWER,
        object_id=reply_iri(reply),
        object_name=reply.post.title,
        other=reply.author,
        skill=first_skill(reply.post),
    )
    notify(
        reply.author,
        ACCEPTED,
        key=f"reply:{reply.pk}:thanked:{person.pk}",
        subject=gettext_noop("%(who)s thanked you for your answer: %(title)s"),
        url=post_url(reply.post) + f"#reply-{reply.pk}",
        params={"who": person.full_name, "title": reply.post.title},
    )
    return thanks


# --- accepted answers -------------------------------------------------------------------


def check_accept(person: Person, reply: Reply) -> None:
    post = reply.post
    if post.kind != Post.Kind.QUESTION:
        raise ServiceError(_("Only a question has an accepted answer."), status=409)
    if post.author_id != person.pk and not access.may_moderate_post(person, post):
        raise Forbidden(_("Only the asker or a host accepts an answer."))
    check_open(post)
    if reply.hidden_at is not None:
        raise ServiceError(_("This reply is hidden."), status=409)
    if reply.author_id == post.author_id:
        raise ServiceError(_("The asker's own reply cannot be the accepted answer."), status=409)
    if reply.accepted_at is not None:
        raise ServiceError(_("This answer is already accepted."), status=409)


@transaction.atomic
def accept(*, person: Person, reply: Reply) -> Reply:
    """The asker (or a host) accepts an answer: the question is solved, the answerer is
    told, and their answer counts as teaching (``responded``, the asker the other)."""
    reply = readable_reply(person, reply.pk)
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("community", "author")
        .get(pk=reply.post_id)
    )
    reply.post = post
    check_accept(person, reply)
    now = timezone.now()
    Reply.objects.filter(post=post, accepted_at__isnull=False).update(accepted_at=None)
    reply.accepted_at = now
    reply.save(update_fields=["accepted_at"])
    post.solved_at = now
    post.last_activity_at = now
    post.save(update_fields=["solved_at", "last_activity_at"])
    routing.close_solved(post=post)
    iri = reply_iri(reply)
    if not LearningEvent.objects.filter(verb=verbs.RESPONDED.iri, object_id=iri).exists():
        record_event(
            actor=reply.author,
            verb=verbs.RESPONDED,
            object_id=iri,
            object_name=post.title,
            other=post.author,
            skill=first_skill(post),
        )
    notify(
        reply.author,
        ACCEPTED,
        key=f"reply:{reply.pk}:accepted",
        subject=gettext_noop("Your answer to “%(title)s” is accepted"),
        url=post_url(post) + f"#reply-{reply.pk}",
        params={"title": post.title},
        action=gettext_noop("See the question"),
    )
    return reply


@transaction.atomic
def unaccept(*, person: Person, reply: Reply) -> Reply:
    """The asker withdraws the accepted mark (the question is open again)."""
    reply = readable_reply(person, reply.pk)
    post = Post.objects.select_for_update(of=("self",)).get(pk=reply.post_id)
    if post.author_id != person.pk:
        raise Forbidden(_("Only the asker withdraws an accepted answer."))
    if reply.accepted_at is None:
        raise ServiceError(_("This answer is not the accepted one."), status=409)
    reply.accepted_at = None
    reply.save(update_fields=["accepted_at"])
    post.solved_at = None
    post.save(update_fields=["solved_at"])
    return reply


# --- moderation -------------------------------------------------------------------------


def _reason(reason: str, field: str = "reason") -> str:
    reason = check_field(Flag, "reason", (reason or "").strip(), name=field)
    if not reason:
        raise ServiceError(_("Say in a few words what is wrong."), field=field)
    return reason


@transaction.atomic
def flag(
    *, person: Person, reason: str, post: Post | None = None, reply: Reply | None = None
) -> Flag:
    """Anyone who reads a post or reply reports it to the hosts, once, never their own."""
    mine = Flag.objects.filter(reporter=person)
    if reply is not None and post is None:
        found_reply = readable_reply(person, reply.pk)
        target: Post | Reply = found_reply
        already = mine.filter(reply=found_reply)
    elif post is not None and reply is None:
        found_post = readable_post(person, post.pk)
        target = found_post
        already = mine.filter(post=found_post)
    else:
        raise ServiceError(_("Report a post or a reply."))
    if target.author_id == person.pk:
        raise ServiceError(_("You cannot report what you wrote."), status=403)
    reason = _reason(reason)
    if already.exists():
        raise ServiceError(_("You already reported it: the hosts will look at it."), status=409)
    if isinstance(target, Reply):
        return Flag.objects.create(reporter=person, reason=reason, reply=target)
    return Flag.objects.create(reporter=person, reason=reason, post=target)


def _moderated(person: Person, obj: Post | Reply) -> Post:
    post = obj if isinstance(obj, Post) else obj.post
    if not access.may_moderate_post(person, post):
        raise Forbidden(_("Only the community's hosts and moderators do this."))
    return post


def _resolve_flags(person: Person, obj: Post | Reply) -> None:
    flags = Flag.objects.filter(resolved_at__isnull=True)
    flags = flags.filter(post=obj) if isinstance(obj, Post) else flags.filter(reply=obj)
    flags.update(resolved_at=timezone.now(), resolved_by=person)


@transaction.atomic
def hide(*, person: Person, obj: Post | Reply, reason: str) -> Post | Reply:
    """A host hides a post or a reply with a reason; its author is told why."""
    post = _moderated(person, obj)
    if obj.hidden_at is not None:
        raise ServiceError(_("It is already hidden."), status=409)
    reason = check_field(Post, "hidden_reason", (reason or "").strip(), name="reason")
    if not reason:
        raise ServiceError(_("Give the author the reason."), field="reason")
    obj.hidden_at, obj.hidden_by, obj.hidden_reason = timezone.now(), person, reason
    obj.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    _resolve_flags(person, obj)
    what = "post" if isinstance(obj, Post) else "reply"
    notify(
        obj.author,
        MODERATION,
        key=f"{what}:{obj.pk}:hidden:{obj.hidden_at.isoformat()}",
        subject=gettext_noop("A host hid what you wrote in “%(title)s”"),
        lines=(gettext_noop("The reason: %(reason)s"),),
        url=post_url(post),
        params={"title": post.title, "reason": reason},
        action=gettext_noop("See it"),
    )
    indexing.index_post(post)
    return obj


@transaction.atomic
def restore(*, person: Person, obj: Post | Reply) -> Post | Reply:
    """A host shows a hidden post or reply again."""
    post = _moderated(person, obj)
    if obj.hidden_at is None:
        raise ServiceError(_("It is not hidden."), status=409)
    obj.hidden_at, obj.hidden_by, obj.hidden_reason = None, None, ""
    obj.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    indexing.index_post(post)
    return obj


@transaction.atomic
def dismiss(*, person: Person, flag_id: int) -> Flag:
    """A host closes a report without hiding anything."""
    found = (
        Flag.objects.select_related("post__community", "reply__post__community")
        .filter(pk=flag_id)
        .first()
    )
    if found is None:
        raise NotFound(_("No such report."))
    post = found.post if found.post is not None else found.reply.post  # type: ignore[union-attr]
    if not access.may_moderate_post(person, post):
        raise NotFound(_("No such report."))
    if found.resolved_at is not None:
        raise ServiceError(_("This report is already closed."), status=409)
    found.resolved_at, found.resolved_by = timezone.now(), person
    found.save(update_fields=["resolved_at", "resolved_by"])
    return found
