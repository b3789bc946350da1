from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sylva.core.validation import limit_of
from sylva.people.models import (
    TOKEN_DEFAULT_DAYS,
    ApiToken,
    Department,
    Level,
    Person,
    Population,
    Site,
    Skill,
    Team,
)
from sylva.people.queries import SEARCH_LENGTH
from sylva.people.widgets import SkillPicker, SkillsPicker


class SkillChoiceField(forms.ModelChoiceField):
    """One skill of the taxonomy. Every form that asks for a skill uses this field (or
    ``SkillsField``), so that they all get the same skills picker."""

    widget = SkillPicker

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.domain.name} — {obj.name}"


class SkillsField(forms.ModelMultipleChoiceField):
    """Several skills of the taxonomy, with the same picker.

    ``max_choices`` is how many the picker lets one choose (its ``data-max``); five by
    default, as many as an offer or a request holds (``exchange.models.MAX_SKILLS``, which
    ``people`` may not import; a test keeps them equal). The limit itself is the service's
    to enforce: the field leaves validation as it was."""

    widget = SkillsPicker

    def __init__(self, *args: Any, max_choices: int | None = 5, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.widget.max_choices = max_choices

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.domain.name} — {obj.name}"


class ProfileForm(forms.Form):
    """What a person edits on their own profile (see ``services.SELF_EDITABLE``); their
    team, site and manager are set by an administrator or the HR source."""

    job_title = forms.CharField(
        label=_("Job title"), max_length=limit_of(Person, "job_title"), required=False
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
        max_length=limit_of(Person, "can_share"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Know-how, tips, experience you would gladly pass on."),
    )
    wants_to_learn = forms.CharField(
        label=_("What I want to learn"),
        required=False,
        max_length=limit_of(Person, "wants_to_learn"),
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
        # The page sends back each field's value as it was shown, so that ``changed_data``
        # is what this person changed in this form: saving a form opened an hour ago does
        # not undo what was changed meanwhile in another tab or through the API.
        for field in self.fields.values():
            field.show_hidden_initial = True


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
        max_length=limit_of(ApiToken, "name"),
        help_text=_("What will use it, e.g. “my reporting script”."),
    )
    days = forms.TypedChoiceField(
        label=_("Lasts"),
        coerce=int,
        initial=TOKEN_DEFAULT_DAYS,
        required=False,
        empty_value=TOKEN_DEFAULT_DAYS,  # type: ignore[arg-type]
        choices=[
            (7, _("7 days")),
            (30, _("30 days")),
            (90, _("90 days")),
            (180, _("180 days")),
            (365, _("one year")),
        ],
    )
    read_only = forms.BooleanField(
        label=_("Read-only"),
        required=False,
        help_text=_("It can read the API but not change anything."),
    )


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=SEARCH_LENGTH)
    skill = SkillChoiceField(
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
