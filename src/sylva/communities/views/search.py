"""The communities' search page (``/communities/search/?q=``, its results live as one
types, through htmx) and the similar questions suggested while one types a question's title
(an htmx fragment). Reads only: ``queries.search``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sylva.communities.models import Community, Post
from sylva.communities.queries import access
from sylva.communities.queries import search as queries
from sylva.core.errors import NotFound, ServiceError
from sylva.core.web import page_of, query_without_page
from sylva.people.models import Person
from sylva.people.web import current_person


def _query(request: HttpRequest, name: str) -> str:
    return " ".join(request.GET.get(name, "")[: queries.MAX_QUERY * 2].split())[: queries.MAX_QUERY]


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind", "")
    if kind and kind not in Post.Kind.values:
        raise ServiceError(
            _("A kind of post is one of: %(kinds)s.") % {"kinds": ", ".join(Post.Kind.values)},
            field="kind",
            status=400,
        )
    return kind


def _community(request: HttpRequest, person: Person) -> Community | None:
    slug = request.GET.get("community", "")
    if not slug:
        return None
    found = access.readable_communities(person).filter(slug=slug).first()
    if found is None:
        raise NotFound(_("No such community."))
    return found


@login_required
def search(request: HttpRequest) -> HttpResponse:
    person = current_person(request)
    q, kind = _query(request, "q"), _kind(request)
    community = _community(request, person)
    words = queries.query_stems(q)
    found = queries.search_posts(person, q, community=community, kind=kind or None)
    page = page_of(request, found)
    context = {
        "q": q,
        "kind": kind,
        "kinds": Post.Kind.choices,
        "community": community,
        "searched": bool(words),
        "only_common": bool(q) and not words,
        "page": page,
        "rows": [(p, queries.post_url(p), queries.excerpt(p, 30)) for p in page.object_list],
        "query_string": query_without_page(request),
    }
    partial = bool(getattr(request, "htmx", False))
    template = "communities/search/_results.html" if partial else "communities/search/search.html"
    return render(request, template, context)


@login_required
def similar(request: HttpRequest) -> HttpResponse:
    """The questions already asked that look like the title typed (htmx, while typing).
    Asked for directly (no JavaScript), it is the search page with the title's words."""
    title = _query(request, "title")
    if not getattr(request, "htmx", False):
        target = reverse("communities:search")
        return redirect(f"{target}?{urlencode({'q': title, 'kind': Post.Kind.QUESTION})}")
    found = queries.similar_questions(current_person(request), title)
    rows = [(p, queries.post_url(p)) for p in found]
    context = {
        "answered": [(p, url) for p, url in rows if getattr(p, "answered", False)],
        "others": [(p, url) for p, url in rows if not getattr(p, "answered", False)],
        "title": title,
    }
    return render(request, "communities/search/_similar.html", context)
