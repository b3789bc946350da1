"""Communities of practice under /api/v1/communities/: list and search, a community's page,
create and edit, join or ask, leave, members (with the requests to join, for hosts),
accept or decline a request, name a host, archive, follow a community or a skill. The same
services and reads as the pages: a community on request gives its posts to its members
only."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from sylva.communities.queries import access
from sylva.communities.queries import spaces as queries
from sylva.communities.schemas.spaces import (
    CommunityDetailOut,
    CommunityIn,
    CommunityOut,
    FollowOut,
    HostIn,
    MembershipOut,
)
from sylva.communities.services import spaces as services
from sylva.core.errors import NotFound, ServiceError
from sylva.core.web import Pages
from sylva.people.models import Person, Skill, SkillDomain
from sylva.people.web import current_person

router = Router(tags=["communities"])


class ListQuery(Schema):
    q: str = ""


def _kwargs(payload: CommunityIn) -> dict[str, Any]:
    domain = None
    if payload.domain:
        domain = SkillDomain.objects.filter(code=payload.domain).first()
        if domain is None:
            raise ServiceError(_("Unknown domain: %(c)s.") % {"c": payload.domain}, field="domain")
    codes = list(dict.fromkeys(payload.skills))
    skills = list(Skill.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {s.code for s in skills})
    if unknown:
        raise ServiceError(_("Unknown skills: %(c)s.") % {"c": ", ".join(unknown)}, field="skills")
    return {
        "name": payload.name,
        "purpose": payload.purpose,
        "language": payload.language,
        "access_": payload.access,
        "domain": domain,
        "skills": skills,
    }


def _detail(person: Person, slug: str) -> dict[str, Any]:
    community = queries.community_for(person, slug)
    return CommunityDetailOut.of(queries.page_of_community(person, community))


@router.get("/", response=list[CommunityOut], summary="Communities I may see (q: by name)")
@paginate(Pages)
def list_communities(request: HttpRequest, filters: Query[ListQuery]) -> Any:
    person = current_person(request)
    base = queries.visible_communities(person)
    return queries.with_counts(queries.matching_name(base, filters.q[:100])).order_by("name")


@router.post("/", response={201: CommunityDetailOut}, summary="Start a community (I host it)")
def create_community(request: HttpRequest, payload: CommunityIn) -> Any:
    person = current_person(request)
    made = services.create_community(person=person, **_kwargs(payload))
    return Status(201, _detail(person, made.slug))


@router.get("/c/{slug}", response=CommunityDetailOut, summary="A community's page")
def get_community(request: HttpRequest, slug: str) -> Any:
    return _detail(current_person(request), slug)


@router.put("/c/{slug}", response=CommunityDetailOut, summary="Edit a community (hosts)")
def edit_community(request: HttpRequest, slug: str, payload: CommunityIn) -> Any:
    person = current_person(request)
    found = queries.community_for(person, slug)
    services.edit_community(person=person, community=found, **_kwargs(payload))
    return _detail(person, slug)


@router.post("/c/{slug}/archive", response=CommunityDetailOut, summary="Archive (hosts)")
def archive_community(request: HttpRequest, slug: str) -> Any:
    person = current_person(request)
    services.archive_community(person=person, community=queries.community_for(person, slug))
    return _detail(person, slug)


@router.post("/c/{slug}/join", response=MembershipOut, summary="Join, or ask to join")
def join(request: HttpRequest, slug: str) -> Any:
    person = current_person(request)
    return services.join(person=person, community=queries.community_for(person, slug))


@router.post("/c/{slug}/leave", response={204: None}, summary="Leave, or withdraw my request")
def leave(request: HttpRequest, slug: str) -> Any:
    person = current_person(request)
    services.leave(person=person, community=queries.community_for(person, slug))
    return Status(204, None)


@router.get(
    "/c/{slug}/members",
    response=list[MembershipOut],
    summary="Its members (hosts and moderators: with the requests to join)",
)
@paginate(Pages)
def members(request: HttpRequest, slug: str) -> Any:
    person = current_person(request)
    found = queries.community_for(person, slug)
    if not access.may_read_community(person, found):
        raise NotFound(_("No such community."))
    return queries.members_of(found, pending=access.is_host(person, found))


@router.post("/c/{slug}/hosts", response=MembershipOut, summary="Name a member host (hosts)")
def name_host(request: HttpRequest, slug: str, payload: HostIn) -> Any:
    person = current_person(request)
    found = queries.community_for(person, slug)
    services.check_host(person, found)
    other = Person.objects.filter(pk=payload.person_id).first()
    if other is None:
        raise ServiceError(_("Choose a member of the community."), field="person_id")
    return services.name_host(person=person, community=found, other=other)


@router.post(
    "/c/{slug}/requests/{membership_id}/accept",
    response=MembershipOut,
    summary="Accept a request to join (hosts)",
)
def accept_request(request: HttpRequest, slug: str, membership_id: int) -> Any:
    person = current_person(request)
    return services.accept_request(
        person=person, community=queries.community_for(person, slug), membership_id=membership_id
    )


@router.post(
    "/c/{slug}/requests/{membership_id}/decline",
    response={204: None},
    summary="Decline a request to join (hosts)",
)
def decline_request(request: HttpRequest, slug: str, membership_id: int) -> Any:
    person = current_person(request)
    services.decline_request(
        person=person, community=queries.community_for(person, slug), membership_id=membership_id
    )
    return Status(204, None)


@router.post("/c/{slug}/follow", response={201: FollowOut}, summary="Follow a community")
def follow_community(request: HttpRequest, slug: str) -> Any:
    person = current_person(request)
    found = queries.community_for(person, slug)
    return Status(201, services.follow(person=person, community=found))


@router.delete("/c/{slug}/follow", response={204: None}, summary="Unfollow a community")
def unfollow_community(request: HttpRequest, slug: str) -> Any:
    person = current_person(request)
    services.unfollow(person=person, community=queries.community_for(person, slug))
    return Status(204, None)


def _skill(code: str) -> Skill:
    skill = Skill.objects.filter(code=code).first()
    if skill is None:
        raise NotFound(_("No such skill."))
    return skill


@router.post("/skills/{code}/follow", response={201: FollowOut}, summary="Follow a skill")
def follow_skill(request: HttpRequest, code: str) -> Any:
    return Status(201, services.follow(person=current_person(request), skill=_skill(code)))


@router.delete("/skills/{code}/follow", response={204: None}, summary="Unfollow a skill")
def unfollow_skill(request: HttpRequest, code: str) -> Any:
    services.unfollow(person=current_person(request), skill=_skill(code))
    return Status(204, None)


@router.get("/following", response=list[FollowOut], summary="What I follow")
def following(request: HttpRequest) -> Any:
    return queries.following(current_person(request))
