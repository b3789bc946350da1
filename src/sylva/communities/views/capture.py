"""Capitalising a report or an accepted answer (a designer's button on a post's page)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.communities.models import DESIGN, Post, Reply
from sylva.communities.services import capture as services
from sylva.core.web import perm_page, refusals_go_to
from sylva.people.web import current_person


def _int(request: HttpRequest, name: str) -> int | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise Http404(_("No such post."))
    return int(raw)


@require_POST
@perm_page(DESIGN)
@refusals_go_to("communities:home")
def capitalise(request: HttpRequest) -> HttpResponse:
    post_pk, reply_pk = _int(request, "post"), _int(request, "reply")
    post = Post.objects.filter(pk=post_pk).first() if post_pk is not None else None
    if post is None:
        raise Http404(_("No such post."))
    reply = None
    if reply_pk is not None:
        reply = Reply.objects.filter(pk=reply_pk, post=post).first()
        if reply is None:
            raise Http404(_("No such answer to this post."))
    draft = services.capitalise(designer=current_person(request), post=post, reply=reply)
    messages.success(
        request,
        _("A draft light resource is made, credited to its authors: edit it, then submit it."),
    )
    return redirect(draft.editor_url)
