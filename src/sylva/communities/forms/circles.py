"""The forms of the learning circles; limits read from the models. Colleagues are named by
their name or username (``PersonField``): a company has too many people for a list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sylva.communities.models import (
    CIRCLE_MAX,
    CIRCLE_MIN,
    FORMATS,
    RATING,
    Circle,
    CircleMember,
    CircleSession,
    Community,
    Reflection,
)
from sylva.core.validation import limit_of
from sylva.core.widgets import DateTimeInput
from sylva.people.forms import SkillsField
from sylva.people.models import Person, Skill
from sylva.people.text import fold

RATINGS = [(i, str(i)) for i in range(RATING[0], RATING[1] + 1)]


def _skills() -> Any:
    return Skill.objects.select_related("domain").order_by("domain__name_fr", "name_fr")


def find_person(text: str) -> Person:
    """One active colleague named by username, or by a unique (accent-blind) full name."""
    text = text.strip()
    people = Person.objects.filter(user__is_active=True).select_related("team")
    by_username = people.filter(user__username__iexact=text).first()
    if by_username is not None:
        return by_username
    found = list(people.filter(search_name__contains=fold(text))[:6])
    if not found:
        raise ValidationError(_("Nobody found by that name."))
    exact = [p for p in found if p.search_name == fold(text)]
    if len(exact) == 1 or len(found) == 1:
        return (exact or found)[0]
    names = ", ".join(f"{p.full_name}{f' ({p.team.name})' if p.team else ''}" for p in found[:5])
    raise ValidationError(
        _("Several people match: %(names)s. Be more precise."), params={"names": names}
    )


class PersonField(forms.CharField):
    """A colleague, by name or username."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        kwargs.setdefault("help_text", _("A colleague's full name or username."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        return find_person(text) if text else None


class CircleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=limit_of(Circle, "title"))
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=limit_of(Circle, "purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the circle will learn together, and why."),
    )
    facilitator = PersonField(
        label=_("Facilitator"),
        required=False,
        help_text=_("Empty: you facilitate it. A colleague named here is asked to open it."),
    )
    sponsor = PersonField(label=_("Sponsor (optional)"), required=False)
    community = forms.ModelChoiceField(
        label=_("Community (optional)"),
        required=False,
        queryset=Community.objects.filter(archived_at__isnull=True),
    )
    skills = SkillsField(label=_("Skills"), required=False, queryset=_skills())
    private = forms.BooleanField(
        label=_("Private: by invitation only, invisible to others"), required=False
    )
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="in_person")
    place = forms.CharField(
        label=_("Place or link"), max_length=limit_of(Circle, "place"), required=False
    )
    max_members = forms.IntegerField(
        label=_("At most (members)"),
        min_value=CIRCLE_MIN,
        max_value=CIRCLE_MAX,
        initial=CIRCLE_MAX,
        help_text=_("From %(min)d to %(max)d.") % {"min": CIRCLE_MIN, "max": CIRCLE_MAX},
    )


class InviteForm(forms.Form):
    person = PersonField(label=_("Invite a colleague"))


class GoalForm(forms.Form):
    goal = forms.CharField(
        label=_("My goal for this circle"),
        max_length=limit_of(CircleMember, "goal"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class GoalRatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Was my goal met? (1 to 5)"), choices=RATINGS, coerce=int, widget=forms.RadioSelect
    )


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    minutes = forms.IntegerField(label=_("Minutes"), min_value=15, max_value=240, initial=60)
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS)
    place = forms.CharField(
        label=_("Place, phone number or video link"),
        max_length=limit_of(CircleSession, "place"),
        required=False,
    )


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("My reflection"),
        max_length=limit_of(Reflection, "text"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rating = forms.TypedChoiceField(
        label=_("The session (optional, 1 to 5)"),
        choices=[("", _("no rating")), *RATINGS],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class ClosingForm(forms.Form):
    review = forms.CharField(
        label=_("Closing review"),
        max_length=limit_of(Circle, "closing_review"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the circle achieved, what it learned, what comes next."),
    )


class FromRequestsForm(forms.Form):
    skill = forms.CharField(max_length=limit_of(Skill, "code"))
