"""The forms of field feedback (limits read from the model)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sylva.communities.forms.situations import PersonChoice
from sylva.communities.models import Assignment, FieldFeedback
from sylva.core.validation import limit_of
from sylva.people.forms import SkillChoiceField
from sylva.people.models import Person, Skill


def _text(label: Any, field: str, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit_of(FieldFeedback, field),
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AssignmentChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.situation.title} · {obj.learner.full_name}"


class FeedbackForm(forms.Form):
    person = PersonChoice(label=_("Team member"), queryset=Person.objects.none())
    situation = _text(_("The situation"), "situation")
    went_well = _text(_("What went well"), "went_well")
    to_improve = _text(_("What to improve"), "to_improve", required=False)
    next_step = _text(_("The next step"), "next_step", required=False, rows=2)
    skill = SkillChoiceField(
        label=_("Skill (optional)"),
        queryset=Skill.objects.select_related("domain").order_by("domain__name_fr", "name_fr"),
        required=False,
    )
    assignment = AssignmentChoice(
        label=_("Work situation (optional)"), queryset=Assignment.objects.none(), required=False
    )

    def __init__(self, *args: Any, team: Any, assignments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person: Any = self.fields["person"]
        person.queryset = team
        assignment: Any = self.fields["assignment"]
        assignment.queryset = assignments


class AnswerForm(forms.Form):
    answer = _text(_("My answer"), "answer", rows=4)
