"""Capitalising experience: a designer turns an experience report, or an answer its asker
accepted, into a draft light resource of the microlearning pillar, credited to the
original authors (through ``sylva.microlearning.services.capture``, never its models).

Checks: the designer's permission; the post is readable by the designer, not hidden, and
written for more than its author's team; it is an experience report, or the reply named is
its accepted answer. The act is recorded (``capitalised``: the designer as actor, the
original author as the other person); nothing else is remembered here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from sylva.communities import verbs
from sylva.communities.models import DESIGN, Post, Reply
from sylva.communities.queries import access
from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.core.xapi import activity
from sylva.microlearning.services import capture as microlearning_capture
from sylva.people.models import Person
from sylva.people.services import record_event


@dataclass(frozen=True)
class Capitalised:
    """The draft made: its code, title and the editor where the designer goes on."""

    code: str
    title: str
    editor_url: str


def may_capitalise(post: Post, reply: Reply | None = None) -> bool:
    """Whether this post (or this reply of it) is something capitalising takes (the
    permission and readability aside)."""
    if post.hidden_at is not None or post.audience == Post.Audience.TEAM:
        return False
    if reply is None:
        return post.kind == Post.Kind.EXPERIENCE
    return reply.post_id == post.pk and reply.accepted_at is not None and reply.hidden_at is None


def check_capitalise(*, designer: Person, post: Post, reply: Reply | None) -> None:
    if not designer.user.has_perm(DESIGN):
        raise Forbidden(_("Only learning designers capitalise experience."))
    if not access.may_read_post(designer, post):
        raise NotFound(_("No such post."), field="post")
    if reply is not None and reply.post_id != post.pk:
        raise NotFound(_("No such answer to this post."), field="reply")
    if post.audience == Post.Audience.TEAM:
        raise ServiceError(
            _("Its author wrote it for their team only: it is not for a company resource."),
            field="post",
            status=409,
        )
    if not may_capitalise(post, reply):
        raise ServiceError(
            _("Only an experience report or an accepted answer is capitalised."),
            field="reply" if reply is not None else "post",
            status=409,
        )


def _report(post: Post, language: str) -> list[tuple[str, str]]:
    with override(language):
        parts = [
            ("", post.body),
            (_("What was intended"), post.intended),
            (_("What happened"), post.happened),
            (_("Why it happened"), post.why),
            (_("What we will do next time"), post.next_time),
        ]
    return [(title or post.title, text) for title, text in parts if text.strip()]


def _answer(post: Post, reply: Reply, language: str) -> list[tuple[str, str]]:
    with override(language):
        return [
            (post.title, post.body or post.title),
            (_("The answer"), reply.body),
        ]


@transaction.atomic
def capitalise(*, designer: Person, post: Post, reply: Reply | None = None) -> Capitalised:
    check_capitalise(designer=designer, post=post, reply=reply)
    language = post.language or designer.language or "fr"
    if reply is None:
        sections = _report(post, language)
        authors = [post.author]
    else:
        sections = _answer(post, reply, language)
        authors = [reply.author, post.author]
    module = microlearning_capture.draft_light_resource(
        designer=designer,
        title=post.title,
        sections=sections,
        skills=list(post.skills.all()),
        credits=[person.full_name for person in authors],
        language=language,
    )
    record_event(
        actor=designer,
        verb=verbs.CAPITALISED,
        object_id=activity("communities/post", post.pk),
        object_name=post.title,
        other=authors[0],
    )
    return Capitalised(
        code=module.code,
        title=module.title,
        editor_url=microlearning_capture.editor_url(module),
    )
