"""Small server-side SVG charts (no JavaScript, readable on a phone)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


def bars(values: list[tuple[str, float | None]], *, name: str, height: int = 140) -> SafeString:
    """A bar chart of rates between 0 and 1; a missing value is drawn as an empty slot.

    The chart is an image named by its ``<title>``: ``name`` and every bar's value, the same
    figures the bars draw (its bars' own titles are not read out under ``role="img"``)."""
    if not values:
        return mark_safe("")
    described = ", ".join(
        f"{label} {rate:.0%}" if rate is not None else _("%(label)s no figure") % {"label": label}
        for label, rate in values
    )
    width = max(320, 40 * len(values))
    slot = width / len(values)
    top, bottom = 16, 22
    plot = height - top - bottom
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'preserveAspectRatio="xMinYMin meet" width="100%">',
        f"<title>{escape(name)}: {escape(described)}</title>",
        f'<line x1="0" y1="{top + plot}" x2="{width}" y2="{top + plot}" class="axis"/>',
    ]
    for i, (label, rate) in enumerate(values):
        x = i * slot + slot * 0.15
        w = slot * 0.7
        if rate is not None:
            h = plot * max(0.0, min(1.0, rate))
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
                f'class="bar"><title>{escape(label)}: {rate:.0%}</title></rect>'
                f'<text x="{x + w / 2:.1f}" y="{top + plot - h - 3:.1f}" '
                f'text-anchor="middle">{round(100 * rate)}%</text>'
            )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{height - 6}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
