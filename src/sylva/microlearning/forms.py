from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sylva.core.validation import limit_of
from sylva.microlearning.models import Campaign, Module, TeamChallenge
from sylva.microlearning.queries.challenges import MAX_WHO
from sylva.microlearning.services.imports import TOKEN_MAX_LENGTH
from sylva.microlearning.textformat import MAX_FILE, MAX_TEXT
from sylva.people.models import Department, Person, Population, Site, Team

STARTER = """---
code: {code}
title: {title}
topic: ""
language: fr
minutes: 2
skills: []
---

## lesson: {lesson}
{lesson_text}

## single: {question}
- [x] {right}
- [ ] {wrong}
> {explanation}
"""


class ModuleTextForm(forms.Form):
    text = forms.CharField(
        label=_("Module (Markdown with front matter)"),
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true", "class": "mono"}),
        max_length=MAX_TEXT,
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Module file (.md)"))

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE:
            raise forms.ValidationError(_("The file is larger than 500 kB."))
        try:
            return str(upload.read().decode("utf-8"))
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None


class ImportConfirmForm(forms.Form):
    """The second step of an import: the text previewed and the token of that preview, so
    that what is applied is what was shown."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"hidden": True}), max_length=MAX_FILE, strip=False
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=TOKEN_MAX_LENGTH)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("changes", _("Ask for changes")),
            ("decline", _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the author"),
        required=False,
        max_length=limit_of(Module, "review_note"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=limit_of(Campaign, "name"))
    modules = forms.ModelMultipleChoiceField(
        label=_("Modules"),
        queryset=Module.objects.filter(status=Module.Status.PUBLISHED).order_by("title"),
        widget=forms.CheckboxSelectMultiple,
    )
    populations = forms.ModelMultipleChoiceField(
        label=_("Populations"),
        queryset=Population.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments"),
        queryset=Department.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"),
        queryset=Site.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=Team.objects.select_related("site").order_by("name"),
        required=False,
    )
    newcomers = forms.BooleanField(label=_("Newcomers only (by hire date)"), required=False)
    rhythm = forms.ChoiceField(label=_("Rhythm"), choices=Campaign.Rhythm.choices)
    new_cards = forms.IntegerField(
        label=_("New cards per day (or per week)"), min_value=1, max_value=20, initial=3
    )
    starts_on = forms.DateField(
        label=_("Starts on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class DuelForm(forms.Form):
    """A duel against anyone in the company: ``who`` searches colleagues by name (accent-blind,
    like the directory), ``opponent`` is the one chosen among the names found. Oneself and
    people who left are refused by the service, with its message."""

    who = forms.CharField(
        label=_("Colleague"),
        required=False,
        max_length=MAX_WHO,
        help_text=_("Type a name: anyone in the company, whatever their department."),
    )
    opponent = forms.ModelChoiceField(
        label=_("Colleague"),
        required=False,
        queryset=Person.objects.select_related("user"),
        error_messages={"invalid_choice": _("This colleague is not in the directory.")},
    )
    module = forms.ModelChoiceField(
        label=_("Module"),
        queryset=Module.objects.filter(status=Module.Status.PUBLISHED).order_by("title"),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("opponent") and "opponent" not in self.errors:
            if (data.get("who") or "").strip():
                self.add_error("who", _("Choose your colleague among the names found."))
            else:
                self.add_error("who", _("Type the name of the colleague to challenge."))
        return data


class TeamChallengeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=limit_of(TeamChallenge, "name"))
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"), queryset=Team.objects.select_related("site").order_by("name")
    )
    module = forms.ModelChoiceField(
        label=_("Module (optional)"),
        required=False,
        queryset=Module.objects.filter(status=Module.Status.PUBLISHED).order_by("title"),
    )
    starts_on = forms.DateField(
        label=_("Starts on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=31, initial=7)


class RetentionForm(forms.Form):
    desired_retention = forms.FloatField(
        label=_("Desired retention"),
        min_value=0.7,
        max_value=0.97,
        help_text=_(
            "The probability of remembering a card when it comes back: higher means more reviews."
        ),
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )


def default_dates() -> tuple[Any, Any]:
    today = timezone.localdate()
    return today, today + timedelta(days=30)
