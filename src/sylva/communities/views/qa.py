"""Posts and replies: writing a post, its page with replies, thanks and the accepted
answer, edits and their history, reports and the hosts' moderation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.communities.forms.qa import EditPostForm, PostForm, ReasonForm, ReplyForm
from sylva.communities.models import Assignment, Community, Post, Project, Reply
from sylva.communities.queries import access
from sylva.communities.queries import qa as queries
from sylva.communities.services import qa as services
from sylva.core.errors import Forbidden, NotFound
from sylva.core.markdown import render as markdown
from sylva.core.web import on_form, page_of, redirect_next, refusals_go_to
from sylva.people.models import Person
from sylva.people.web import current_person


def _post_url(request: HttpRequest, pk: int) -> str:
    return reverse("communities:post", args=[pk])


def _reply_post_url(request: HttpRequest, pk: int) -> str:
    post_id = Reply.objects.filter(pk=pk).values_list("post_id", flat=True).first()
    return reverse("communities:post", args=[post_id]) if post_id else "communities:home"


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


# --- writing a post ---------------------------------------------------------------------


def _place(request: HttpRequest, person: Person) -> dict[str, Any]:
    """The place a new post goes: ``?community=<slug>``, ``?project=<pk>`` or
    ``?assignment=<pk>`` (none: the page offers my communities)."""
    slug = request.GET.get("community")
    if slug:
        community = access.readable_communities(person).filter(slug=slug[:80]).first()
        if community is None:
            raise NotFound(_("No such community."))
        return {"community": community}
    if "project" in request.GET:
        project = Project.objects.filter(pk=_int(request.GET.get("project")) or 0).first()
        if project is None:
            raise NotFound(_("No such project."))
        return {"project": project}
    if "assignment" in request.GET:
        assignment = Assignment.objects.filter(pk=_int(request.GET.get("assignment")) or 0).first()
        if assignment is None or person.pk not in (
            assignment.learner_id,
            assignment.tutor_id,
            assignment.assigned_by_id,
        ):
            raise NotFound(_("No such work situation."))
        return {"assignment": assignment}
    return {}


def _kinds(person: Person, place: dict[str, Any]) -> list[str]:
    community: Community | None = place.get("community")
    if community is None:
        return [Post.Kind.EXPERIENCE]
    kinds: list[str] = [Post.Kind.QUESTION, Post.Kind.EXPERIENCE, Post.Kind.RESOURCE]
    if access.is_host(person, community):
        kinds.append(Post.Kind.ANNOUNCEMENT)
    return kinds


@login_required
def new_post(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    place = _place(request, person)
    if not place:
        return render(
            request,
            "communities/qa/choose_place.html",
            {"communities": access.member_of(person).filter(archived_at__isnull=True)},
        )
    kinds = _kinds(person, place)
    kind = request.GET.get("kind")
    initial = {"kind": kind if kind in kinds else kinds[0], "language": person.language}
    form = PostForm(request.POST or None, initial=initial, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        post = on_form(
            form,
            lambda: services.create_post(
                person=person, kind=form.cleaned_data["kind"], text=form.post_text(), **place
            ),
        )
        if post is not None:
            messages.success(request, _("Your post is published."))
            return redirect("communities:post", post.pk)
    return render(
        request,
        "communities/qa/post_form.html",
        {"form": form, "post": None, "kind": initial["kind"], "kinds": kinds, **place},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def edit_post(request: HttpRequest, pk: int) -> HttpResponse:
    person = current_person(request)
    post = services.readable_post(person, pk)
    services.check_author(person, post)
    initial = {
        "title": post.title,
        "body": post.body,
        "language": post.language,
        "skills": queries.post_skills(post),
        "intended": post.intended,
        "happened": post.happened,
        "why": post.why,
        "next_time": post.next_time,
        "audience": post.audience,
    }
    form = EditPostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = on_form(
            form, lambda: services.edit_post(person=person, post=post, text=form.post_text())
        )
        if saved is not None:
            messages.success(request, _("Saved. The earlier version is in the history."))
            return redirect("communities:post", post.pk)
    return render(
        request,
        "communities/qa/post_form.html",
        {"form": form, "post": post, "kind": post.kind, "community": post.community},
        status=400 if request.method == "POST" else 200,
    )


# --- a post's page ----------------------------------------------------------------------


def _aar(post: Post) -> list[tuple[str, Any]]:
    return [
        (_(heading), markdown(getattr(post, name)))
        for name, heading in services.AAR
        if getattr(post, name)
    ]


def _post_page(
    request: HttpRequest, post: Post, *, reply_form: ReplyForm | None = None, status: int = 200
) -> HttpResponse:
    person = current_person(request)
    replies = queries.replies_of(person, post)
    for item in replies:
        item.html = markdown(item.body)  # type: ignore[attr-defined]
    moderates = access.may_moderate_post(person, post)
    context = {
        "post": post,
        "body_html": markdown(post.body),
        "aar": _aar(post) if post.kind == Post.Kind.EXPERIENCE else [],
        "skills": queries.post_skills(post),
        "replies": replies,
        "reply_form": reply_form or ReplyForm(),
        "me": person,
        "is_author": post.author_id == person.pk,
        "may_accept": post.kind == Post.Kind.QUESTION
        and (post.author_id == person.pk or moderates),
        "may_moderate": moderates,
        "reported": queries.reported_by(person, post),
        "edited": post.edited_at is not None or any(r.edited_at for r in replies),
        "open": post.hidden_at is None
        and (post.community is None or post.community.archived_at is None),
    }
    return render(request, "communities/qa/post.html", context, status=status)


@login_required
def post(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_page(request, services.readable_post(current_person(request), pk))


@login_required
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = current_person(request)
    found = services.readable_post(person, pk)
    revisions = page_of(request, queries.history_of(person, found))
    for revision in revisions:
        revision.html = markdown(revision.body)
    return render(
        request,
        "communities/qa/history.html",
        {"post": found, "page": revisions, "current_html": markdown(services.previous_text(found))},
    )


@require_POST
@login_required
@refusals_go_to(_post_url)
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    person = current_person(request)
    found = services.readable_post(person, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        made = on_form(
            form, lambda: services.reply(person=person, post=found, body=form.cleaned_data["body"])
        )
        if made is not None:
            messages.success(request, _("Your answer is published."))
            return redirect(reverse("communities:post", args=[pk]) + f"#reply-{made.pk}")
    return _post_page(request, found, reply_form=form, status=400)


@login_required
def edit_reply(request: HttpRequest, pk: int) -> HttpResponse:
    person = current_person(request)
    found = services.readable_reply(person, pk)
    services.check_author(person, found)
    form = ReplyForm(request.POST or None, initial={"body": found.body})
    if request.method == "POST" and form.is_valid():
        saved = on_form(
            form,
            lambda: services.edit_reply(person=person, reply=found, body=form.cleaned_data["body"]),
        )
        if saved is not None:
            messages.success(request, _("Saved. The earlier version is in the history."))
            return redirect(reverse("communities:post", args=[found.post_id]) + f"#reply-{pk}")
    return render(
        request,
        "communities/qa/reply_form.html",
        {"form": form, "reply": found, "post": found.post},
        status=400 if request.method == "POST" else 200,
    )


def _reply_action(
    request: HttpRequest, pk: int, call: Callable[..., Any], done: str
) -> HttpResponse:
    person = current_person(request)
    found = services.readable_reply(person, pk)
    call(person=person, reply=found)
    messages.success(request, done)
    return redirect(reverse("communities:post", args=[found.post_id]) + f"#reply-{pk}")


@require_POST
@login_required
@refusals_go_to(_reply_post_url)
def thank(request: HttpRequest, pk: int) -> HttpResponse:
    return _reply_action(request, pk, services.thank, _("Thanks sent."))


@require_POST
@login_required
@refusals_go_to(_reply_post_url)
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _reply_action(request, pk, services.accept, _("Accepted: the question is solved."))


@require_POST
@login_required
@refusals_go_to(_reply_post_url)
def unaccept(request: HttpRequest, pk: int) -> HttpResponse:
    return _reply_action(request, pk, services.unaccept, _("The question is open again."))


# --- reports and moderation -------------------------------------------------------------


def _reason_page(
    request: HttpRequest,
    *,
    post: Post,
    reply: Reply | None,
    action: str,
    call: Callable[[str], Any],
    done: str,
) -> HttpResponse:
    form = ReasonForm(request.POST or None)
    done_ = (
        request.method == "POST"
        and form.is_valid()
        and on_form(form, lambda: call(form.cleaned_data["reason"])) is not None
    )
    if done_:
        messages.success(request, done)
        anchor = f"#reply-{reply.pk}" if reply is not None else ""
        return redirect(reverse("communities:post", args=[post.pk]) + anchor)
    return render(
        request,
        "communities/qa/reason.html",
        {"form": form, "post": post, "reply": reply, "action": action},
        status=400 if request.method == "POST" else 200,
    )


def _check_not_mine(person: Person, obj: Post | Reply) -> None:
    if obj.author_id == person.pk:
        raise Forbidden(_("You cannot report what you wrote."))


@login_required
def flag_post(request: HttpRequest, pk: int) -> HttpResponse:
    person = current_person(request)
    found = services.readable_post(person, pk)
    _check_not_mine(person, found)
    return _reason_page(
        request,
        post=found,
        reply=None,
        action="flag",
        call=lambda reason: services.flag(person=person, post=found, reason=reason),
        done=_("Reported: the hosts will look at it."),
    )


@login_required
def flag_reply(request: HttpRequest, pk: int) -> HttpResponse:
    person = current_person(request)
    found = services.readable_reply(person, pk)
    _check_not_mine(person, found)
    return _reason_page(
        request,
        post=found.post,
        reply=found,
        action="flag",
        call=lambda reason: services.flag(person=person, reply=found, reason=reason),
        done=_("Reported: the hosts will look at it."),
    )


def _check_moderates(person: Person, post: Post) -> None:
    if not access.may_moderate_post(person, post):
        raise Forbidden(_("Only the community's hosts and moderators do this."))


@login_required
def hide_post(request: HttpRequest, pk: int) -> HttpResponse:
    person = current_person(request)
    found = services.readable_post(person, pk)
    _check_moderates(person, found)
    return _reason_page(
        request,
        post=found,
        reply=None,
        action="hide",
        call=lambda reason: services.hide(person=person, obj=found, reason=reason),
        done=_("Hidden: its author is told why."),
    )


@login_required
def hide_reply(request: HttpRequest, pk: int) -> HttpResponse:
    person = current_person(request)
    found = services.readable_reply(person, pk)
    _check_moderates(person, found.post)
    return _reason_page(
        request,
        post=found.post,
        reply=found,
        action="hide",
        call=lambda reason: services.hide(person=person, obj=found, reason=reason),
        done=_("Hidden: its author is told why."),
    )


@require_POST
@login_required
@refusals_go_to(_post_url)
def restore_post(request: HttpRequest, pk: int) -> HttpResponse:
    person = current_person(request)
    services.restore(person=person, obj=services.readable_post(person, pk))
    messages.success(request, _("Shown again."))
    return redirect("communities:post", pk)


@require_POST
@login_required
@refusals_go_to(_reply_post_url)
def restore_reply(request: HttpRequest, pk: int) -> HttpResponse:
    return _reply_action(
        request,
        pk,
        lambda *, person, reply: services.restore(person=person, obj=reply),
        _("Shown again."),
    )


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    if not queries.may_moderate_here(person):
        raise Forbidden(_("Only hosts and moderators see the reports."))
    page = page_of(request, queries.open_flags(person))
    rows = [queries.describe_flag(flag) for flag in page]
    return render(request, "communities/qa/moderation.html", {"page": page, "rows": rows})


@require_POST
@login_required
@refusals_go_to("communities:moderation")
def dismiss_flag(request: HttpRequest, pk: int) -> HttpResponse:
    services.dismiss(person=current_person(request), flag_id=pk)
    messages.success(request, _("Report closed."))
    return redirect_next(request, "communities:moderation")
