from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sylva.core.validation import limit_of
from sylva.core.widgets import DateInput
from sylva.microlearning.models import Campaign, Card, Module, TeamChallenge
from sylva.microlearning.queries.challenges import MAX_WHO
from sylva.microlearning.services.imports import TOKEN_MAX_LENGTH
from sylva.microlearning.textformat import MAX_FILE, MAX_TEXT, CardSpec, ModuleSpec, card_problem
from sylva.people.forms import SkillsField
from sylva.people.models import Department, Person, Population, Site, Skill, Team

STARTER = """---
code: {code}
title: {title}
topic: ""
language: {language}
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

#: the answers a card of the form editor holds (a longer list is written in Markdown)
OPTION_ROWS = 6
#: the longest answer the form editor takes (options are JSON: no model field holds it)
OPTION_MAX_LENGTH = 1000


class ModuleTextForm(forms.Form):
    text = forms.CharField(
        label=_("Module (Markdown with front matter)"),
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true", "class": "mono"}),
        max_length=MAX_TEXT,
    )


class ModuleMetaForm(forms.Form):
    """The module's fields in the form editor (the front matter of its text)."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=limit_of(Module, "code"),
        help_text=_("Lower-case letters, digits and dashes; unique."),
    )
    title = forms.CharField(label=_("Title"), max_length=limit_of(Module, "title"))
    topic = forms.CharField(label=_("Topic"), required=False, max_length=limit_of(Module, "topic"))
    language = forms.ChoiceField(label=_("Language"), choices=Module.Language.choices)
    translation_of = forms.ModelChoiceField(
        label=_("Version in another language of"),
        required=False,
        to_field_name="code",
        queryset=Module.objects.filter(translation_of__isnull=True).order_by("title"),
        help_text=_("The original module, when this one is its translation."),
    )
    minutes = forms.IntegerField(label=_("Estimated minutes"), min_value=1, max_value=60)
    skills = SkillsField(
        label=_("Skills"),
        required=False,
        to_field_name="code",
        queryset=Skill.objects.select_related("domain"),
    )


class CardForm(forms.Form):
    """One card of the form editor: its kind, question, text, answers (the right ones
    ticked; an ordering's in the right order) and explanation."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Card.Kind.choices)
    title = forms.CharField(label=_("Title or question"), max_length=limit_of(Card, "title"))
    body = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        max_length=limit_of(Card, "body"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    explanation = forms.CharField(
        label=_("Explanation shown after answering"),
        required=False,
        max_length=limit_of(Card, "explanation"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    key = forms.CharField(
        required=False, max_length=limit_of(Card, "key"), widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, OPTION_ROWS + 1):
            self.fields[f"option_{n}"] = forms.CharField(
                label=_("Answer %(n)d") % {"n": n}, required=False, max_length=OPTION_MAX_LENGTH
            )
            self.fields[f"right_{n}"] = forms.BooleanField(
                label=_("Answer %(n)d is right") % {"n": n}, required=False
            )

    def option_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"option_{n}"], self[f"right_{n}"]) for n in range(1, OPTION_ROWS + 1)]

    @staticmethod
    def initial_of(card: CardSpec) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "kind": card.kind,
            "title": card.title,
            "body": card.body,
            "explanation": card.explanation,
            "key": card.key,
        }
        for n, option in enumerate(card.options[:OPTION_ROWS], start=1):
            initial[f"option_{n}"] = option["text"]
            initial[f"right_{n}"] = bool(option.get("correct"))
        return initial

    def spec(self) -> CardSpec:
        data = self.cleaned_data
        kind = data["kind"]
        options: list[dict[str, object]] = []
        if kind in Card.WITH_OPTIONS:
            for n in range(1, OPTION_ROWS + 1):
                text = (data.get(f"option_{n}") or "").strip()
                if text:
                    right = kind == "ordering" or (kind != "poll" and bool(data.get(f"right_{n}")))
                    options.append({"text": text, "correct": right})
        return CardSpec(
            kind=kind,
            title=data["title"].strip(),
            body=data.get("body", "").replace("\r\n", "\n").strip("\n"),
            options=options,
            explanation=data.get("explanation", "").replace("\r\n", "\n").strip("\n"),
            key=(data.get("key") or "").strip(),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors or not data.get("kind") or data.get("DELETE"):
            return data
        problem = card_problem(self.spec())
        if problem:
            raise forms.ValidationError(problem[:1].upper() + problem[1:])
        return data


class BaseCardFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not any(self.errors) and not kept:
            raise forms.ValidationError(_("The module has no card: add one."))

    def specs(self) -> list[CardSpec]:
        """The cards kept, in the order asked (``ORDER``), as the text format reads them."""
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        kept.sort(key=lambda f: f.cleaned_data.get("ORDER") or 0)
        return [f.spec() for f in kept]


CardFormSet: type[BaseCardFormSet] = forms.formset_factory(  # type: ignore[assignment]
    CardForm, formset=BaseCardFormSet, extra=0, can_delete=True, can_order=True, max_num=100
)


def spec_from_forms(meta: ModuleMetaForm, cards: BaseCardFormSet) -> ModuleSpec:
    """The module the form editor describes (both forms valid), as the text format has it."""
    data = meta.cleaned_data
    original = data.get("translation_of")
    return ModuleSpec(
        code=data["code"],
        title=data["title"].strip(),
        topic=(data.get("topic") or "").strip(),
        language=data["language"],
        minutes=data["minutes"],
        skills=sorted(s.code for s in data.get("skills") or []),
        cards=cards.specs(),
        translation_of=original.code if original is not None else "",
    )


def initial_from_spec(spec: ModuleSpec) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The form editor's initial values for a module read from its text."""
    meta = {
        "code": spec.code,
        "title": spec.title,
        "topic": spec.topic,
        "language": spec.language,
        "minutes": spec.minutes,
        "skills": list(spec.skills),
        "translation_of": spec.translation_of or None,
    }
    cards = [
        {**CardForm.initial_of(card), "ORDER": n} for n, card in enumerate(spec.cards, start=1)
    ]
    return meta, cards


def fits_form_editor(spec: ModuleSpec) -> bool:
    """Whether the form editor can hold every answer of the module (else: Markdown)."""
    return all(len(card.options) <= OPTION_ROWS for card in spec.cards)


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


class ModulesField(forms.ModelMultipleChoiceField):
    """Modules named with their language, and the languages of their other versions."""

    def label_from_instance(self, obj: Any) -> str:
        others = sorted(v.language.upper() for v in obj.translations.all())
        if obj.translation_of is not None:
            others = sorted({*others, obj.translation_of.language.upper()} - {obj.language.upper()})
        label = f"{obj.title} · {obj.language.upper()}"
        if others:
            label += " " + str(_("(also in %(languages)s)")) % {"languages": ", ".join(others)}
        return label


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=limit_of(Campaign, "name"))
    modules = ModulesField(
        label=_("Modules"),
        queryset=Module.objects.filter(status=Module.Status.PUBLISHED)
        .select_related("translation_of")
        .prefetch_related("translations")
        .order_by("title"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A learner gets the version of each module in their language, if it has one."),
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
        widget=DateInput(),
    )
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput())


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
        widget=DateInput(),
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
