"""POST /api/v1/communities/capitalise: a designer turns an experience report or an
accepted answer into a draft light resource (see services.capture)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from sylva.communities.models import DESIGN, Post, Reply
from sylva.communities.schemas.capture import CapitalisedOut, CapitaliseIn
from sylva.communities.services import capture as services
from sylva.core.errors import NotFound
from sylva.core.web import require_perm
from sylva.people.web import current_person

router = Router(tags=["communities"])


@router.post(
    "/capitalise",
    response={201: CapitalisedOut},
    summary="Turn an experience report or an accepted answer into a draft light resource",
)
def capitalise(request: HttpRequest, payload: CapitaliseIn) -> Any:
    require_perm(request, DESIGN)
    post = Post.objects.filter(pk=payload.post).first()
    if post is None:
        raise NotFound(_("No such post."), field="post")
    reply = None
    if payload.reply is not None:
        reply = Reply.objects.filter(pk=payload.reply, post=post).first()
        if reply is None:
            raise NotFound(_("No such answer to this post."), field="reply")
    return Status(
        201, services.capitalise(designer=current_person(request), post=post, reply=reply)
    )
