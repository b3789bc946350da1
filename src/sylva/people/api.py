"""People, organisation and skills under /api/v1/."""

import json
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sylva.core import pillars
from sylva.core.auth import request_token
from sylva.core.errors import NotFound, ServiceError
from sylva.core.web import Pages, require_perm
from sylva.people import queries, services
from sylva.people.models import (
    Department,
    LearningEvent,
    Person,
    Population,
    Site,
    Skill,
    SkillDomain,
    Team,
)
from sylva.people.roles import roles_of
from sylva.people.schemas import (
    PLACEMENT_FIELDS,
    DepartmentDetailOut,
    DepartmentOut,
    DomainOut,
    EventOut,
    HolderOut,
    MeOut,
    NewTokenOut,
    PersonDetailOut,
    PersonOut,
    ProfileIn,
    SiteOut,
    SkillCountOut,
    SkillLevelIn,
    SkillOut,
    SkillWaysOut,
    TeamDetailOut,
    TeamOut,
    TeamOverviewOut,
    TokenIn,
    TokenOut,
    WishIn,
)
from sylva.people.teamview import team_overview as build_team_overview
from sylva.people.web import current_person

router = Router()


def _me_out(request: HttpRequest) -> Person:
    """The asker's profile, with their roles (the answer of every ``/me`` operation)."""
    person = queries.profile(current_person(request).pk)
    person.roles = sorted(r.value for r in roles_of(request.user))  # type: ignore[attr-defined]
    return person


# --- me ------------------------------------------------------------------------------


@router.get("/me", response=MeOut, tags=["me"], summary="My profile")
def get_me(request: HttpRequest) -> Any:
    return _me_out(request)


@router.patch("/me", response=MeOut, tags=["me"], summary="Edit my profile")
def patch_me(request: HttpRequest, payload: ProfileIn) -> Any:
    """Change the fields sent. One's place in the organisation (team, site, manager,
    department) is set by an administrator or the HR source: sending it is refused (403,
    naming the field) and nothing is changed; so is any field this endpoint does not know."""
    _refuse_unknown_fields(request)
    data = payload.dict(exclude_unset=True)
    kwargs: dict[str, Any] = {}
    if data.get("populations") is not None:
        codes = set(data["populations"])
        found = list(Population.objects.filter(code__in=codes))
        missing = codes - {p.code for p in found}
        if missing:
            raise ServiceError(
                _("Unknown population(s): %(list)s.") % {"list": ", ".join(sorted(missing))},
                field="populations",
            )
        kwargs["populations"] = found
    for name in ("job_title", "can_share", "wants_to_learn", "visible_in_insights", "language"):
        if data.get(name) is not None:
            kwargs[name] = data[name]
    services.update_profile(person=current_person(request), **kwargs)
    return _me_out(request)


def _refuse_unknown_fields(request: HttpRequest) -> None:
    """The body's keys, read as sent: the schema alone would drop unknown keys silently."""
    try:
        sent = json.loads(request.body or b"{}")
    except ValueError:
        return  # the parser has refused it already
    extra = sorted(set(sent) - set(ProfileIn.model_fields)) if isinstance(sent, dict) else []
    placement = [name for name in extra if name in PLACEMENT_FIELDS]
    if placement:
        raise ServiceError(
            _(
                "%(placement)s: your place in the organisation (team, site, manager, "
                "department) is set by an administrator or the HR source, not on your profile."
            )
            % {"placement": placement[0]},
            field=placement[0],
            status=403,
        )
    if extra:
        raise ServiceError(
            _("%(extra)s: not a field of the profile.") % {"extra": extra[0]}, field=extra[0]
        )


@router.put(
    "/me/skills/{code}", response=MeOut, tags=["me"], summary="Declare a skill or change its level"
)
def put_my_skill(request: HttpRequest, code: str, payload: SkillLevelIn) -> Any:
    services.set_skill(
        person=current_person(request),
        skill_code=code,
        level=payload.level,
        willing_to_share=payload.willing_to_share,
    )
    return _me_out(request)


@router.delete(
    "/me/skills/{code}", response={204: None}, tags=["me"], summary="Remove a skill from my profile"
)
def delete_my_skill(request: HttpRequest, code: str) -> Any:
    services.remove_skill(person=current_person(request), skill_code=code)
    return Status(204, None)


