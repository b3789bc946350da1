"""Nobody is engaged without their own act or an authorised administrator's audited act.

- ``PATCH /api/v1/me`` refuses one's place in the organisation (team, site, manager,
  department) with a 403 naming the field, and changes nothing;
- the Django admin: every field an administrator can write, on every registered ModelAdmin
  and inline, is in :data:`ADMIN_WRITABLE` with the reason it carries no rule a service
  guards, or the service it is saved through; a new editable field anywhere fails here;
- a person's placement from the admin goes through ``services.place_person`` (the
  manager-cycle check) and is recorded in the admin's history.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.db.models import Model
from django.test import Client, RequestFactory
from django.urls import reverse

from sylva.people.models import Person, PersonSkill
from tests.exchange.conftest import xboard as xboard

# (app_label.Model, field) -> why an administrator may write it here
ADMIN_WRITABLE: dict[tuple[str, str], str] = {
    **{
        ("notifications.Hook", f): "saved through notifications.services.save_hook"
        for f in ("name", "service", "url", "team", "kinds", "active")
    },
    **{
        ("people.Person", f): "HR data, no rule beyond the field's own"
        for f in ("first_name", "last_name", "job_title", "hire_date", "language", "populations")
    },
    **{
        ("people.Person", f): "saved through services.place_person (manager-cycle check)"
        for f in ("team", "site", "manager")
    },
    ("people.Person", "user"): "the account of a person added here (read-only once added)",
    **{
        (model, f): "the organisation's reference data"
        for model, fields in {
            "people.Site": ("code", "name", "city"),
            "people.Department": ("name_fr", "name_en", "code", "head"),
            "people.Team": ("name", "department", "site", "manager"),
            "people.Population": ("name_fr", "name_en", "code"),
            "people.SkillDomain": ("name_fr", "name_en", "code"),
            "people.Skill": ("name_fr", "name_en", "code", "domain"),
        }.items()
        for f in fields
    },
    **{
        ("exchange.ExchangeSettings", f): "saved through board.update_settings"
        for f in (
            "joining_requires_both",
            "request_expiry_days",
            "default_capacity",
            "send_directly",
        )
    },
    ("microlearning.OrgMemorySettings", "desired_retention"): (
        "saved through answers.set_desired_retention"
    ),
}


def _writable(model_admin: Any, request: Any, obj: Model | None) -> set[str]:
    """The fields a POST to the add (obj None) or change page would write."""
    if obj is None:
        if not model_admin.has_add_permission(request):
            return set()
    elif not model_admin.has_change_permission(request, obj):
        return set()
    form = model_admin.get_form(request, obj, change=obj is not None)
    return set(form.base_fields) - set(model_admin.get_readonly_fields(request, obj))


def _inline_writable(inline: Any, request: Any, obj: Model | None) -> set[str]:
    if not (inline.has_add_permission(request, obj) or inline.has_change_permission(request, obj)):
        return set()
    formset = inline.get_formset(request, obj)
    fk = getattr(formset, "fk", None)
    fields = set(formset.form.base_fields) - set(inline.get_readonly_fields(request, obj))
    return fields - {fk.name if fk else "", "id", "DELETE"}


@pytest.fixture
def superuser_request(org):  # type: ignore[no-untyped-def]
    User.objects.filter(pk=org.admin.user_id).update(is_superuser=True, is_staff=True)
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=org.admin.user_id)
    return request


def test_every_writable_admin_field_is_accounted_for(org, xboard, superuser_request) -> None:  # type: ignore[no-untyped-def]
    unexplained = []
    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("sylva."):
            continue  # Django's and libraries' own (accounts, groups, devices, tasks)
        label = model._meta.label
        obj = model._default_manager.first()
        for target in {None, obj} if obj is not None else {None}:
            for name in _writable(model_admin, superuser_request, target):
                if (label, name) not in ADMIN_WRITABLE:
                    unexplained.append(f"{label}.{name} ({'add' if target is None else 'change'})")
            for inline_class in model_admin.get_inlines(superuser_request, target):
                inline = inline_class(model, admin.site)
                inline_label = inline.model._meta.label
                for name in _inline_writable(inline, superuser_request, target):
                    if (inline_label, name) not in ADMIN_WRITABLE:
                        unexplained.append(f"{inline_label}.{name} (inline of {label})")
    assert not unexplained, "Admin fields that write without a service:\n" + "\n".join(
        sorted(set(unexplained))
    )


def test_nobody_posts_offers_or_requests_in_another_s_name(org, xboard, superuser_request) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(superuser_request.user)
    offer = xboard.offer
    for model in ("offer", "request"):
        assert client.get(f"/admin/exchange/{model}/add/").status_code == 403
    client.post(
        f"/admin/exchange/offer/{offer.pk}/change/",
        {"person": org.newcomer.pk, "text": "posted for them", "duration_minutes": 60},
    )
    offer.refresh_from_db()
    assert offer.person == org.expert and "posted for them" not in offer.text


def test_skill_levels_are_not_changed_in_the_admin(org, superuser_request) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(superuser_request.user)
    held = PersonSkill.objects.get(person=org.learner, skill=org.extrude)
    page = client.get(f"/admin/people/person/{org.learner.pk}/change/").content.decode()
    assert 'name="person_skills-0-level"' not in page
    assert held.level == 1


def _person_form(person: Person, **changes: Any) -> dict[str, Any]:
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "team": person.team_id or "",
        "site": person.site_id or "",
        "manager": person.manager_id or "",
        "hire_date": person.hire_date.isoformat(),
        "language": person.language,
        "populations": [p.pk for p in person.populations.all()],
    }
    for prefix in ("person_skills", "wishes"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data


def test_the_admin_places_people_through_the_service(org, superuser_request) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(superuser_request.user)
    url = f"/admin/people/person/{org.manager.pk}/change/"
    # Hélène reports to Mathilde: Mathilde cannot report to Hélène
    refused = client.post(url, _person_form(org.manager, manager=org.learner.pk, job_title="X"))
    assert refused.status_code == 200
    assert "fait déjà partie" in refused.content.decode()  # French: the default language
    org.manager.refresh_from_db()
    assert org.manager.manager is None and org.manager.job_title == ""
    moved = client.post(url, _person_form(org.manager, team=org.printing.pk, site=org.lille.pk))
    assert moved.status_code == 302, moved.content.decode()[:2000]
    org.manager.refresh_from_db()
    assert (org.manager.team, org.manager.site) == (org.printing, org.lille)
    entry = LogEntry.objects.get(object_id=str(org.manager.pk))
    assert entry.user == superuser_request.user and entry.is_change()


def test_consent_is_the_person_s_own(org, superuser_request) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(superuser_request.user)
    url = f"/admin/people/person/{org.learner.pk}/change/"
    saved = client.post(
        url, _person_form(org.learner, visible_in_insights="on", can_share="words", job_title="Y")
    )
    assert saved.status_code == 302
    org.learner.refresh_from_db()
    assert org.learner.job_title == "Y"  # the form was saved, without the person's own fields
    assert not org.learner.visible_in_insights and org.learner.can_share == ""


# --- PATCH /me ---------------------------------------------------------------------


PLACEMENT = {
    "team_id": lambda org: org.printing.pk,
    "team": lambda org: org.printing.pk,
    "site": lambda org: "lille",
    "site_id": lambda org: org.lille.pk,
    "manager_id": lambda org: org.expert.pk,
    "manager": lambda org: org.expert.pk,
    "department": lambda org: "hr",
    "department_id": lambda org: org.hr.pk,
}


def _row(person: Person) -> tuple[Any, ...]:
    person.refresh_from_db()
    return (person.team_id, person.site_id, person.manager_id, person.job_title)


@pytest.mark.parametrize("field", sorted(PLACEMENT))
def test_patch_me_refuses_my_place_in_the_organisation(org, client: Client, field: str) -> None:  # type: ignore[no-untyped-def]
    client.force_login(org.learner.user)
    before = _row(org.learner)
    response = client.patch(
        "/api/v1/me",
        data=json.dumps({field: PLACEMENT[field](org), "job_title": "Changed"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == field
    assert "administrateur" in response.json()["detail"]  # in the reader's language (French)
    assert _row(org.learner) == before


def test_a_team_cannot_be_pushed_over_the_threshold_by_its_newcomers(org, client: Client) -> None:  # type: ignore[no-untyped-def]
    """Printing has one person (under 5: no aggregate shown); nobody joins it by themselves."""
    size = org.printing.members.count()
    for person in (org.newcomer, org.designer, org.animator, org.learner):
        client.force_login(person.user)
        client.patch(
            "/api/v1/me",
            data=json.dumps({"team_id": org.printing.pk}),
            content_type="application/json",
        )
    assert org.printing.members.count() == size


def test_the_openapi_document_says_so(client: Client, org) -> None:  # type: ignore[no-untyped-def]
    client.force_login(org.learner.user)
    schema = client.get("/api/v1/openapi.json").json()
    profile = schema["components"]["schemas"]["ProfileIn"]
    assert "team_id" not in profile["properties"] and "manager_id" not in profile["properties"]
    assert "administrator" in profile["description"]
    assert reverse("api:openapi-json")
