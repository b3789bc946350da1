"""Pictures drawn on the server as inline SVG: the learning network map, trend lines and
heat maps. They scale to the screen (``viewBox``) and carry a text title for screen
readers; every number they show is also in a table with a CSV export."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sylva.insights.findings import MapNode

PALETTE = (
    "#2f6f4f",
    "#c0582b",
    "#3b6ea5",
    "#a23b72",
    "#d9a21b",
    "#5b8c2a",
    "#7a4fb0",
    "#1f8a8a",
    "#8c5a3c",
    "#c2185b",
    "#546e7a",
    "#6d8b00",
)


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def network_map(
    nodes: Sequence[MapNode],
    edges: Sequence[Sequence[int]],
    *,
    colours: dict[int | None, str],
    labels: dict[int, str],
    title: str,
) -> SafeString:
    """Teams as dots (area by headcount, colour by department), learning ties between
    teams as lines (width by how many moments)."""
    size, pad = 600, 20
    if not nodes:
        return mark_safe("")
    top = max((e[2] for e in edges), default=1)
    parts = [
        f'<svg class="netmap" viewBox="0 0 {size} {size}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]

    def xy(node: MapNode) -> tuple[float, float]:
        return pad + node.x * (size - 2 * pad), pad + node.y * (size - 2 * pad)

    for a, b, w in edges:
        (x1, y1), (x2, y2) = xy(nodes[a]), xy(nodes[b])
        width = 0.4 + 2.6 * w / top
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="#8a9a8f" stroke-opacity="0.45" stroke-width="{width:.2f}"/>'
        )
    for node in nodes:
        x, y = xy(node)
        r = 3 + min(9.0, node.people**0.5)
        fill = colours.get(node.department, "#999")
        label = escape(labels.get(node.team, ""))
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}" stroke="#fff" '
            f'stroke-width="1"><title>{label} · {node.people}</title></circle>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


@dataclass(frozen=True)
class _Plot:
    """The frame of a trend: ``n`` points left to right, values from ``low`` to ``high``."""

    n: int
    low: float
    high: float
    width: int = 600
    height: int = 200
    left: int = 40
    bottom: int = 24

    def x(self, i: int) -> float:
        return self.left + (self.width - self.left - 10) * i / (self.n - 1)

    def y(self, v: float) -> float:
        plot_h = self.height - self.bottom - 10
        return 10 + plot_h * (1 - (v - self.low) / (self.high - self.low))


def trend(
    series: Sequence[tuple[str, Sequence[float | None]]],
    labels: Sequence[str],
    *,
    title: str,
    percent: bool = True,
) -> SafeString:
    """Lines over time (values 0…1 as percentages); gaps where a value is missing."""
    points = [v for _name, values in series for v in values if v is not None]
    if not points or len(labels) < 2:
        return mark_safe("")
    low, high = (0.0, 1.0) if percent else (float(min(points)), float(max(points)))
    plot = _Plot(len(labels), low, high if high != low else low + 1)
    parts = [
        f'<svg class="trend" viewBox="0 0 {plot.width} {plot.height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        *_grid(plot, percent),
        *_time_labels(plot, labels),
    ]
    for index, (name, values) in enumerate(series):
        parts += _line(plot, values, name=name, stroke=colour(index))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _grid(plot: _Plot, percent: bool) -> list[str]:
    parts = []
    for tick in (0.0, 0.5, 1.0):
        v = plot.low + (plot.high - plot.low) * tick
        text = f"{v:.0%}" if percent else f"{v:.2g}"
        parts.append(
            f'<line x1="{plot.left}" x2="{plot.width - 10}" y1="{plot.y(v):.1f}" '
            f'y2="{plot.y(v):.1f}" stroke="#ddd"/>'
            f'<text x="{plot.left - 4}" y="{plot.y(v) + 4:.1f}" text-anchor="end" '
            f'font-size="11">{text}</text>'
        )
    return parts


def _time_labels(plot: _Plot, labels: Sequence[str]) -> list[str]:
    """About six labels under the line, the first and the last always."""
    step, last = max(1, len(labels) // 6), len(labels) - 1
    parts = []
    for i, label in enumerate(labels):
        if i % step == 0 or i == last:
            anchor = "end" if i == last else "start" if i == 0 else "middle"
            parts.append(
                f'<text x="{plot.x(i):.1f}" y="{plot.height - 6}" text-anchor="{anchor}" '
                f'font-size="11">{escape(label)}</text>'
            )
    return parts


def _line(plot: _Plot, values: Sequence[float | None], *, name: str, stroke: str) -> list[str]:
    """A polyline per run of values without a gap; a dot for a value alone."""
    segments: list[list[str]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            segments.append([])
        else:
            segments[-1].append(f"{plot.x(i):.1f},{plot.y(value):.1f}")
    parts = []
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                f'<polyline fill="none" stroke="{stroke}" stroke-width="2.5" '
                f'points="{" ".join(seg)}"><title>{escape(name)}</title></polyline>'
            )
        elif seg:
            cx, cy = seg[0].split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{stroke}"/>')
    return parts


def heat_map(
    rows: Sequence[str], columns: Sequence[str], cells: Sequence[Sequence[int]], *, title: str
) -> SafeString:
    """A grid of rows x columns, darker where the count is higher."""
    if not rows or not columns:
        return mark_safe("")
    label_w, cell, head = 170, 26, 120
    width, height = label_w + cell * len(columns) + 90, head + cell * len(rows)
    top = max((c for row in cells for c in row), default=1) or 1
    parts = [
        f'<svg class="heat" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for j, name in enumerate(columns):
        cx = label_w + cell * j + cell / 2
        parts.append(
            f'<text transform="translate({cx:.1f},{head - 4}) rotate(-55)" font-size="11">'
            f"{escape(name[:22])}</text>"
        )
    for i, name in enumerate(rows):
        cy = head + cell * i
        parts.append(
            f'<text x="{label_w - 6}" y="{cy + cell * 0.65:.1f}" text-anchor="end" font-size="11">'
            f"{escape(name[:26])}</text>"
        )
        for j, count in enumerate(cells[i]):
            opacity = 0.06 + 0.94 * count / top
            parts.append(
                f'<rect x="{label_w + cell * j}" y="{cy}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="#2f6f4f" fill-opacity="{opacity:.2f}"><title>{escape(name)} · '
                f"{escape(columns[j])}: {count}</title></rect>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
