"""The communities' home, a community's page, its form, its members (with the requests to
join for its hosts) and the buttons: join or ask, leave, follow, name a host, archive."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.communities.forms.spaces import CommunityForm, HostForm
from sylva.communities.models import Membership
from sylva.communities.queries import access
from sylva.communities.queries import spaces as queries
from sylva.communities.services import spaces as services
from sylva.core.errors import NotFound
from sylva.core.web import on_form, page_of, query_without_page, redirect_next, refusals_go_to
from sylva.people.models import Person, Skill
from sylva.people.web import current_person


def _back(request: HttpRequest, slug: str, **kwargs: Any) -> str:
    return reverse("communities:community", args=[slug])


@login_required
def home(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    q = request.GET.get("q", "").strip()[:100]
    mine = list(queries.my_memberships(person))
    suggested = [] if q else queries.suggested_for(person)
    others = queries.others_for(person, exclude=[c.pk for c in suggested], q=q)
    return render(
        request,
        "communities/home.html",
        {
            "q": q,
            "mine": mine,
            "suggested": suggested,
            "others": page_of(request, others),
            "query_string": query_without_page(request),
            "following": queries.following(person),
        },
    )


@login_required
def community(request: HttpRequest, slug: str) -> HttpResponse:
    person = current_person(request)
    found = queries.community_for(person, slug)
    return render(
        request, "communities/spaces/community.html", queries.page_of_community(person, found)
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = on_form(
            form, lambda: services.create_community(person=person, **form.service_kwargs())
        )
        if made is not None:
            messages.success(request, _("Your community is open: you are its first host."))
            return redirect("communities:community", made.slug)
    return render(request, "communities/spaces/form.html", {"form": form, "community": None})


@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    person = current_person(request)
    found = queries.community_for(person, slug)
    services.check_host(person, found)
    form = CommunityForm(request.POST or None, initial=CommunityForm.initial_of(found))
    if request.method == "POST" and form.is_valid():
        saved = on_form(
            form,
            lambda: services.edit_community(
                person=person, community=found, **form.service_kwargs()
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("communities:community", saved.slug)
    return render(request, "communities/spaces/form.html", {"form": form, "community": found})


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    """Its members (to those who may read it); the requests to join (to its hosts)."""
    person = current_person(request)
    found = queries.community_for(person, slug)
    if not access.may_read_community(person, found):
        raise NotFound(_("No such community."))
    host = access.is_host(person, found)
    return render(
        request,
        "communities/spaces/members.html",
        {
            "community": found,
            "is_host": host,
            "pending": list(queries.pending_of(found)) if host else [],
            "members": page_of(request, queries.members_of(found, pending=False)),
        },
    )


@require_POST
@login_required
@refusals_go_to(_back)
def join(request: HttpRequest, slug: str) -> HttpResponse:
    person = current_person(request)
    found = queries.community_for(person, slug)
    membership = services.join(person=person, community=found)
    if membership.state == Membership.State.ACTIVE:
        messages.success(request, _("Welcome to %(name)s.") % {"name": found.name})
    else:
        messages.success(request, _("Asked: a host will accept or decline your request."))
    return redirect("communities:community", slug)


@require_POST
@login_required
@refusals_go_to(_back)
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    person = current_person(request)
    found = queries.community_for(person, slug)
    services.leave(person=person, community=found)
    messages.success(request, _("You left %(name)s.") % {"name": found.name})
    return redirect("communities:community", slug)


@require_POST
@login_required
@refusals_go_to(_back)
def archive(request: HttpRequest, slug: str) -> HttpResponse:
    person = current_person(request)
    found = queries.community_for(person, slug)
    services.archive_community(person=person, community=found)
    messages.success(request, _("Archived: it is read-only now."))
    return redirect("communities:community", slug)


@require_POST
@login_required
@refusals_go_to(lambda request, slug: reverse("communities:members", args=[slug]))
def name_host(request: HttpRequest, slug: str) -> HttpResponse:
    person = current_person(request)
    found = queries.community_for(person, slug)
    services.check_host(person, found)
    form = HostForm(request.POST)
    other = (
        Person.objects.filter(pk=form.cleaned_data["person"]).first() if form.is_valid() else None
    )
    if other is None:
        messages.error(request, _("Choose a member of the community."))
    else:
        services.name_host(person=person, community=found, other=other)
        messages.success(request, _("%(who)s is a host now.") % {"who": other.full_name})
    return redirect("communities:members", slug)


@require_POST
@login_required
@refusals_go_to(lambda request, slug, **kwargs: reverse("communities:members", args=[slug]))
def answer_request(request: HttpRequest, slug: str, pk: int, answer: str) -> HttpResponse:
    person = current_person(request)
    found = queries.community_for(person, slug)
    if answer == "accept":
        services.accept_request(person=person, community=found, membership_id=pk)
        messages.success(request, _("Accepted: they are a member now, and are told."))
    else:
        services.decline_request(person=person, community=found, membership_id=pk)
        messages.success(request, _("Declined: they are told."))
    return redirect_next(request, reverse("communities:members", args=[slug]))


@require_POST
@login_required
@refusals_go_to(_back, pages=(404,))
def follow(request: HttpRequest, slug: str, undo: bool = False) -> HttpResponse:
    person = current_person(request)
    found = queries.community_for(person, slug)
    if undo:
        services.unfollow(person=person, community=found)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": found.name})
    else:
        services.follow(person=person, community=found)
        messages.success(request, _("You follow %(name)s.") % {"name": found.name})
    return redirect("communities:community", slug)


@require_POST
@login_required
@refusals_go_to("communities:home", pages=(404,))
def follow_skill(request: HttpRequest, code: str, undo: bool = False) -> HttpResponse:
    person = current_person(request)
    skill = Skill.objects.filter(code=code).first()
    if skill is None:
        raise NotFound(_("No such skill."))
    if undo:
        services.unfollow(person=person, skill=skill)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": skill.name})
    else:
        services.follow(person=person, skill=skill)
        messages.success(request, _("You follow %(name)s.") % {"name": skill.name})
    return redirect_next(request, "communities:home")
