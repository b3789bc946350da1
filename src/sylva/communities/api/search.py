"""The communities' full-text search under /api/v1/communities/search: the posts the
caller may read that hold every word of ``q`` (French and English, accents, capitals and
plurals ignored), best first; and the similar questions of a title being typed."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sylva.communities.models import Post
from sylva.communities.queries import access
from sylva.communities.queries import search as queries
from sylva.communities.schemas.search import SearchHitOut, SimilarOut
from sylva.core.errors import NotFound, ServiceError
from sylva.core.web import Pages
from sylva.people.web import current_person

router = Router(tags=["communities"])


class SearchQuery(Schema):
    q: str = Field("", max_length=queries.MAX_QUERY, description="The words to find")
    community: str = Field("", max_length=80, description="A community's address (slug)")
    kind: str = Field("", max_length=12, description="question, experience, resource, …")


class SimilarQuery(Schema):
    title: str = Field("", max_length=queries.MAX_QUERY, description="The title typed so far")


@router.get("", response=list[SearchHitOut], summary="Search the communities' posts")
@paginate(Pages)
def search_posts(request: HttpRequest, filters: Query[SearchQuery]) -> Any:
    person = current_person(request)
    if filters.kind and filters.kind not in Post.Kind.values:
        raise ServiceError(
            _("A kind of post is one of: %(kinds)s.") % {"kinds": ", ".join(Post.Kind.values)},
            field="kind",
        )
    community = None
    if filters.community:
        community = access.readable_communities(person).filter(slug=filters.community).first()
        if community is None:
            raise NotFound(_("No such community."), field="community")
    found = queries.search_posts(person, filters.q, community=community, kind=filters.kind or None)
    return found


@router.get(
    "/similar",
    response=list[SimilarOut],
    summary="Questions already asked like this title (answered first; nothing under 3 letters)",
)
def similar_questions(request: HttpRequest, filters: Query[SimilarQuery]) -> Any:
    found = queries.similar_questions(current_person(request), filters.title)
    return found
