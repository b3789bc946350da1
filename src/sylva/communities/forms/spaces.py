"""The form of a community (new or edited); its limits are read from the model."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sylva.communities.models import Community
from sylva.communities.services.spaces import MAX_SKILLS
from sylva.core.validation import limit_of
from sylva.people.forms import SkillsField
from sylva.people.models import Skill, SkillDomain


class CommunityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=limit_of(Community, "name"))
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=limit_of(Community, "purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the community is for, and who it is for."),
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    access = forms.ChoiceField(
        label=_("Who may join"),
        choices=Community.Access.choices,
        initial=Community.Access.OPEN,
        widget=forms.RadioSelect,
    )
    domain = forms.ModelChoiceField(
        label=_("Skill domain"), required=False, queryset=SkillDomain.objects.none()
    )
    skills = SkillsField(
        label=_("Skills"),
        required=False,
        queryset=Skill.objects.none(),
        max_choices=MAX_SKILLS,
        help_text=_("The skills the community is about: it is suggested to who holds them."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language: Any = self.fields["language"]
        language.choices = [("", _("any")), *settings.LANGUAGES]
        domain: Any = self.fields["domain"]
        domain.queryset = SkillDomain.objects.order_by("name_fr")
        skills: Any = self.fields["skills"]
        skills.queryset = Skill.objects.select_related("domain").order_by(
            "domain__name_fr", "name_fr"
        )

    @classmethod
    def initial_of(cls, community: Community) -> dict[str, Any]:
        return {
            "name": community.name,
            "purpose": community.purpose,
            "language": community.language,
            "access": community.access,
            "domain": community.domain,
            "skills": list(community.skills.all()),
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "purpose": data.get("purpose") or "",
            "language": data.get("language") or "",
            "access_": data["access"],
            "domain": data.get("domain"),
            "skills": list(data.get("skills") or []),
        }


class HostForm(forms.Form):
    person = forms.IntegerField(label=_("Member"), min_value=1, max_value=2**31 - 1)
