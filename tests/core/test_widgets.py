"""Every form of Sylva asks for dates in ISO and for skills with the one skills picker.

A date input pre-filled in the language's format (``01/12/2026`` in French) shows empty in
the browser, and a bare multi-select of the whole taxonomy is unusable: this walks every
form class of every Sylva module, so a new form that brings either back fails here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date, datetime

import pytest
from django import forms
from django.utils import translation

import sylva
from sylva.core import widgets
from sylva.people.models import Skill
from sylva.people.widgets import SkillPicker, SkillsPicker


def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for info in pkgutil.walk_packages(sylva.__path__, "sylva."):
        if ".migrations" in info.name or info.name.endswith(("wsgi", "cli", "asgi")):
            continue
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__.startswith("sylva."):
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[k] for k in sorted(found)]


FORMS = _form_classes()


def test_the_walk_finds_the_forms() -> None:
    names = {f.__name__ for f in FORMS}
    assert {"PostingForm", "CampaignForm", "SkillForm", "DirectoryForm"} <= names


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_dates_are_iso_and_skills_use_the_picker(form: type[forms.BaseForm]) -> None:
    for name, field in form.base_fields.items():
        where = f"{form.__module__}.{form.__name__}.{name}"
        widget = field.widget
        if isinstance(widget, forms.DateTimeInput | forms.DateInput | forms.TimeInput):
            assert isinstance(
                widget, widgets.DateInput | widgets.DateTimeInput | widgets.TimeInput
            ), f"{where}: use sylva.core.widgets for date and time inputs"
        queryset = getattr(field, "queryset", None)
        if queryset is not None and queryset.model is Skill:
            assert isinstance(widget, SkillPicker | SkillsPicker), (
                f"{where}: ask for skills with people.forms.SkillChoiceField or SkillsField"
            )


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_pre_filled_date_is_iso_in_every_language(language: str) -> None:
    with translation.override(language):
        assert widgets.DateInput().format_value(date(2026, 12, 1)) == "2026-12-01"
        assert (
            widgets.DateTimeInput().format_value(datetime(2026, 12, 1, 9, 30)) == "2026-12-01T09:30"
        )
        html = widgets.DateInput().render("d", date(2026, 12, 1))
        assert 'type="date"' in html and 'value="2026-12-01"' in html