@router.post(
    "/me/wishes", response={201: MeOut}, tags=["me"], summary="Add a skill I want to learn"
)
def post_my_wish(request: HttpRequest, payload: WishIn) -> Any:
    services.add_wish(person=current_person(request), skill_code=payload.skill)
    return Status(201, _me_out(request))


@router.delete(
    "/me/wishes/{code}",
    response={204: None},
    tags=["me"],
    summary="Remove a skill I wanted to learn",
)
def delete_my_wish(request: HttpRequest, code: str) -> Any:
    services.remove_wish(person=current_person(request), skill_code=code)
    return Status(204, None)


@router.get(
    "/me/events", response=list[EventOut], tags=["me"], summary="My learning events, newest first"
)
@paginate(Pages)
def my_events(request: HttpRequest) -> Any:
    return (
        LearningEvent.objects.filter(actor=current_person(request))
        .select_related("skill")
        .order_by("-timestamp")
    )


@router.get("/me/tokens", response=list[TokenOut], tags=["me"], summary="My personal API tokens")
def my_tokens(request: HttpRequest) -> Any:
    return queries.tokens_of(person=current_person(request))


@router.post(
    "/me/tokens",
    response={201: NewTokenOut},
    tags=["me"],
    summary="Create a personal API token (its secret is shown once)",
    description="Only from a signed-in browser session: a token cannot create tokens (403).",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    token, secret = services.create_token(
        person=current_person(request),
        name=payload.name,
        days=payload.days,
        read_only=payload.read_only,
        from_token=request_token(request),
    )
    data = TokenOut.from_orm(token).dict()
    data["token"] = secret
    return Status(201, data)


@router.delete(
    "/me/tokens/{token_id}",
    response={204: None},
    tags=["me"],
    summary="Revoke a personal API token",
)
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    services.revoke_token(person=current_person(request), token_id=token_id)
    return Status(204, None)


# --- people ----------------------------------------------------------------------------


class DirectoryQuery(Schema):
    q: str = ""
    skill: str | None = None
    domain: str | None = None
    team: int | None = None
    department: str | None = None
    site: str | None = None
    min_level: int = Field(1, ge=1, le=4)


def _lookup(model: Any, field: str, value: Any, param: str) -> Any:
    if value in (None, ""):
        return None
    obj = model.objects.filter(**{field: value}).first()
    if obj is None:
        raise ServiceError(
            _("Unknown %(param)s: %(value)r.") % {"param": param, "value": value}, field=param
        )
    return obj


@router.get(
    "/people",
    response=list[PersonOut],
    tags=["people"],
    summary="Who knows what: search people by name, skill, team, department, site",
)
@paginate(Pages)
def list_people(request: HttpRequest, filters: Query[DirectoryQuery]) -> Any:
    require_perm(request, "people.view_person")
    if not 1 <= filters.min_level <= 4:
        raise ServiceError(_("min_level must be between 1 and 4"), field="min_level")
    return queries.search_people(
        queries.DirectoryFilter(
            q=filters.q,
            skill=_lookup(Skill, "code", filters.skill, "skill"),
            domain=_lookup(SkillDomain, "code", filters.domain, "domain"),
            team=_lookup(Team, "pk", filters.team, "team"),
            department=_lookup(Department, "code", filters.department, "department"),
            site=_lookup(Site, "code", filters.site, "site"),
            min_level=filters.min_level,
        )
    )


@router.get(
    "/people/{person_id}", response=PersonDetailOut, tags=["people"], summary="A person's profile"
)
def get_person(request: HttpRequest, person_id: int) -> Any:
    require_perm(request, "people.view_person")
    try:
        return queries.profile(person_id)
    except Person.DoesNotExist:
        raise NotFound(_("No person with id %(person_id)s.") % {"person_id": person_id}) from None


# --- organisation ----------------------------------------------------------------------


@router.get("/org/sites", response=list[SiteOut], tags=["organisation"])
def list_sites(request: HttpRequest) -> Any:
    require_perm(request, "people.view_site")
    return list(queries.sites_overview())


@router.get("/org/departments", response=list[DepartmentOut], tags=["organisation"])
def list_departments(request: HttpRequest) -> Any:
    require_perm(request, "people.view_department")
    return list(queries.departments_overview())


@router.get("/org/departments/{code}", response=DepartmentDetailOut, tags=["organisation"])
def get_department(request: HttpRequest, code: str) -> Any:
    require_perm(request, "people.view_department")
    department = get_object_or_404(queries.departments_overview(), code=code)
    department.teams_list = list(queries.teams_of(department))  # type: ignore[attr-defined]
    return department


@router.get("/org/teams", response=list[TeamOut], tags=["organisation"])
@paginate(Pages)
def list_teams(request: HttpRequest, department: str | None = None, site: str | None = None) -> Any:
    require_perm(request, "people.view_team")
    qs = Team.objects.select_related("department", "site", "manager").annotate(
        headcount=Count("members", filter=Q(members__user__is_active=True))
    )
    if department:
        qs = qs.filter(department=_lookup(Department, "code", department, "department"))
    if site:
        qs = qs.filter(site=_lookup(Site, "code", site, "site"))
    return qs.order_by("department__name_fr", "name", "pk")


@router.get("/org/teams/{team_id}", response=TeamDetailOut, tags=["organisation"])
def get_team(request: HttpRequest, team_id: int) -> Any:
    require_perm(request, "people.view_team")
    team = get_object_or_404(
        Team.objects.select_related("department", "site", "manager").annotate(
            headcount=Count("members", filter=Q(members__user__is_active=True))
        ),
        pk=team_id,
    )
    team.members_list = list(queries.people_base().filter(team=team))  # type: ignore[attr-defined]
    return team


@router.get(
    "/org/teams/{team_id}/overview",
    response=TeamOverviewOut,
    tags=["organisation"],
    summary="A team's skills coverage and learning activity (its manager, animators)",
)
def team_overview(request: HttpRequest, team_id: int) -> Any:
    team = get_object_or_404(
        Team.objects.select_related("department", "site", "manager"), pk=team_id
    )
    overview = build_team_overview(viewer=current_person(request), user=request.user, team=team)
    return overview.as_api()


# --- skills ----------------------------------------------------------------------------


@router.get("/skills/domains", response=list[DomainOut], tags=["skills"])
def list_domains(request: HttpRequest) -> Any:
    require_perm(request, "people.view_skilldomain")
    return list(queries.domains_with_counts())


@router.get(
    "/skills",
    response=list[SkillCountOut],
    tags=["skills"],
    summary="The skills taxonomy, with how many people hold each skill",
)
@paginate(Pages)
def list_skills(request: HttpRequest, domain: str | None = None, q: str = "") -> Any:
    require_perm(request, "people.view_skill")
    return queries.skills_with_counts(domain=_lookup(SkillDomain, "code", domain, "domain"), q=q)


@router.get("/skills/{code}", response=SkillOut, tags=["skills"])
def get_skill(request: HttpRequest, code: str) -> Any:
    require_perm(request, "people.view_skill")
    return get_object_or_404(Skill.objects.select_related("domain"), code=code)


@router.get(
    "/skills/{code}/ways",
    response=SkillWaysOut,
    tags=["skills"],
    summary="Where can I learn this? Every way to learn a skill inside the company",
    description=(
        "Colleagues willing to share it, open offers, communities, circles, modules, work "
        "situations… gathered from every pillar for the signed-in person, grouped by kind, "
        "each with its conditions (format, duration, who may join, when). `asks`: where to "
        "ask for it when no group answers yet."
    ),
)
def skill_ways(request: HttpRequest, code: str) -> Any:
    require_perm(request, "people.view_skill")
    skill = get_object_or_404(Skill.objects.select_related("domain"), code=code)
    person = current_person(request)
    return {
        "skill": skill,
        "groups": [
            {"kind": g.kind, "label": str(g.label), "ways": [_way(w) for w in g.ways]}
            for g in pillars.ways_to_learn(person, skill)
        ],
        "asks": [_way(w) for w in pillars.ways_to_ask(person, skill)],
    }


def _way(way: pillars.Way) -> dict[str, Any]:
    return {
        "kind": way.kind,
        "title": way.title,
        "url": way.url,
        "conditions": list(way.conditions),
        "when": way.when,
    }


@router.get(
    "/skills/{code}/holders",
    response=list[HolderOut],
    tags=["skills"],
    summary="Who holds a skill, best level first",
)
@paginate(Pages)
def skill_holders(
    request: HttpRequest,
    code: str,
    min_level: int = Query(1, ge=1, le=4),
) -> Any:
    require_perm(request, "people.view_person")
    skill = get_object_or_404(Skill, code=code)
    if not 1 <= min_level <= 4:
        raise ServiceError(_("min_level must be between 1 and 4"), field="min_level")
    return queries.skill_holders(skill, min_level=min_level)
