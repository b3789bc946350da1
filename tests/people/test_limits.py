"""Each input limit of people is written once, on the model field: every form and API schema
that takes a model's text reads its ``max_length`` there, and the services refuse with the
same limit (and the one message of ``sylva.core.validation``)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from annotated_types import MaxLen
from django import forms as django_forms
from django.db.models import Model
from ninja import Schema

from sylva.core.errors import ServiceError
from sylva.core.validation import limit_of, too_long
from sylva.people import forms, schemas, services, views_security
from sylva.people.models import ApiToken, Person

#: every input (form or ``…In`` schema) of people -> the model its texts are the fields of
#: (None: it takes no text a model stores, e.g. a search, a choice, a code to look up)
INPUTS: dict[str, type[Model] | None] = {
    "ProfileForm": Person,
    "TokenForm": ApiToken,
    "SkillForm": None,
    "LevelForm": None,
    "WishForm": None,
    "DirectoryForm": None,
    "CodeForm": None,
    "ProfileIn": Person,
    "TokenIn": ApiToken,
    "SkillLevelIn": None,
    "WishIn": None,
}


def _forms() -> dict[str, type[django_forms.Form]]:
    found = {}
    for module in (forms, views_security):
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, django_forms.Form)
                and value.__module__ == module.__name__
            ):
                found[name] = value
    return found


def _schemas() -> dict[str, type[Schema]]:
    return {
        name: value
        for name, value in vars(schemas).items()
        if inspect.isclass(value)
        and issubclass(value, Schema)
        and value.__module__ == schemas.__name__
        and name.endswith("In")
    }


def _model_text(model: type[Model], name: str) -> int | None:
    """The model field's limit when ``name`` is one of its free texts (choices excluded:
    those are checked by membership)."""
    try:
        field: Any = model._meta.get_field(name)
    except Exception:
        return None
    if field.get_internal_type() not in {"CharField", "TextField"} or field.choices:
        return None
    return limit_of(model, name)


def test_every_input_of_people_is_accounted_for() -> None:
    assert set(_forms()) | set(_schemas()) == set(INPUTS)


def _input_limits() -> list[tuple[str, str, int | None, int]]:
    found = []
    for name, form in _forms().items():
        model = INPUTS[name]
        for field_name, field in form.base_fields.items():
            limit = _model_text(model, field_name) if model else None
            if limit is not None:
                found.append((name, field_name, getattr(field, "max_length", None), limit))
    for name, schema in _schemas().items():
        model = INPUTS[name]
        for field_name, info in schema.model_fields.items():
            limit = _model_text(model, field_name) if model else None
            if limit is not None:
                given = [m.max_length for m in info.metadata if isinstance(m, MaxLen)]
                found.append((name, field_name, given[0] if given else None, limit))
    return found


def test_forms_and_schemas_take_their_text_limits_from_the_model() -> None:
    limits = _input_limits()
    assert {(name, field) for name, field, _given, _model in limits} >= {
        ("ProfileForm", "job_title"),
        ("ProfileForm", "can_share"),
        ("ProfileForm", "wants_to_learn"),
        ("ProfileIn", "job_title"),
        ("ProfileIn", "can_share"),
        ("ProfileIn", "wants_to_learn"),
        ("TokenForm", "name"),
        ("TokenIn", "name"),
    }
    wrong = [
        f"{n}.{f}: {given} (model: {model})" for n, f, given, model in limits if given != model
    ]
    assert wrong == []


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["job_title", "can_share", "wants_to_learn"])
def test_the_profile_service_refuses_past_the_model_s_limit(org, field: str) -> None:
    limit = limit_of(Person, field)
    services.update_profile(person=org.learner, **{field: "x" * limit})
    with pytest.raises(ServiceError) as refused:
        services.update_profile(person=org.learner, **{field: "y" * (limit + 1)})
    assert (refused.value.field, refused.value.message) == (field, too_long(limit))
    org.learner.refresh_from_db()
    assert getattr(org.learner, field) == "x" * limit


@pytest.mark.django_db
def test_the_token_service_refuses_a_name_past_the_model_s_limit(org) -> None:
    limit = limit_of(ApiToken, "name")
    with pytest.raises(ServiceError) as refused:
        services.create_token(person=org.learner, name="n" * (limit + 1))
    assert (refused.value.field, refused.value.message) == ("name", too_long(limit))
    assert not ApiToken.objects.filter(person=org.learner).exists()
