"""The skills picker: one widget for every form that asks for skills of the taxonomy.

``SkillPicker`` (one skill) and ``SkillsPicker`` (several) are the widgets of
``people.forms.SkillChoiceField`` and ``SkillsField``; every form of Sylva that asks for a
skill uses those fields, so they all get this picker.

They render a plain ``<select data-skill-picker>`` that works and posts without JavaScript:
options grouped by domain (one ``<optgroup>`` per domain, named in the reader's language),
domains and skills sorted accent-blind in that language, each option carrying the skill's
names in French and English, its code and its domain. ``static/sylva/skillpicker.js`` turns
it into a searchable combobox and keeps the select in sync, so the form posts exactly as
before. The texts the script shows come translated from here (``data-text-*``).

Rendering is one pass over the field's queryset (the fields select the domain with the
skill) and one small template without an include per option: 187 skills cost no query per
option and little time.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext

from sylva.people.text import fold  # accents and case away, as the directory's search


def _texts() -> dict[str, str]:
    """What the script says, in the active language (``%s`` and ``%d`` are filled in JS)."""
    return {
        "data-text-placeholder": gettext("Type a skill, in French or English"),
        "data-text-remove": gettext("Remove %s"),
        "data-text-one": gettext("1 skill"),
        "data-text-many": gettext("%d skills"),
        "data-text-none": gettext("No skill matches"),
        "data-text-max": gettext("At most %d skills: remove one to choose another"),
        "data-text-chosen": gettext("Chosen skills"),
        "data-text-added": gettext("%s added"),
        "data-text-removed": gettext("%s removed"),
    }


class _Picker:
    """What both pickers share: the grouping, the per-option data and the texts."""

    template_name = "people/widgets/skill_picker.html"
    allow_multiple_selected: bool
    choices: Any
    attrs: dict[str, Any]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)  # type: ignore[misc]
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-skill-picker"] = "multiple" if self.allow_multiple_selected else "one"
        widget_attrs.update(_texts())
        return context

    def optgroups(
        self, name: str, value: list[str], attrs: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        """The choices grouped by domain: the empty choice first, then each domain with its
        skills, both sorted accent-blind in the active language."""
        chosen = {str(v) for v in value}
        head: list[dict[str, Any]] = []
        domains: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        has_selected = False
        for index, (option_value, label) in enumerate(self.choices):
            selected = str(option_value) in chosen and (
                self.allow_multiple_selected or not has_selected
            )
            has_selected |= selected
            option = self.create_option(name, option_value, label, selected, index)  # type: ignore[attr-defined]
            skill = getattr(option_value, "instance", None)
            if skill is None:
                head.append(option)
                continue
            domain = skill.domain.name
            option["attrs"].update(
                {
                    "data-name-fr": skill.name_fr,
                    "data-name-en": skill.name_en,
                    "data-code": skill.code,
                    "data-domain": domain,
                }
            )
            domains.setdefault(domain, []).append((fold(skill.name), option))
        groups: list[tuple[str | None, list[dict[str, Any]], int | None]] = []
        if head:
            groups.append((None, head, 0))
        for number, domain in enumerate(sorted(domains, key=fold), start=1):
            options = [option for _key, option in sorted(domains[domain], key=lambda o: o[0])]
            groups.append((domain, options, number))
        return groups


class SkillPicker(_Picker, forms.Select):
    """One skill."""


class SkillsPicker(_Picker, forms.SelectMultiple):
    """Several skills; ``max_choices`` (``data-max``) is how many the script lets one pick."""

    def __init__(self, attrs: dict[str, Any] | None = None, max_choices: int | None = None):
        super().__init__(attrs)
        self.max_choices = max_choices

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if self.max_choices:
            context["widget"]["attrs"]["data-max"] = self.max_choices
        return context
