from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sylva.people.models import Level, Person, Population, Site, Skill, Team


class SkillChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.domain.name} — {obj.name}"


class ProfileForm(forms.Form):
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("None")
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.all(), required=False, empty_label=_("None")
    )
    manager = forms.ModelChoiceField(
        label=_("Manager"), queryset=Person.objects.none(), required=False, empty_label=_("None")
    )
    populations = forms.ModelMultipleChoiceField(
        label=_("Populations"),
        queryset=Population.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    can_share = forms.CharField(
        label=_("What I can share"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Know-how, tips, experience you would gladly pass on."),
    )
    wants_to_learn = forms.CharField(
        label=_("What I want to learn"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visible_in_insights = forms.BooleanField(
        label=_("Let learning animators see my name in insights"), required=False
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("As my browser")), *Person.Language.choices],
        required=False,
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        team_field: Any = self.fields["team"]
        team_field.queryset = Team.objects.select_related("department", "site").order_by(
            "department__name_fr", "name"
        )
        team_field.label_from_instance = lambda t: f"{t.department.name} — {t.name}"
        # Managers to choose from: team managers and heads of the person's department, the
        # heads of every department, and the current manager (a short, meaningful list).
        department_id = person.team.department_id if person.team else None
        candidates = Q(headed_departments__isnull=False)
        if department_id:
            candidates |= Q(managed_teams__department_id=department_id)
        if person.manager_id:
            candidates |= Q(pk=person.manager_id)
        manager_field: Any = self.fields["manager"]
        manager_field.queryset = (
            Person.objects.filter(candidates)
            .exclude(pk=person.pk)
            .distinct()
            .order_by("last_name", "first_name")
        )
        manager_field.label_from_instance = lambda p: f"{p.full_name} — {p.job_title}".strip(" —")


class SkillForm(forms.Form):
    skill = SkillChoiceField(
        label=_("Skill"),
        queryset=Skill.objects.select_related("domain").order_by("domain__name_fr", "name_fr"),
    )
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        initial=Level.PRACTISING,
    )
    willing_to_share = forms.BooleanField(label=_("Happy to share it"), required=False)


class LevelForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Level"), choices=Level.choices, coerce=int)
    willing_to_share = forms.BooleanField(label=_("Happy to share it"), required=False)


class WishForm(forms.Form):
    wish = SkillChoiceField(
        label=_("I want to learn"),
        queryset=Skill.objects.select_related("domain").order_by("domain__name_fr", "name_fr"),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("What will use it, e.g. “my reporting script”."),
    )


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    skill = forms.ModelChoiceField(
        label=_("Skill"), queryset=Skill.objects.none(), required=False, to_field_name="code"
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Team.objects.none(),
        required=False,
        to_field_name="code",
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.all(), required=False, to_field_name="code"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from sylva.people.models import Department

        super().__init__(*args, **kwargs)
        skill: Any = self.fields["skill"]
        skill.queryset = Skill.objects.select_related("domain").order_by("name_fr")
        team: Any = self.fields["team"]
        team.queryset = Team.objects.select_related("department").order_by(
            "department__name_fr", "name"
        )
        team.label_from_instance = lambda t: f"{t.department.name} — {t.name}"
        department: Any = self.fields["department"]
        department.queryset = Department.objects.all()
        for name in ("skill", "team", "department", "site"):
            field: Any = self.fields[name]
            field.empty_label = _("All")
