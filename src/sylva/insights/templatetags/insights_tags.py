"""Showing a figure: formatted, or the reason it is not shown."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sylva.insights.findings import Figures

register = template.Library()


def _few() -> SafeString:
    return format_html(
        '<span class="few">{}</span>',
        _("not shown: fewer than %(n)d people") % {"n": settings.SYLVA_MIN_AGGREGATE},
    )


@register.simple_tag
def metric(figures: Figures | None, key: str, style: str = "number") -> SafeString | str:
    """``style``: "pct" (0.42 → 42 %), "index" (-1…+1, signed), "days", "number"."""
    if figures is None or figures.withheld(key):
        return _few()
    value = figures.value(key)
    if value is None:
        return "—"
    if style == "pct":
        return f"{value * 100:.0f} %"
    if style == "index":
        return f"{value:+.2f}"
    if style == "days":
        return _("%(n).0f days") % {"n": value} if value != float("inf") else _("not yet")
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


@register.filter
def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"
