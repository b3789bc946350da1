"""Questions routed to who knows, under /api/v1/communities/: a question's invitations (names
and reasons for its asker, its community's hosts and moderators; the invitee sees their own;
other readers only how many), my invitations, passing, and a host's invitation by hand."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from sylva.communities.models import Invitation
from sylva.communities.queries import routing as queries
from sylva.communities.schemas.routing import (
    HandInvitationOut,
    InvitationOut,
    InviteIn,
    MyInvitationOut,
)
from sylva.communities.services import routing as services
from sylva.core.errors import NotFound
from sylva.core.web import Pages
from sylva.people.models import Person
from sylva.people.web import current_person

router = Router(tags=["communities"])


def _out(invitation: Invitation, *, names: bool, me: Person) -> dict[str, Any]:
    mine = invitation.invitee_id == me.pk
    shown = names or mine
    return {
        "id": invitation.pk,
        "question": invitation.post_id,
        "invitee": (
            {"id": invitation.invitee_id, "name": invitation.invitee.full_name} if shown else None
        ),
        "reasons": queries.reason_texts(invitation.reasons) if shown else [],
        "state": queries.shown_state(invitation),
        "mine": mine,
        "by_host": invitation.by_id is not None,
        "created_at": invitation.created_at,
    }


@router.get(
    "/questions/{question_id}/invitations",
    response=list[InvitationOut],
    summary="Who was invited to answer a question, and why",
)
@paginate(Pages)
def question_invitations(request: HttpRequest, question_id: int) -> Any:
    me = current_person(request)
    post = queries.question_for(me, question_id)
    names = queries.sees_names(me, post)
    return [_out(i, names=names, me=me) for i in queries.of_post(post)]


@router.get("/invitations", response=list[MyInvitationOut], summary="My invitations to answer")
@paginate(Pages)
def my_invitations(request: HttpRequest) -> Any:
    return queries.mine(current_person(request))


@router.post(
    "/invitations/{invitation_id}/pass",
    response=InvitationOut,
    summary="Pass on an invitation to answer (mine only)",
)
def pass_invitation(request: HttpRequest, invitation_id: int) -> Any:
    me = current_person(request)
    invitation = services.pass_invitation(person=me, invitation_id=invitation_id)
    shown = queries.of_post(invitation.post).filter(pk=invitation.pk).first()
    if shown is None:  # pragma: no cover - just passed
        raise NotFound(_("No such invitation."))
    return _out(shown, names=True, me=me)


@router.post(
    "/questions/{question_id}/invite",
    response={201: HandInvitationOut},
    summary="A host invites a colleague to answer (past the weekly cap only if asked)",
)
def invite(request: HttpRequest, question_id: int, payload: InviteIn) -> Any:
    me = current_person(request)
    post = queries.question_for(me, question_id)
    invitee = Person.objects.select_related("user").filter(pk=payload.person).first()
    if invitee is None:
        raise NotFound(
            _("Unknown person: %(person)s.") % {"person": payload.person}, field="person"
        )
    done = services.invite(host=me, post=post, invitee=invitee, override_cap=payload.override_cap)
    shown = queries.of_post(post).get(pk=done.invitation.pk)
    return Status(201, {"invitation": _out(shown, names=True, me=me), "warning": done.warning})
