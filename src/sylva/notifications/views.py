"""The inbox (what waits on me, and on whom I wait), my notification preferences, my
delivery log and the one-click unsubscribe of an email's link. Thin: forms in, services
and queries out (see :mod:`sylva.core.web`)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sylva.core import errorpages
from sylva.core.pillars import InboxAction, InboxItem, NoticeKind
from sylva.core.web import on_form, page_of, query_without_page
from sylva.notifications import queries, services
from sylva.notifications.channels import CHANNELS, read_unsubscribe_token
from sylva.notifications.forms import PreferencesForm
from sylva.notifications.models import Delivery
from sylva.people.models import Person
from sylva.people.web import current_person


@dataclass(frozen=True)
class Shown:
    """An inbox item as the page shows it: its actions with the link of the ``get`` ones."""

    item: InboxItem
    actions: list[tuple[InboxAction, str]]


def _shown(item: InboxItem) -> Shown:
    actions = []
    for action in item.actions:
        href = action.url
        if action.method.lower() == "get" and action.fields:
            href += ("&" if "?" in href else "?") + urlencode(action.fields)
        actions.append((action, href))
    return Shown(item, actions)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Everything that waits on the person across the pillars ("your turn"), then what
    they wait for from others; each with its next action inline."""
    person = current_person(request)
    page = page_of(request, queries.inbox_items(person))
    shown = [_shown(item) for item in page.object_list]
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "mine": [s for s in shown if s.item.mine],
            "theirs": [s for s in shown if not s.item.mine],
            "query_string": query_without_page(request),
            "here": reverse("notifications:inbox"),
        },
    )


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """How the person wants to be told: channels per kind, quiet hours, digest, reminder.
    A GET writes nothing: the unsaved defaults are shown until the person saves."""
    person = current_person(request)
    preference = queries.preference_of(person)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, person=person, preference=preference
    )
    if form.is_bound and form.is_valid():
        saved = on_form(form, lambda: services.set_preferences(person, **form.service_arguments()))
        if saved is not None:
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "rows": form.rows(),
            "channel_labels": {"email": _("Email"), "push": _("Phone (push)")},
            "subscribed": queries.subscriptions_of(person).exists(),
            "has_email": bool(person.user.email),
        },
    )


@login_required
def log(request: HttpRequest) -> HttpResponse:
    """The person's own notifications and how each channel carried them."""
    person = current_person(request)
    page = page_of(request, queries.notifications_of(person))
    return render(
        request,
        "notifications/log.html",
        {
            "page": page,
            "query_string": query_without_page(request),
            "channel_labels": {name: channel.label for name, channel in CHANNELS.items()},
            "states": Delivery.State,
        },
    )


def _unsubscribe_target(token: str) -> tuple[Person, NoticeKind] | None:
    """Who and what a link unsubscribes, read without writing; None when it is forged."""
    try:
        person_id, kind = read_unsubscribe_token(token)
    except signing.BadSignature:
        return None
    kinds = queries.notice_kinds()
    person = Person.objects.filter(pk=person_id).first()
    if person is None or kind not in kinds:
        return None
    return person, kinds[kind]


@csrf_exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click", with no cookie
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """An email's unsubscribe link. The GET only asks (mail scanners fetch links); the POST
    — the page's button or the mail client's one-click — stops that kind's emails. The
    signed token is the authority: it works signed out."""
    target = _unsubscribe_target(token)
    if target is None:
        return errorpages.error_response(
            request,
            400,
            _("This unsubscribe link is not valid: it may be cut or altered. Nothing was changed."),
        )
    _person, notice = target
    if request.method == "POST":
        services.unsubscribe(token)
        return render(request, "notifications/unsubscribed.html", {"notice": notice})
    return render(request, "notifications/unsubscribe.html", {"notice": notice, "token": token})
