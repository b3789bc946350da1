"""Form widgets every pillar shares.

A browser's ``<input type="date">`` only takes ISO values (``2026-12-01``). Django's
``DateInput`` formats its value with the active language's first input format, so in
French a pre-filled date is ``01/12/2026`` and the browser shows the field empty. These
widgets always write ISO, whatever the language; ``tests/core/test_widgets.py`` checks
that no form of Sylva uses a date or time input without them.
"""

from __future__ import annotations

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"
ISO_TIME = "%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATETIME)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_TIME)
