"""The admin of people writes through the services: the same checks apply as anywhere else,
a service's refusal is a form error (never a 500) and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.test import Client

from sylva.core.errors import ServiceError
from sylva.people import services
from sylva.people.models import ApiToken, Person
from sylva.people.roles import Role, roles_of
from sylva.people.services import organisation


@pytest.fixture
def admin_client(org) -> Client:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=org.admin.user_id).update(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(User.objects.get(pk=org.admin.user_id))
    return client


def _form(person: Person | None = None, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"first_name": "Ada", "last_name": "Lovelace", "job_title": ""}
    if person is not None:
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
    data.setdefault("hire_date", "2020-01-06")
    for prefix in ("person_skills", "wishes"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return data


def _row(person: Person) -> tuple[Any, ...]:
    person.refresh_from_db()
    return (person.team_id, person.site_id, person.manager_id, person.job_title)


def _change(person: Person) -> str:
    return f"/admin/people/person/{person.pk}/change/"


@pytest.mark.django_db
def test_nobody_is_made_their_own_manager_in_the_admin(org, admin_client: Client) -> None:
    before = _row(org.learner)
    answer = admin_client.post(
        _change(org.learner), _form(org.learner, manager=org.learner.pk, job_title="Changed")
    )
    assert answer.status_code == 200
    assert answer.context["adminform"].form.errors["manager"]
    assert _row(org.learner) == before
    assert not LogEntry.objects.filter(object_id=str(org.learner.pk)).exists()


@pytest.mark.django_db
def test_a_refusal_of_the_service_at_save_is_a_form_error_and_changes_nothing(
    org, admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the service refuses (here: a rule the form cannot know), the admin shows it
    on the form and rolls back what it had saved of the same form."""

    def refuse(*, person: Person, manager: Person | None) -> None:
        raise ServiceError("The HR source owns this placement.", field="team")

    monkeypatch.setattr(organisation, "check_manager", refuse)
    before = _row(org.learner)
    answer = admin_client.post(
        _change(org.learner), _form(org.learner, team=org.printing.pk, job_title="Changed")
    )
    assert answer.status_code == 200
    assert answer.context["adminform"].form.errors["team"] == ["The HR source owns this placement."]
    assert _row(org.learner) == before
    assert not LogEntry.objects.filter(object_id=str(org.learner.pk)).exists()


@pytest.mark.django_db
def test_a_placement_from_the_admin_goes_through_the_service(
    org, admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = services.place_person

    def spy(**kwargs: Any) -> Person:
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "place_person", spy)
    answer = admin_client.post(
        _change(org.learner),
        _form(org.learner, team=org.printing.pk, site=org.lille.pk, manager=org.expert.pk),
    )
    assert answer.status_code == 302
    assert [(c["team"], c["site"], c["manager"]) for c in calls] == [
        (org.printing, org.lille, org.expert)
    ]
    assert _row(org.learner)[:3] == (org.printing.pk, org.lille.pk, org.expert.pk)


@pytest.mark.django_db
def test_a_person_added_in_the_admin_is_placed_and_gets_the_first_roles(
    org, admin_client: Client
) -> None:
    user = User.objects.create_user("ada", password="x" * 20)
    answer = admin_client.post(
        "/admin/people/person/add/",
        _form(user=user.pk, team=org.extrusion.pk, site=org.lyon.pk, manager=org.manager.pk),
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    person = Person.objects.get(user=user)
    assert (person.team, person.site, person.manager) == (org.extrusion, org.lyon, org.manager)
    assert Role.LEARNER in roles_of(User.objects.get(pk=user.pk))


@pytest.mark.django_db
def test_an_admin_adding_a_person_refused_by_the_service_adds_nobody(
    org, admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*, person: Person, manager: Person | None) -> None:
        raise ServiceError("No.", field="manager")

    monkeypatch.setattr(organisation, "check_manager", refuse)
    user = User.objects.create_user("ada", password="x" * 20)
    answer = admin_client.post(
        "/admin/people/person/add/", _form(user=user.pk, manager=org.manager.pk)
    )
    assert answer.status_code == 200
    assert answer.context["adminform"].form.errors["manager"] == ["No."]
    assert not Person.objects.filter(user=user).exists()
    assert not User.objects.get(pk=user.pk).groups.exists()


@pytest.mark.django_db
def test_tokens_are_revoked_from_the_admin_through_the_service(org, admin_client: Client) -> None:
    token, _secret = services.create_token(person=org.learner, name="script")
    answer = admin_client.post(
        "/admin/people/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert answer.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.find_token(_secret) is None
    assert LogEntry.objects.filter(object_id=str(token.pk)).exists()
    assert ApiToken.objects.filter(person=org.learner).count() == 1
