from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sylva.core.validation import limit_of
from sylva.core.widgets import DateTimeInput
from sylva.exchange.models import (
    CAPACITY,
    DURATION,
    EXPIRY_DAYS,
    FAIR_MINUTES,
    MASTERING,
    WEEKDAYS,
    Exchange,
    Fair,
    Message,
    Offer,
    Review,
)
from sylva.people.forms import SkillChoiceField, SkillsField
from sylva.people.models import Department, Level, Person, PersonSkill, Site, Skill, SkillDomain

# the board's weekly slots: mornings (9 h) and afternoons (14 h) of working days
MORNING, AFTERNOON = 9, 14
PERIODS = {MORNING: _("morning"), AFTERNOON: _("afternoon")}
SLOT_CHOICES = [
    (day * 24 + hour, format_lazy("{} · {}", WEEKDAYS[day], PERIODS[hour]))
    for day in range(5)
    for hour in (MORNING, AFTERNOON)
]
FORMAT_CHOICES = [("in_person", _("face to face")), ("phone", _("phone")), ("video", _("video"))]


def _skills() -> Any:
    return Skill.objects.select_related("domain").order_by("domain__name_fr", "name_fr")


class PostingForm(forms.Form):
    skills = SkillsField(
        label=_("Skills"),
        queryset=Skill.objects.none(),
        help_text=_("One to five skills of the taxonomy."),
    )
    text = forms.CharField(
        label=_("In your own words"),
        required=False,
        max_length=limit_of(Offer, "text"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    formats = forms.MultipleChoiceField(
        label=_("Formats"),
        choices=FORMAT_CHOICES,
        initial=["in_person"],
        widget=forms.CheckboxSelectMultiple,
    )
    duration_minutes = forms.IntegerField(
        label=_("Time needed (minutes)"),
        min_value=DURATION.low,
        max_value=DURATION.high,
        initial=60,
    )
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.all(),
        required=False,
        empty_label=_("any site / remote"),
    )
    slots = forms.TypedMultipleChoiceField(
        label=_("When I am available (weekly)"),
        choices=SLOT_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        required=False,  # not sent: the author's language
        help_text=_("The language you write in and would hold the exchange in."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = _skills()  # type: ignore[attr-defined]

    def chosen_skill_ids(self) -> list[int]:
        """The skills a bound form was sent (before validation)."""
        data = self.data
        key = self.add_prefix("skills")
        raw = data.getlist(key) if hasattr(data, "getlist") else data.get(key) or []
        return [int(v) for v in raw if str(v).isdigit()]


class OfferForm(PostingForm):
    """An offer. Sent with skills that ``person`` does not hold at level 3 or more, it asks
    their level in each (a field ``level_<skill pk>``): offering implies knowing, and the
    level given goes on the profile (the service's rule, ``check_offered``)."""

    capacity = forms.IntegerField(
        label=_("Exchanges I can give per month"),
        min_value=CAPACITY.low,
        max_value=CAPACITY.high,
        initial=2,
    )

    def __init__(self, *args: Any, person: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.to_declare: list[Skill] = (
            self._not_mastered(person) if person is not None and self.is_bound else []
        )
        for skill in self.to_declare:
            self.fields[f"level_{skill.pk}"] = forms.TypedChoiceField(
                label=format_lazy(_("Your level in {}"), skill.name),
                choices=[("", "—"), *Level.choices],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=_(
                    "Offering asks for 3 · mastering or more; your level goes on your profile."
                ),
            )
        self.order_fields(["skills", *(f"level_{s.pk}" for s in self.to_declare)])

    def _not_mastered(self, person: Person) -> list[Skill]:
        ids = self.chosen_skill_ids()
        mastered = PersonSkill.objects.filter(
            person=person, skill_id__in=ids, level__gte=MASTERING
        ).values("skill_id")
        return list(Skill.objects.filter(pk__in=ids).exclude(pk__in=mastered).order_by("pk"))

    def levels(self) -> dict[str, int]:
        """The levels given, by skill code (for the service)."""
        found = {s.code: self.cleaned_data.get(f"level_{s.pk}") for s in self.to_declare}
        return {code: level for code, level in found.items() if level}


class RequestForm(PostingForm):
    pass


class BoardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    skill = SkillChoiceField(
        label=_("Skill"), queryset=Skill.objects.none(), required=False, empty_label=_("all")
    )
    domain = forms.ModelChoiceField(
        label=_("Domain"), queryset=SkillDomain.objects.all(), required=False, empty_label=_("all")
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.all(), required=False, empty_label=_("all")
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("", _("all")), *FORMAT_CHOICES], required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.all(),
        required=False,
        empty_label=_("all"),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("all")), *settings.LANGUAGES], required=False
    )
    kind = forms.ChoiceField(
        label=_("Show"),
        choices=[
            ("", _("offers and requests")),
            ("offers", _("offers")),
            ("requests", _("requests")),
        ],
        required=False,
    )

    #: the filters folded on a phone (the search stays in sight)
    FOLDED = ("skill", "domain", "site", "format", "department", "language")

    def __init__(self, *args: Any, reader_language: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = _skills()  # type: ignore[attr-defined]
        if reader_language:  # the reader's language first
            field: Any = self.fields["language"]
            field.choices = sorted(
                field.choices, key=lambda c: (c[0] != "", c[0] != reader_language)
            )

    def active_filters(self) -> int:
        """How many of the folded filters are set (for "Filters (2 active)")."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return sum(1 for name in self.FOLDED if data.get(name))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why?"), max_length=limit_of(Exchange, "decline_reason"))


class ScheduleForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=DURATION.low,
        max_value=DURATION.high,
        initial=60,
    )
    mode = forms.ChoiceField(label=_("Format"), choices=Exchange.Mode.choices)
    place = forms.CharField(
        label=_("Place, phone number or video link"),
        max_length=limit_of(Exchange, "place"),
        required=False,
    )


class ReviewForm(forms.Form):
    learned = forms.CharField(
        label=_("What was learned"),
        max_length=limit_of(Review, "learned"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    usefulness = forms.TypedChoiceField(
        label=_("Usefulness"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    next_step = forms.CharField(
        label=_("Next step"),
        max_length=limit_of(Review, "next_step"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    new_level = forms.TypedChoiceField(
        label=_("My level now (optional)"),
        choices=[("", _("unchanged")), (2, "2"), (3, "3"), (4, "4")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    story = forms.CharField(
        label=_("A story for your colleagues (optional)"),
        help_text=_(
            "A few lines written for others: what this exchange changed for you. Your review"
            " above stays between the two of you; this story is shown in the showcase only"
            " if you tick the box below."
        ),
        max_length=limit_of(Review, "story"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    story_shared = forms.BooleanField(
        label=_("Share this story in the showcase, with my name"), required=False
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=limit_of(Message, "body"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SettingsForm(forms.Form):
    joining_requires_both = forms.BooleanField(
        label=_("Joining requires one offer and one request"), required=False
    )
    request_expiry_days = forms.IntegerField(
        label=_("Requests expire after (days)"),
        min_value=EXPIRY_DAYS.low,
        max_value=EXPIRY_DAYS.high,
    )
    default_capacity = forms.IntegerField(
        label=_("Default monthly capacity of an offer"),
        min_value=CAPACITY.low,
        max_value=CAPACITY.high,
    )
    send_directly = forms.BooleanField(
        label=_("Send matching proposals without review"), required=False
    )


class FairForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=limit_of(Fair, "title"))
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.all(), required=False, empty_label=_("online")
    )
    minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=FAIR_MINUTES.low,
        max_value=FAIR_MINUTES.high,
        initial=60,
    )
    opens_at = forms.DateTimeField(
        label=_("Opens (empty: now)"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_(
            "A fair scheduled ahead is announced to the network now, and again when it opens."
        ),
    )


class ProposeToForm(forms.Form):
    """A proposal to a colleague one was introduced to (``?with=&skill=&as=``)."""

    role = forms.ChoiceField(
        label=_("I would"),
        choices=[("learn", _("learn this skill from them")), ("teach", _("teach them this skill"))],
        widget=forms.RadioSelect,
    )
    mode = forms.ChoiceField(label=_("Preferred format"), choices=Exchange.Mode.choices)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=DURATION.low,
        max_value=DURATION.high,
        initial=60,
    )
    message = forms.CharField(
        label=_("A word for them (optional)"),
        max_length=limit_of(Message, "body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
