"""Who was invited to answer a question and why (a page, and the fragment the question's
page loads in its slot), my invitations, passing, and a host's invitation by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sylva.communities.queries import access
from sylva.communities.queries import routing as queries
from sylva.communities.services import routing as services
from sylva.core.errors import ServiceError
from sylva.core.web import page_of, redirect_next, refusals_go_to
from sylva.people.models import Person
from sylva.people.web import current_person


def _context(request: HttpRequest, post: Any) -> dict[str, Any]:
    me = current_person(request)
    invitations = queries.with_states(queries.of_post(post))
    names = queries.sees_names(me, post)
    host = access.may_moderate_post(me, post)
    return {
        "post": post,
        "me": me,
        "invitations": invitations if names else [],
        "count": len(invitations),
        "mine": next((i for i in invitations if i.invitee_id == me.pk), None),
        "sees_names": names,
        "is_host": host,
        "could_invite": queries.who_could_be_invited(post) if host and not post.solved_at else [],
        "weekly_cap": queries.WEEKLY_CAP,
        "question_url": queries.question_url(post),
    }


@login_required
@require_GET
def invitations(request: HttpRequest, post_id: int) -> HttpResponse:
    """The question's invitations: a fragment for the question's page (htmx), else a page."""
    post = queries.question_for(current_person(request), post_id)
    context = _context(request, post)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "communities/routing/_invitations.html", context)
    return render(request, "communities/routing/invitations.html", context)


@login_required
@require_GET
def my_invitations(request: HttpRequest) -> HttpResponse:
    me = current_person(request)
    page = page_of(request, queries.mine(me))
    return render(
        request,
        "communities/routing/mine.html",
        {"page": page, "invitations": queries.with_states(page.object_list)},
    )


@login_required
@require_POST
@refusals_go_to("communities:my_invitations")
def pass_invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = services.pass_invitation(
        person=current_person(request), invitation_id=invitation_id
    )
    messages.success(request, _("You passed: thank you for saying so."))
    return redirect_next(request, queries.question_url(invitation.post))


def _invitee(request: HttpRequest) -> Person:
    raw = request.POST.get("person", "")
    person = (
        Person.objects.select_related("user").filter(pk=int(raw)).first()
        if raw.isdigit() and len(raw) < 12
        else None
    )
    if person is None:
        raise ServiceError(_("Choose the colleague to invite."), field="person")
    return person


def _back_to_invitations(request: HttpRequest, post_id: int) -> str:
    return queries.invitations_url(queries.question_for(current_person(request), post_id))


@login_required
@require_POST
@refusals_go_to(_back_to_invitations)
def invite(request: HttpRequest, post_id: int) -> HttpResponse:
    me = current_person(request)
    post = queries.question_for(me, post_id)
    done = services.invite(
        host=me,
        post=post,
        invitee=_invitee(request),
        override_cap=request.POST.get("override_cap") in ("1", "on", "true"),
    )
    if done.warning:
        messages.warning(request, done.warning)
    messages.success(
        request, _("%(name)s is invited.") % {"name": done.invitation.invitee.full_name}
    )
    return redirect_next(request, queries.invitations_url(post))
