"""People, organisation and skills pages. Thin: forms in, services and queries out; a
service's refusal lands on the form (``on_form``) or, for an action, becomes a message
(``refusals_go_to``), see :mod:`sylva.core.web`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sylva.core import pillars
from sylva.core.middleware import SESSION_KEY
from sylva.core.web import on_form, page_of, perm_page, query_without_page, refusals_go_to
from sylva.people import queries, services
from sylva.people.forms import (
    DirectoryForm,
    LevelForm,
    ProfileForm,
    SkillForm,
    WishForm,
)
from sylva.people.models import Level, Person, Skill, SkillDomain, Team
from sylva.people.queries import SEARCH_LENGTH
from sylva.people.teamview import CRITICAL_SHARE, can_view_team
from sylva.people.teamview import team_overview as build_team_overview
from sylva.people.web import current_person


@login_required
def home(request: HttpRequest) -> HttpResponse:
    person = queries.profile(current_person(request).pk)
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
    return redirect("people:person", person_id=current_person(request).pk)


@login_required
def edit_profile(request: HttpRequest) -> HttpResponse:
    """One's own profile. One's place in the organisation (team, site, manager) is shown, not
    edited: an administrator or the HR source sets it."""
    person = current_person(request)
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
        if on_form(form, lambda: services.update_profile(person=person, **changes)):
            if data["language"]:
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
    """One's skills and wishes: add a skill, add a wish, change a level (each a form of the
    page, told apart by its button)."""
    person = current_person(request)
    skill_form = SkillForm(
        request.POST if "add_skill" in request.POST else None,
        prefix="add",
        initial=_named_skill(request, "skill", "skill"),
    )
    wish_form = WishForm(
        request.POST if "add_wish" in request.POST else None,
        prefix="wish",
        initial=_named_skill(request, "wish", "wish"),
    )
    if "update_skill" in request.POST:
        return _update_level(request, person)
    if skill_form.is_bound and skill_form.is_valid() and _add_skill(request, person, skill_form):
        return redirect("people:my_skills")
    if wish_form.is_bound and wish_form.is_valid() and _add_wish(request, person, wish_form):
        return redirect("people:my_skills")
    return render(
        request,
        "people/my_skills.html",
        {
            "person": queries.profile(person.pk),
            "skill_form": skill_form,
            "wish_form": wish_form,
            "levels": Level.choices,
        },
    )


def _named_skill(request: HttpRequest, param: str, field: str) -> dict[str, Skill]:
    """A form's first value from a link (``?skill=<code>`` from a skill's page): the skill
    chosen in advance, or nothing when the code names no skill."""
    code = request.GET.get(param, "").strip()
    found = Skill.objects.filter(code=code).first() if code else None
    return {field: found} if found is not None else {}


def _add_skill(request: HttpRequest, person: Person, form: SkillForm) -> bool:
    data = form.cleaned_data
    held = on_form(
        form,
        lambda: services.set_skill(
            person=person,
            skill_code=data["skill"].code,
            level=data["level"],
            willing_to_share=data["willing_to_share"],
        ),
    )
    if held is not None:
        messages.success(request, _("Skill saved: %(skill)s.") % {"skill": data["skill"].name})
    return held is not None


def _add_wish(request: HttpRequest, person: Person, form: WishForm) -> bool:
    skill = form.cleaned_data["wish"]
    wish = on_form(form, lambda: services.add_wish(person=person, skill_code=skill.code))
    if wish is not None:
        messages.success(
            request, _("Added to what you want to learn: %(skill)s.") % {"skill": skill.name}
        )
    return wish is not None


@refusals_go_to("people:my_skills")
def _update_level(request: HttpRequest, person: Person) -> HttpResponse:
    form = LevelForm(request.POST)
    form.is_valid()  # a level that is not 1 to 4 (0 here) is refused by the service
    services.set_skill(
        person=person,
        skill_code=request.POST["update_skill"],
        level=form.cleaned_data.get("level", 0),
        willing_to_share=form.cleaned_data.get("willing_to_share", False),
    )
    messages.success(request, _("Level updated."))
    return redirect("people:my_skills")


@login_required
@require_POST
@refusals_go_to("people:my_skills", pages=())  # a second click: a message, not a 404
def remove_skill(request: HttpRequest, code: str) -> HttpResponse:
    services.remove_skill(person=current_person(request), skill_code=code)
    messages.success(request, _("Skill removed."))
    return redirect("people:my_skills")


@login_required
@require_POST
@refusals_go_to("people:my_skills", pages=())  # a second click: a message, not a 404
def remove_wish(request: HttpRequest, code: str) -> HttpResponse:
    services.remove_wish(person=current_person(request), skill_code=code)
    messages.success(request, _("Removed from what you want to learn."))
    return redirect("people:my_skills")


@perm_page("people.view_person")
def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET or None)
    chosen_skill = None
    q = ""
    words = None
    if form.is_valid():
        data = form.cleaned_data
        chosen_skill, q = data["skill"], data["q"]
        words = queries.words_of(q) if q else None  # read once: for the search and its reasons
        people = queries.search_people(
            queries.DirectoryFilter(
                q=q,
                skill=data["skill"],
                team=data["team"],
                department=data["department"],
                site=data["site"],
            ),
            words=words,
        )
    else:
        people = queries.search_people(queries.DirectoryFilter())
    page = page_of(request, people)
    reasons = queries.why_matched(page.object_list, q, words=words) if q else {}
    context = {
        "form": form,
        "page": page,
        "rows": [(p, reasons.get(p.pk, [])) for p in page.object_list],
        "q": q,
        "chosen_skill": chosen_skill,
        "query_string": query_without_page(request),
    }
    partial = bool(getattr(request, "htmx", False))
    template = "people/_directory_results.html" if partial else "people/directory.html"
    return render(request, template, context)


@perm_page("people.view_person")
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    try:
        person = queries.profile(person_id)
    except Person.DoesNotExist:
        raise Http404(_("No such person.")) from None
    me = current_person(request)
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
    me = current_person(request)
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
    q = request.GET.get("q", "").strip()[:SEARCH_LENGTH]
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
    page = page_of(request, holders)
    me = current_person(request)
    return render(
        request,
        "people/skill.html",
        {
            "skill": skill,
            "page": page,
            "holder_count": holders.count(),
            "my_level": queries.level_of(me, skill) if me else None,
            "my_wish": bool(me) and queries.wishes_for(me, skill),
            # "Where can I learn this?": every pillar's ways (its contract's ``ways``)
            "ways": pillars.ways_to_learn(me, skill) if me else [],
            "asks": pillars.ways_to_ask(me, skill) if me else [],
        },
    )


@perm_page("people.view_team_people")
def my_team(request: HttpRequest) -> HttpResponse:
    me = current_person(request)
    teams = list(queries.managed_teams(me))
    if len(teams) == 1:
        return redirect("people:team_overview", team_id=teams[0].pk)
    return render(request, "people/my_teams.html", {"teams": teams})


@login_required
def team_overview(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(
        Team.objects.select_related("department", "site", "manager"), pk=team_id
    )
    overview = build_team_overview(viewer=current_person(request), user=request.user, team=team)
    rows = [(m, [overview.level(m, s) for s in overview.matrix_skills]) for m in overview.members]
    # the same matrix per skill, for a phone: each skill with who holds it, at what level
    by_skill = [
        (s, [(m, level) for m, levels in rows if (level := levels[i])])
        for i, s in enumerate(overview.matrix_skills)
    ]
    return render(
        request,
        "people/team_overview.html",
        {
            "overview": overview,
            "rows": rows,
            "by_skill": by_skill,
            "critical_share": round(CRITICAL_SHARE * 100),
            "min_aggregate": settings.SYLVA_MIN_AGGREGATE,
            "back": reverse("people:team", args=[team.pk]),
        },
    )
