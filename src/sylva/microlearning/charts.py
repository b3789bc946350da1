"""Small server-side SVG charts (no JavaScript, readable on a phone)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def bars(values: list[tuple[str, float | None]], *, height: int = 140) -> SafeString:
    """A bar chart of rates between 0 and 1; a missing value is drawn as an empty slot."""
    if not values:
        return mark_safe("")
    width = max(320, 40 * len(values))
    slot = width / len(values)
    top, bottom = 16, 22
    plot = height - top - bottom
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'preserveAspectRatio="xMinYMin meet" width="100%">',
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
