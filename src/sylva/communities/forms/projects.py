"""The forms of the project spaces; limits read from the models."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sylva.communities.forms.circles import PersonField
from sylva.communities.models import Community, Milestone, Project
from sylva.core.validation import limit_of
from sylva.core.widgets import DateInput
from sylva.people.forms import SkillsField
from sylva.people.models import Skill


def _skills() -> Any:
    return Skill.objects.select_related("domain").order_by("domain__name_fr", "name_fr")


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=limit_of(Project, "title"))
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=limit_of(Project, "purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    learning_goals = forms.CharField(
        label=_("Learning goals"),
        max_length=limit_of(Project, "learning_goals"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the people of the project mean to learn by doing it."),
    )
    skills = SkillsField(label=_("Skills"), required=False, queryset=_skills())
    community = forms.ModelChoiceField(
        label=_("Community (optional)"),
        required=False,
        queryset=Community.objects.filter(archived_at__isnull=True),
    )


class MemberForm(forms.Form):
    member = PersonField(label=_("Add a member"))


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=limit_of(Milestone, "title"))
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())


def _part(field: str, label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit_of(Milestone, field),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=help_text,
    )


class ReviewForm(forms.Form):
    intended = _part("intended", _("What was intended"), _("What did we set out to do?"))
    happened = _part("happened", _("What happened"), _("What actually happened?"))
    why = _part("why", _("Why"), _("Why was there a difference, or why did it work?"))
    next_time = _part("next_time", _("Next time"), _("What will we do the same, or differently?"))
