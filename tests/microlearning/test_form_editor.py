"""The module's form editor writes the same Markdown as the text editor and saves it through
the same service: what it reads back from a module is that module (a Hypothesis property
test), its refusals name the card, and it starts in the interface's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sylva.microlearning import textformat
from sylva.microlearning.forms import (
    OPTION_ROWS,
    CardFormSet,
    ModuleMetaForm,
    initial_from_spec,
    spec_from_forms,
)
from sylva.microlearning.models import Module
from tests.microlearning.test_textformat import cards, modules


def _data(spec: textformat.ModuleSpec) -> dict[str, Any]:
    """What a browser posts for the form editor showing ``spec``."""
    meta, rows = initial_from_spec(spec)
    data: dict[str, Any] = {"editor": "form"}
    for name, value in meta.items():
        if value not in (None, ""):
            data[f"module-{name}"] = value
    data["cards-TOTAL_FORMS"], data["cards-INITIAL_FORMS"] = str(len(rows)), str(len(rows))
    for i, row in enumerate(rows):
        for name, value in row.items():
            if value is True:
                data[f"cards-{i}-{name}"] = "on"
            elif value not in (False, None, ""):
                data[f"cards-{i}-{name}"] = str(value)
    return data


def _read(data: dict[str, Any]) -> textformat.ModuleSpec:
    meta, formset = ModuleMetaForm(data, prefix="module"), CardFormSet(data, prefix="cards")
    assert meta.is_valid(), meta.errors
    assert formset.is_valid(), (formset.errors, formset.non_form_errors())
    return spec_from_forms(meta, formset)


fitting = modules().filter(lambda m: all(len(c.options) <= OPTION_ROWS for c in m.cards))


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=fitting, skills=st.lists(st.sampled_from(["excel", "machine-safety"]), unique=True))
def test_the_form_editor_writes_the_module_it_shows(org, spec, skills) -> None:  # type: ignore[no-untyped-def]
    spec.skills = sorted(skills)
    written = _read(_data(spec))
    assert written == spec
    assert textformat.parse(textformat.dump(written)) == written


@given(cards())
def test_every_card_the_text_format_takes_the_form_takes(card: textformat.CardSpec) -> None:
    assert textformat.card_problem(card) == ""


@pytest.fixture
def designer(client, org):  # type: ignore[no-untyped-def]
    """The designer, reading Sylva in English (the messages checked are English)."""
    client.force_login(org.designer.user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _two_cards() -> textformat.ModuleSpec:
    return textformat.ModuleSpec(
        code="gestes-barrieres",
        title="Gestes barrières",
        language="fr",
        minutes=2,
        skills=["Sécurité machine"],  # a name: the form editor posts codes, the text names
        cards=[
            textformat.CardSpec("lesson", "Pourquoi", body="Pour **tous**."),
            textformat.CardSpec(
                "multiple",
                "Lesquels ?",
                options=[
                    {"text": "Gants", "correct": True},
                    {"text": "Lunettes", "correct": True},
                    {"text": "Cravate", "correct": False},
                ],
                explanation="La cravate se prend dans les machines.",
            ),
        ],
    )


def test_a_module_written_in_the_form_is_saved_as_its_text(org, designer) -> None:  # type: ignore[no-untyped-def]
    spec = _two_cards()
    spec.skills = ["machine-safety"]
    response = designer.post(reverse("microlearning:new_module"), _data(spec))
    assert response.status_code == 302
    module = Module.objects.get(code="gestes-barrieres")
    assert [c.kind for c in module.cards.all()] == ["lesson", "multiple"]
    assert list(module.skills.values_list("code", flat=True)) == ["machine-safety"]
    page = designer.get(
        reverse("microlearning:edit_module", args=[module.code]) + "?editor=markdown"
    )
    text = page.context["form"].initial["text"]
    assert "## multiple: Lesquels ? {#" in text and "- [ ] Cravate" in text


def test_a_wrong_card_is_refused_on_that_card_and_nothing_is_saved(org, designer) -> None:  # type: ignore[no-untyped-def]
    data = _data(_two_cards())
    del data["module-skills"]
    data.pop("cards-1-right_1"), data.pop("cards-1-right_2")
    page = designer.post(reverse("microlearning:new_module"), data)
    assert page.status_code == 200
    assert "has no correct option" in page.content.decode()
    assert page.context["cards"].forms[1].non_field_errors()
    preview = designer.post(reverse("microlearning:preview"), data).content.decode()
    assert "Card 2" in preview and "no correct option" in preview
    assert not Module.objects.filter(code="gestes-barrieres").exists()


def test_switching_editors_keeps_what_was_written(org, designer) -> None:  # type: ignore[no-untyped-def]
    data = {**_data(_two_cards()), "switch": "markdown"}
    del data["module-skills"]
    page = designer.post(reverse("microlearning:new_module"), data)
    assert page.context["mode"] == "markdown"
    text = page.context["form"].initial["text"]
    assert "## lesson: Pourquoi" in text and "- [x] Lunettes" in text
    back = designer.post(
        reverse("microlearning:new_module"),
        {"editor": "markdown", "text": text, "switch": "form"},
    )
    assert back.context["mode"] == "form"
    assert back.context["cards"].initial[1]["option_3"] == "Cravate"
    assert not Module.objects.exists()


def test_a_card_is_added_without_a_script(org, designer) -> None:  # type: ignore[no-untyped-def]
    data = {**_data(_two_cards()), "add_card": "1"}
    del data["module-skills"]
    page = designer.post(reverse("microlearning:new_module"), data)
    assert len(page.context["cards"].forms) == 3
    assert not Module.objects.exists()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_new_module_starts_in_the_interface_language(org, designer, language) -> None:  # type: ignore[no-untyped-def]
    designer.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    page = designer.get(reverse("microlearning:new_module"))
    text = page.context["form"].initial["text"]
    assert f"language: {language}\n" in text
    question = "A question to check it sticks" if language == "en" else "Une question"
    assert question in text
    assert page.context["meta"].initial["language"] == language
