"""The forms of posts, replies and reports (limits read from the models)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sylva.communities.models import Flag, Post, Reply
from sylva.communities.services.qa import MAX_SKILLS, PostText
from sylva.core.validation import limit_of
from sylva.people.forms import SkillsField
from sylva.people.models import Skill


def _text(field: str, label: Any, rows: int = 4, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit_of(Post, field),
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class PostForm(forms.Form):
    """A post of one kind; an experience report asks the After Action Review's parts and
    who may read it. The service checks what is required."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Post.Kind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=limit_of(Post, "title"),
        widget=forms.TextInput(attrs={"id": "id_title", "autocomplete": "off"}),
    )
    body = _text(
        "body", _("Text"), rows=6, help_text=_("Markdown: **bold**, *italics*, lists, links.")
    )
    intended = _text("intended", _("What was intended"), rows=3)
    happened = _text("happened", _("What happened"), rows=4)
    why = _text("why", _("Why it happened"), rows=3)
    next_time = _text("next_time", _("What we will do next time"), rows=4)
    audience = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Post.Audience.choices,
        initial=Post.Audience.COMMUNITY,
        required=False,
        widget=forms.RadioSelect,
    )
    skills = SkillsField(
        label=_("Skills"),
        queryset=Skill.objects.none(),
        required=False,
        max_choices=MAX_SKILLS,
        help_text=_("A question names at least one: it reaches colleagues who know it."),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", "—"), *settings.LANGUAGES], required=False
    )

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = Skill.objects.select_related("domain").order_by(  # type: ignore[attr-defined]
            "domain__name_fr", "name_fr"
        )
        if kinds is not None:
            self.fields["kind"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Post.Kind.choices if value in kinds
            ]

    def post_text(self) -> PostText:
        data = self.cleaned_data
        return PostText(
            title=data["title"],
            body=data.get("body") or "",
            language=data.get("language") or "",
            skills=tuple(data.get("skills") or ()),
            intended=data.get("intended") or "",
            happened=data.get("happened") or "",
            why=data.get("why") or "",
            next_time=data.get("next_time") or "",
            audience=data.get("audience") or Post.Audience.COMMUNITY,
        )


class EditPostForm(PostForm):
    """The same, the kind fixed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=limit_of(Reply, "body"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown: **bold**, *italics*, lists, links."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=limit_of(Flag, "reason"))
