"""The skills picker: one widget for every form that asks for skills of the taxonomy.

``SkillPicker`` (one skill) and ``SkillsPicker`` (several) are the widgets of
``people.forms.SkillChoiceField`` and ``SkillsField``; every form of Sylva that asks for a
skill uses those fields, so they all get this picker.
"""

from __future__ import annotations

from django import forms


class SkillPicker(forms.Select):
    pass


class SkillsPicker(forms.SelectMultiple):
    pass
