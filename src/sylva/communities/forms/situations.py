"""The forms of work situations (limits read from the models)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sylva.communities.models import Assignment, WorkSituation
from sylva.communities.services.situations import MAX_SKILLS
from sylva.core.validation import limit_of
from sylva.core.widgets import DateInput
from sylva.people.forms import SkillChoiceField, SkillsField
from sylva.people.models import Person, Skill


def _skills() -> Any:
    return Skill.objects.select_related("domain").order_by("domain__name_fr", "name_fr")


class SituationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=limit_of(WorkSituation, "title"))
    task = forms.CharField(
        label=_("The task, as done at work"),
        max_length=limit_of(WorkSituation, "task"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    skills = SkillsField(label=_("Skills it develops"), queryset=_skills(), max_choices=MAX_SKILLS)
    debrief_questions = forms.CharField(
        label=_("Debrief questions (one per line)"),
        max_length=limit_of(WorkSituation, "debrief_questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tutor_role = forms.CharField(
        label=_("The tutor's role"),
        max_length=limit_of(WorkSituation, "tutor_role"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("my language")), *Person.Language.choices],
        required=False,
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        team = f" ({obj.team.name})" if getattr(obj, "team", None) else ""
        return f"{obj.full_name}{team}"


class AssignForm(forms.Form):
    learner = PersonChoice(label=_("Team member"), queryset=Person.objects.none())
    tutor = PersonChoice(label=_("Tutor"), queryset=Person.objects.none())
    due_on = forms.DateField(label=_("To do by"), required=False, widget=DateInput())

    def __init__(self, *args: Any, team: Any, tutors: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        learner: Any = self.fields["learner"]
        learner.queryset = team
        ids = [p.pk for p in tutors] + list(team.values_list("pk", flat=True))
        tutor: Any = self.fields["tutor"]
        tutor.queryset = Person.objects.filter(pk__in=ids).select_related("team")
        suggested = {p.pk for p in tutors}
        # the suggested colleagues (they hold a skill of it at 3 or more) first
        tutor.choices = (
            [("", "---------")]
            + [(p.pk, f"{tutor.label_from_instance(p)} ★") for p in tutors]
            + [(p.pk, tutor.label_from_instance(p)) for p in team if p.pk not in suggested]
        )


class DebriefForm(forms.Form):
    text = forms.CharField(
        label=_("Our debrief"),
        max_length=limit_of(Assignment, "debrief"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Read by the learner and the tutor only; the manager sees that it happened."),
    )


class ProposeLevelForm(forms.Form):
    skill = SkillChoiceField(label=_("Skill"), queryset=Skill.objects.none())
    level = forms.TypedChoiceField(
        label=_("Proposed level"),
        choices=[(2, "2"), (3, "3"), (4, "4")],
        coerce=int,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, situation: WorkSituation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        skill: Any = self.fields["skill"]
        skill.queryset = situation.skills.select_related("domain")
