"""People, organisation and skills pages. Thin: forms in, services and queries out."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.core.errors import ServiceError
from sylva.core.pages import apply_error
from sylva.people import queries, services
from sylva.people.forms import (
    DirectoryForm,
    LevelForm,
    ProfileForm,
    SkillForm,
    WishForm,
)
from sylva.people.models import Level, Person, Skill, SkillDomain, Team
from sylva.people.teamview import can_view_team
from sylva.people.teamview import team_overview as build_team_overview


def perm_page(perm: str) -> Any:
    """Signed-in users with ``perm``; anonymous visitors go to the sign-in page first."""

    def decorate(view: Any) -> Any:
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorate


def _person(request: HttpRequest) -> Person:
    return services.ensure_person(request.user)


def _page(request: HttpRequest, items: Any, size: int | None = None) -> Any:
    paginator = Paginator(items, size or settings.SYLVA_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    person = queries.profile(_person(request).pk)
    return render(
        request,
        "people/home.html",
        {
            "person": person,
            "skills": person.person_skills.all()[:6],
            "wishes": person.wishes.all(),
            "suggestions": queries.suggested_teachers(person),
            "events": queries.recent_events(person, limit=8),
            "newcomers": queries.newcomers(limit=5) if not person.is_newcomer else [],
        },
    )


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    return redirect("people:person", person_id=_person(request).pk)


@login_required
def edit_profile(request: HttpRequest) -> HttpResponse:
    """One's own profile. One's place in the organisation (team, site, manager) is shown, not
    edited: an administrator or the HR source sets it."""
    person = _person(request)
    initial = {
        "job_title": person.job_title,
        "populations": list(person.populations.all()),
        "can_share": person.can_share,
        "wants_to_learn": person.wants_to_learn,
        "visible_in_insights": person.visible_in_insights,
        "language": person.language,
    }
    form = ProfileForm(request.POST or None, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Only what this form changed is written: an edit made meanwhile elsewhere (another
        # tab, the API) to another field is kept.
        changes = {name: data[name] for name in form.changed_data}
        if "language" in changes:
            changes["language"] = changes["language"] or None
        try:
            services.update_profile(person=person, **changes)
        except ServiceError as exc:
            apply_error(form, exc)
        else:
            if data["language"]:
                from sylva.core.middleware import SESSION_KEY

                request.session[SESSION_KEY] = data["language"]
            messages.success(request, _("Your profile is saved."))
            return redirect("people:me")
    placement = queries.profile(person.pk)
    return render(
        request,
        "people/profile_form.html",
        {"form": form, "person": person, "placement": placement},
    )


@login_required
def my_skills(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    skill_form = SkillForm(request.POST if "add_skill" in request.POST else None, prefix="add")
    wish_form = WishForm(request.POST if "add_wish" in request.POST else None, prefix="wish")
    if request.method == "POST":
        try:
            if "add_skill" in request.POST and skill_form.is_valid():
                data = skill_form.cleaned_data
                services.set_skill(
                    person=person,
                    skill_code=data["skill"].code,
                    level=data["level"],
                    willing_to_share=data["willing_to_share"],
                )
                messages.success(
                    request, _("Skill saved: %(skill)s.") % {"skill": data["skill"].name}
                )
                return redirect("people:my_skills")
            if "add_wish" in request.POST and wish_form.is_valid():
                skill = wish_form.cleaned_data["wish"]
                services.add_wish(person=person, skill_code=skill.code)
                messages.success(
                    request,
                    _("Added to what you want to learn: %(skill)s.") % {"skill": skill.name},
                )
                return redirect("people:my_skills")
            if "update_skill" in request.POST:
                level_form = LevelForm(request.POST)
                if not level_form.is_valid():
                    raise ServiceError(_("A level is a whole number from 1 to 4."), field="level")
                services.set_skill(
                    person=person,
                    skill_code=request.POST["update_skill"],
                    level=level_form.cleaned_data["level"],
                    willing_to_share=level_form.cleaned_data["willing_to_share"],
                )
                messages.success(request, _("Level updated."))
                return redirect("people:my_skills")
        except ServiceError as exc:
            messages.error(request, exc.message)
    person = queries.profile(person.pk)
    return render(
        request,
        "people/my_skills.html",
        {
            "person": person,
            "skill_form": skill_form,
            "wish_form": wish_form,
            "levels": Level.choices,
        },
    )


@login_required
@require_POST
def remove_skill(request: HttpRequest, code: str) -> HttpResponse:
    try:
        services.remove_skill(person=_person(request), skill_code=code)
        messages.success(request, _("Skill removed."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("people:my_skills")


@login_required
@require_POST
def remove_wish(request: HttpRequest, code: str) -> HttpResponse:
    try:
        services.remove_wish(person=_person(request), skill_code=code)
        messages.success(request, _("Removed from what you want to learn."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("people:my_skills")


@perm_page("people.view_person")
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    people = queries.search_people(queries.DirectoryFilter())
    chosen_skill = None
    if form.is_valid():
        data = form.cleaned_data
        chosen_skill = data["skill"]
        people = queries.search_people(
            queries.DirectoryFilter(
                q=data["q"],
                skill=data["skill"],
                team=data["team"],
                department=data["department"],
                site=data["site"],
            )
        )
    page = _page(request, people)
    context = {
        "form": form,
        "page": page,
        "chosen_skill": chosen_skill,
        "query_string": _without_page(request),
    }
    partial = bool(getattr(request, "htmx", False))
    template = "people/_directory_results.html" if partial else "people/directory.html"
    return render(request, template, context)


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@perm_page("people.view_person")
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        person = queries.profile(person_id)
    except Person.DoesNotExist:
        from django.http import Http404

        raise Http404(_("No such person.")) from None
    me = _person(request)
    return render(
        request,
        "people/person.html",
        {
            "person": person,
            "is_me": person.pk == me.pk,
            "reports": person.reports.filter(user__is_active=True).order_by("last_name")[:50],
        },
    )


@perm_page("people.view_department")
def organisation(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "people/organisation.html",
        {"departments": queries.departments_overview(), "sites": queries.sites_overview()},
    )


@perm_page("people.view_department")
def department_detail(request: HttpRequest, code: str) -> HttpResponse:
    department = get_object_or_404(queries.departments_overview(), code=code)
    return render(
        request,
        "people/department.html",
        {"department": department, "teams": queries.teams_of(department)},
    )


@perm_page("people.view_team")
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(
        Team.objects.select_related("department", "site", "manager"), pk=team_id
    )
    me = _person(request)
    return render(
        request,
        "people/team.html",
        {
            "team": team,
            "members": queries.people_base().filter(team=team),
            "can_overview": can_view_team(request.user, me, team),
        },
    )


@perm_page("people.view_skill")
def skills(request: HttpRequest) -> HttpResponse:
    domain_code = request.GET.get("domain") or ""
    domain = get_object_or_404(SkillDomain, code=domain_code) if domain_code else None
    q = request.GET.get("q", "").strip()[:100]
    items = queries.skills_with_counts(domain=domain, q=q)
    groups: dict[Any, list[Skill]] = {}
    for skill in items:
        groups.setdefault(skill.domain, []).append(skill)
    return render(
        request,
        "people/skills.html",
        {
            "domains": queries.domains_with_counts(),
            "domain": domain,
            "q": q,
            "groups": sorted(groups.items(), key=lambda kv: kv[0].name),
            "count": len(items),
        },
    )


@perm_page("people.view_skill")
def skill_detail(request: HttpRequest, code: str) -> HttpResponse:
    skill = get_object_or_404(Skill.objects.select_related("domain"), code=code)
    holders = queries.skill_holders(skill)
    page = _page(request, holders)
    return render(
        request,
        "people/skill.html",
        {"skill": skill, "page": page, "holder_count": holders.count()},
    )


@perm_page("people.view_team_people")
def my_team(request: HttpRequest) -> HttpResponse:
    me = _person(request)
    teams = list(queries.managed_teams(me))
    if len(teams) == 1:
        return redirect("people:team_overview", team_id=teams[0].pk)
    return render(request, "people/my_teams.html", {"teams": teams})


@login_required
def team_overview(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(
        Team.objects.select_related("department", "site", "manager"), pk=team_id
    )
    overview = build_team_overview(viewer=_person(request), user=request.user, team=team)
    rows = [(m, [overview.level(m, s) for s in overview.matrix_skills]) for m in overview.members]
    return render(
        request,
        "people/team_overview.html",
        {
            "overview": overview,
            "rows": rows,
            "min_aggregate": settings.SYLVA_MIN_AGGREGATE,
            "back": reverse("people:team", args=[team.pk]),
        },
    )
