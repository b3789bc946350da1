"""Posts and replies under /api/v1/communities/: list, read (replies, the hidden ones only
to who may see them), write, edit (with history), reply, thank, accept, report, hide and
restore. Every post is read through queries.access: one the caller may not read is 404."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from sylva.communities.models import Assignment, Community, Post, Project
from sylva.communities.queries import access
from sylva.communities.queries import qa as queries
from sylva.communities.schemas.qa import (
    FlagOut,
    PostDetailOut,
    PostEditIn,
    PostIn,
    PostListOut,
    PostOut,
    PostReasonIn,
    ReplyIn,
    ReplyOut,
    RevisionOut,
)
from sylva.communities.services import qa as services
from sylva.core.errors import Forbidden, NotFound, ServiceError
from sylva.core.web import Pages
from sylva.people.models import Person, Skill
from sylva.people.web import current_person

router = Router(tags=["communities"])


class PostsQuery(Schema):
    community: str | None = None
    kind: str | None = None
    unanswered: bool = False
    skill: str | None = None


def _skills(codes: list[str]) -> tuple[Skill, ...]:
    found = {s.code: s for s in Skill.objects.select_related("domain").filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ServiceError(
            _("Unknown skill: %(unknown)r.") % {"unknown": unknown[0]}, field="skills"
        )
    return tuple(found[c] for c in dict.fromkeys(codes))


def _text(payload: PostEditIn) -> services.PostText:
    return services.PostText(
        title=payload.title,
        body=payload.body,
        language=payload.language,
        skills=_skills(payload.skills),
        intended=payload.intended,
        happened=payload.happened,
        why=payload.why,
        next_time=payload.next_time,
        audience=payload.audience,
    )


def _community(person: Person, slug: str) -> Community:
    found = access.readable_communities(person).filter(slug=slug[:80]).first()
    if found is None:
        raise NotFound(_("No such community."), field="community")
    return found


def _place(person: Person, payload: PostIn) -> dict[str, Any]:
    if payload.community:
        return {"community": _community(person, payload.community)}
    if payload.project is not None:
        project = Project.objects.filter(pk=payload.project).first()
        if project is None:
            raise NotFound(_("No such project."), field="project")
        return {"project": project}
    if payload.assignment is not None:
        assignment = Assignment.objects.filter(pk=payload.assignment).first()
        if assignment is None:
            raise NotFound(_("No such work situation."), field="assignment")
        return {"assignment": assignment}
    raise ServiceError(_("Give a community, a project or an assignment."), field="community")


def _detail(person: Person, post: Post) -> Post:
    post.shown_replies = queries.replies_of(person, post)  # type: ignore[attr-defined]
    return post


# --- posts ------------------------------------------------------------------------------


@router.get("/posts", response=list[PostListOut], summary="Posts I may read, filtered")
@paginate(Pages)
def list_posts(request: HttpRequest, filters: Query[PostsQuery]) -> Any:
    me = current_person(request)
    if filters.kind and filters.kind not in Post.Kind.values:
        raise ServiceError(
            _("kind is one of %(list)s") % {"list": ", ".join(Post.Kind.values)}, field="kind"
        )
    skill = None
    if filters.skill:
        skill = Skill.objects.filter(code=filters.skill).first()
        if skill is None:
            raise ServiceError(
                _("Unknown skill: %(skill)r.") % {"skill": filters.skill}, field="skill"
            )
    return queries.posts_for(
        me,
        community=_community(me, filters.community) if filters.community else None,
        kind=filters.kind or "",
        unanswered=filters.unanswered,
        skill=skill,
    )


@router.post("/posts", response={201: PostOut}, summary="Write a post")
def create_post(request: HttpRequest, payload: PostIn) -> Any:
    me = current_person(request)
    post = services.create_post(
        person=me, kind=payload.kind, text=_text(payload), **_place(me, payload)
    )
    return Status(201, post)


@router.get("/posts/{post_id}", response=PostDetailOut, summary="A post and its replies")
def get_post(request: HttpRequest, post_id: int) -> Any:
    me = current_person(request)
    return _detail(me, services.readable_post(me, post_id))


@router.put("/posts/{post_id}", response=PostOut, summary="Edit my post (its history keeps it)")
def edit_post(request: HttpRequest, post_id: int, payload: PostEditIn) -> Any:
    me = current_person(request)
    post = services.readable_post(me, post_id)
    return services.edit_post(person=me, post=post, text=_text(payload))


@router.get(
    "/posts/{post_id}/history",
    response=list[RevisionOut],
    summary="Earlier versions of a post and of its replies",
)
@paginate(Pages)
def post_history(request: HttpRequest, post_id: int) -> Any:
    me = current_person(request)
    return queries.history_of(me, services.readable_post(me, post_id))


@router.post("/posts/{post_id}/replies", response={201: ReplyOut}, summary="Reply to a post")
def reply(request: HttpRequest, post_id: int, payload: ReplyIn) -> Any:
    me = current_person(request)
    post = services.readable_post(me, post_id)
    return Status(201, services.reply(person=me, post=post, body=payload.body))


@router.post("/posts/{post_id}/flags", response={201: FlagOut}, summary="Report a post")
def flag_post(request: HttpRequest, post_id: int, payload: PostReasonIn) -> Any:
    me = current_person(request)
    post = services.readable_post(me, post_id)
    return Status(201, services.flag(person=me, post=post, reason=payload.reason))


@router.post("/posts/{post_id}/hide", response=PostOut, summary="Hide a post (hosts)")
def hide_post(request: HttpRequest, post_id: int, payload: PostReasonIn) -> Any:
    me = current_person(request)
    post = services.readable_post(me, post_id)
    return services.hide(person=me, obj=post, reason=payload.reason)


@router.post("/posts/{post_id}/restore", response=PostOut, summary="Show a hidden post again")
def restore_post(request: HttpRequest, post_id: int) -> Any:
    me = current_person(request)
    return services.restore(person=me, obj=services.readable_post(me, post_id))


# --- replies ----------------------------------------------------------------------------


@router.put("/replies/{reply_id}", response=ReplyOut, summary="Edit my reply")
def edit_reply(request: HttpRequest, reply_id: int, payload: ReplyIn) -> Any:
    me = current_person(request)
    found = services.readable_reply(me, reply_id)
    return services.edit_reply(person=me, reply=found, body=payload.body)


@router.post("/replies/{reply_id}/thanks", response={201: ReplyOut}, summary="Thank a reply")
def thank(request: HttpRequest, reply_id: int) -> Any:
    me = current_person(request)
    found = services.readable_reply(me, reply_id)
    services.thank(person=me, reply=found)
    return Status(201, services.readable_reply(me, reply_id))


@router.post(
    "/replies/{reply_id}/accept", response=ReplyOut, summary="Accept an answer (the asker)"
)
def accept(request: HttpRequest, reply_id: int) -> Any:
    me = current_person(request)
    return services.accept(person=me, reply=services.readable_reply(me, reply_id))


@router.post("/replies/{reply_id}/unaccept", response=ReplyOut, summary="Withdraw the acceptance")
def unaccept(request: HttpRequest, reply_id: int) -> Any:
    me = current_person(request)
    return services.unaccept(person=me, reply=services.readable_reply(me, reply_id))


@router.post("/replies/{reply_id}/flags", response={201: FlagOut}, summary="Report a reply")
def flag_reply(request: HttpRequest, reply_id: int, payload: PostReasonIn) -> Any:
    me = current_person(request)
    found = services.readable_reply(me, reply_id)
    return Status(201, services.flag(person=me, reply=found, reason=payload.reason))


@router.post("/replies/{reply_id}/hide", response=ReplyOut, summary="Hide a reply (hosts)")
def hide_reply(request: HttpRequest, reply_id: int, payload: PostReasonIn) -> Any:
    me = current_person(request)
    found = services.readable_reply(me, reply_id)
    return services.hide(person=me, obj=found, reason=payload.reason)


@router.post("/replies/{reply_id}/restore", response=ReplyOut, summary="Show a reply again")
def restore_reply(request: HttpRequest, reply_id: int) -> Any:
    me = current_person(request)
    return services.restore(person=me, obj=services.readable_reply(me, reply_id))


@router.get("/flags", response=list[FlagOut], summary="Open reports I moderate")
@paginate(Pages)
def open_flags(request: HttpRequest) -> Any:
    me = current_person(request)
    if not queries.may_moderate_here(me):
        raise Forbidden(_("Only hosts and moderators see the reports."))
    return queries.open_flags(me)
