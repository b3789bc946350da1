"""The preferences form: per kind of notification and per channel, quiet hours, the time
zone, the digest and the daily rendez-vous reminder.

The channels are one multiple choice of ``kind|channel`` pairs (a checkbox grid on the
page): a pair that is not offered (a tampered POST) is a form error, never a silent write."""

from __future__ import annotations

import zoneinfo
from datetime import time
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sylva.core.widgets import TimeInput
from sylva.notifications import queries
from sylva.notifications.models import Preference
from sylva.people.models import Person

SEPARATOR = "|"


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def pair(kind: str, channel: str) -> str:
    return f"{kind}{SEPARATOR}{channel}"


class PreferencesForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("Channels"), required=False, widget=forms.CheckboxSelectMultiple
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=())
    quiet_from = forms.TimeField(label=_("Quiet from"), required=False, widget=TimeInput())
    quiet_until = forms.TimeField(label=_("Quiet until"), required=False, widget=TimeInput())
    digest = forms.ChoiceField(
        label=_("Messages or a digest"), choices=Preference.Digest.choices, widget=forms.RadioSelect
    )
    digest_at = forms.TimeField(label=_("Digest time"), widget=TimeInput())
    nudge_at = forms.TimeField(
        label=_("Daily rendez-vous reminder"),
        required=False,
        widget=TimeInput(),
        help_text=_("Empty: no reminder. Sent only on a day with something to do."),
    )

    def __init__(self, *args: Any, person: Person, preference: Preference, **kwargs: Any) -> None:
        self.person = person
        self.preference = preference
        self.kinds = queries.notice_kinds()
        self.defaults = queries.default_channels(person)
        self.current = {kind: queries.channels_for(person, kind, preference) for kind in self.kinds}
        kwargs.setdefault("initial", self.initial_of(preference))
        super().__init__(*args, **kwargs)
        channels: Any = self.fields["channels"]
        channels.choices = [
            (pair(kind, channel), f"{notice.label} · {channel}")
            for kind, notice in self.kinds.items()
            for channel in queries.PERSONAL_CHANNELS
        ]
        time_zone: Any = self.fields["time_zone"]
        time_zone.choices = time_zone_choices()

    def initial_of(self, preference: Preference) -> dict[str, Any]:
        return {
            "channels": [
                pair(kind, channel) for kind, chosen in self.current.items() for channel in chosen
            ],
            "time_zone": preference.time_zone or settings.TIME_ZONE,
            "quiet_from": preference.quiet_from,
            "quiet_until": preference.quiet_until,
            "digest": preference.digest,
            "digest_at": preference.digest_at,
            "nudge_at": preference.nudge_at,
        }

    def chosen_channels(self) -> dict[str, list[str]]:
        """The channels per kind to save: a kind the person chose before, or whose boxes
        now differ from what it gets, is written; a kind left as its default keeps
        following the default (the persona's, which may change)."""
        ticked: dict[str, list[str]] = {kind: [] for kind in self.kinds}
        for value in self.cleaned_data["channels"]:
            kind, channel = value.split(SEPARATOR)
            ticked[kind].append(channel)
        explicit = self.preference.channels or {}
        return {
            kind: channels
            for kind, channels in ticked.items()
            if kind in explicit or sorted(channels) != sorted(self.current[kind])
        }

    def rows(self) -> list[dict[str, Any]]:
        """The grid the page shows: one row per kind, one box per channel."""
        checked = set(self["channels"].value() or [])
        explicit = self.preference.channels or {}
        return [
            {
                "kind": kind,
                "label": notice.label,
                "urgent": notice.urgent,
                "default": kind not in explicit,
                "defaults": self.defaults,
                "boxes": [
                    {
                        "value": pair(kind, channel),
                        "channel": channel,
                        "checked": pair(kind, channel) in checked,
                        "id": f"id_ch_{index}_{channel}",
                    }
                    for channel in queries.PERSONAL_CHANNELS
                ],
            }
            for index, (kind, notice) in enumerate(self.kinds.items())
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        nudge: time | None = data["nudge_at"]
        return {
            "time_zone": data["time_zone"],
            "quiet_from": data["quiet_from"],
            "quiet_until": data["quiet_until"],
            "digest": data["digest"],
            "digest_at": data["digest_at"],
            "nudge_at": nudge,
            "channels": self.chosen_channels(),
        }
