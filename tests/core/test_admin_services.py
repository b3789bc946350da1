"""An admin that saves through a service shows the service's refusal as a form error, with
nothing saved — never a 500 (sylva.core.admin.ServiceAdmin)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client

from sylva.core.admin import ServiceAdmin
from sylva.core.errors import ServiceError
from sylva.microlearning.models import OrgMemorySettings


def test_every_admin_that_saves_through_code_is_a_service_admin() -> None:
    """Walks the admin site: a Sylva admin that overrides save_model (or save_formset, or
    delete_model) runs a business rule, so it derives from ServiceAdmin."""
    found = []
    for model, model_admin in admin.site._registry.items():
        cls = type(model_admin)
        if not cls.__module__.startswith("sylva."):
            continue
        writes = {"save_model", "save_formset", "delete_model"} & set(vars(cls))
        if writes and not isinstance(model_admin, ServiceAdmin):
            found.append(f"{cls.__name__} ({model._meta.label}): {sorted(writes)}")
    assert found == []


@pytest.mark.django_db
def test_a_refusal_at_save_time_in_the_admin_is_a_form_error_and_saves_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The form accepts the value; the service refuses it (a rule the form cannot know)."""
    from sylva.microlearning import admin as microlearning_admin

    def refuse(**kwargs: object) -> None:
        raise ServiceError("Not while a refit runs.", field="desired_retention")

    monkeypatch.setattr(microlearning_admin.answers, "set_desired_retention", refuse)
    User.objects.create_superuser("root", password="x")
    client = Client()
    client.login(username="root", password="x")
    response = client.post(
        "/admin/microlearning/orgmemorysettings/add/", {"desired_retention": "0.9"}
    )
    assert response.status_code == 200
    assert "Not while a refit runs." in response.content.decode()
    assert not OrgMemorySettings.objects.exists()
