"""Each input limit of microlearning is written once: forms and API schemas read it from the
model field (or from the one constant where no field holds it), and the services refuse with
core.validation's message. A second copy of a limit fails here."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from django import forms as django_forms
from django.db.models import Model
from ninja import Schema

from sylva.core.errors import ServiceError
from sylva.core.validation import too_long
from sylva.microlearning import forms, schemas, textformat
from sylva.microlearning.models import REFLECTION_MAX_LENGTH, Campaign, Card, Module, TeamChallenge
from sylva.microlearning.queries.challenges import MAX_WHO
from sylva.microlearning.services import answers, content
from sylva.microlearning.services.imports import TOKEN_MAX_LENGTH
from tests.microlearning.conftest import SAFETY

SRC = Path(forms.__file__).parent
TIP = SAFETY.replace("code: safety-basics", "code: mon-astuce")

#: (form or schema, field) -> the model field or constant its limit comes from
LIMITS: dict[tuple[type, str], tuple[type[Model], str] | int] = {
    (forms.ReviewForm, "note"): (Module, "review_note"),
    (forms.CampaignForm, "name"): (Campaign, "name"),
    (forms.TeamChallengeForm, "name"): (TeamChallenge, "name"),
    (forms.DuelForm, "who"): MAX_WHO,
    (forms.ModuleTextForm, "text"): textformat.MAX_TEXT,
    (forms.ModuleMetaForm, "code"): (Module, "code"),
    (forms.ModuleMetaForm, "title"): (Module, "title"),
    (forms.ModuleMetaForm, "topic"): (Module, "topic"),
    (forms.CardForm, "title"): (Card, "title"),
    (forms.CardForm, "body"): (Card, "body"),
    (forms.CardForm, "explanation"): (Card, "explanation"),
    (forms.CardForm, "key"): (Card, "key"),
    (forms.ImportConfirmForm, "text"): textformat.MAX_FILE,
    (forms.ImportConfirmForm, "token"): TOKEN_MAX_LENGTH,
    (schemas.ModuleTextIn, "text"): textformat.MAX_TEXT,
    (schemas.ModuleTextIn, "token"): TOKEN_MAX_LENGTH,
    (schemas.AnswerIn, "served"): answers.SERVED_MAX_LENGTH,
}


def _expected(source: tuple[type[Model], str] | int) -> int:
    if isinstance(source, int):
        return source
    model, name = source
    length = model._meta.get_field(name).max_length
    assert length is not None, f"{model.__name__}.{name} has no max_length"
    return int(length)


def _form_limits() -> dict[tuple[type, str], int]:
    found = {}
    for _name, cls in inspect.getmembers(forms, inspect.isclass):
        if issubclass(cls, django_forms.Form) and cls.__module__ == forms.__name__:
            for name, field in cls.base_fields.items():
                if isinstance(field, django_forms.CharField) and field.max_length is not None:
                    found[(cls, name)] = int(field.max_length)
    return found


def _schema_limits() -> dict[tuple[type, str], int]:
    found = {}
    for _name, cls in inspect.getmembers(schemas, inspect.isclass):
        if issubclass(cls, Schema) and cls.__module__ == schemas.__name__:
            for name, info in cls.model_fields.items():
                for meta in info.metadata:
                    length = getattr(meta, "max_length", None)
                    if length is not None:
                        found[(cls, name)] = int(length)
    return found


def test_every_limited_string_of_the_forms_and_schemas_has_its_source() -> None:
    """A new limited field is listed here with the model field it follows."""
    walked = {**_form_limits(), **_schema_limits()}
    assert set(walked) == set(LIMITS)
    for key, source in LIMITS.items():
        assert walked[key] == _expected(source), key


@pytest.mark.parametrize("path", ["forms.py", "schemas.py"])
def test_no_limit_is_a_number_written_in_a_form_or_a_schema(path: str) -> None:
    """``max_length=limit_of(Model, "field")`` or a named constant, never ``max_length=2000``."""
    tree = ast.parse((SRC / path).read_text(encoding="utf-8"))
    literal = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword)
        and node.arg == "max_length"
        and isinstance(node.value, ast.Constant)
    ]
    assert literal == []


def test_the_services_refuse_past_the_models_limits(org) -> None:  # type: ignore[no-untyped-def]
    """A reflection past its limit and a reviewer's note past the field's: the one message."""
    reflection = Card(kind=Card.Kind.REFLECTION, title="Et vous ?")
    assert answers.grade(reflection, "x" * REFLECTION_MAX_LENGTH)[0] == "x" * REFLECTION_MAX_LENGTH
    with pytest.raises(ServiceError) as refused:
        answers.grade(reflection, "x" * (REFLECTION_MAX_LENGTH + 1))
    assert (refused.value.field, refused.value.message) == (
        "response",
        too_long(REFLECTION_MAX_LENGTH),
    )
    note = _expected((Module, "review_note"))
    module = content.save_text(author=org.learner, user=org.learner.user, text=TIP, light=True)
    content.submit_resource(author=org.learner, module=module)
    with pytest.raises(ServiceError) as long_note:
        content.review_resource(
            reviewer=org.designer, module=module, decision="changes", note="x" * (note + 1)
        )
    assert (long_note.value.field, long_note.value.message) == ("note", too_long(note))
    module.refresh_from_db()
    assert module.status == Module.Status.SUBMITTED and module.review_note == ""
