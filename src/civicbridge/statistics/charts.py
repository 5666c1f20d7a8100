"""Server-rendered SVG charts: they need no JavaScript, print, embed in the WeasyPrint PDFs
and keep to the content security policy (presentation attributes only, no ``style``).

Each series is told apart by lightness *and* a pattern or marker (solid, hatched, dotted,
cross-hatched; circle, square, triangle, diamond), so a chart reads in grey. Every label is
passed in, already in the reader's language and script, and escaped here. A chart is a
``<svg role="img">`` with a ``<title>``; the table beside it carries the numbers.
"""

from __future__ import annotations

import colorsys
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# (fill, pattern) per series: dark to light, each with its own texture.
FILLS = (
    ("#1d3f66", "solid"),
    ("#8fb3d9", "hatch"),
    ("#4f7fb0", "dots"),
    ("#d6e4f2", "cross"),
)
INK = "#222222"
GRID = "#cccccc"
MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "6 3", "2 3", "8 3 2 3")

# Small enough that the text stays legible when a chart is drawn at a phone's width.
WIDTH = 480
HEIGHT = 270
FONT_SIZE = 13
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 44, 10, 14, 60


@dataclass
class Series:
    label: str
    values: list[int]


def _nice_max(value: int) -> int:
    """A round top for the axis: four ticks of 1, 2 or 5 × 10ⁿ each, at or above ``value``."""
    if value <= 0:
        return 4
    step = 1
    while True:
        for m in (1, 2, 5):
            if m * step * 4 >= value:
                return m * step * 4
        step *= 10


def _defs(chart_id: str) -> str:
    """The patterns of FILLS, with ids of this chart."""
    out = []
    for i, (colour, pattern) in enumerate(FILLS):
        pid = f"{chart_id}-p{i}"
        if pattern == "solid":
            continue
        out.append(
            f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="{colour}"/>'
        )
        if pattern == "hatch":
            out.append('<path d="M0,6 L6,0" stroke="#1d3f66" stroke-width="1.2"/>')
        elif pattern == "dots":
            out.append('<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>')
        elif pattern == "cross":
            out.append('<path d="M0,0 L6,6 M6,0 L0,6" stroke="#4f7fb0" stroke-width="0.8"/>')
        out.append("</pattern>")
    return f"<defs>{''.join(out)}</defs>" if out else ""


def _fill(chart_id: str, index: int) -> str:
    colour, pattern = FILLS[index % len(FILLS)]
    return colour if pattern == "solid" else f"url(#{chart_id}-p{index % len(FILLS)})"


def _open(chart_id: str, title: str, width: int, height: int, font_family: str) -> list[str]:
    font = f' font-family="{escape(font_family)}"' if font_family else ""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" role="img"'
        f' aria-labelledby="{chart_id}-title" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}"{font} font-size="{FONT_SIZE}" fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        _defs(chart_id),
    ]


def _axis(top: int, plot_h: int, left: int, right: int) -> list[str]:
    out = []
    for i in range(5):
        value = top * i // 4
        y = MARGIN_TOP + plot_h - plot_h * i / 4
        out.append(
            f'<line x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"'
            ' stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    return out


def _legend(series: list[Series], chart_id: str, y: int, *, lines: bool = False) -> list[str]:
    out, x = [], MARGIN_LEFT
    for i, s in enumerate(series):
        if lines:
            out.append(
                f'<line x1="{x}" x2="{x + 22}" y1="{y - 4}" y2="{y - 4}" stroke="{INK}"'
                f' stroke-width="2" stroke-dasharray="{DASHES[i % len(DASHES)]}"/>'
            )
            out.append(_marker(MARKERS[i % len(MARKERS)], x + 11, y - 4))
            x += 28
        else:
            out.append(
                f'<rect x="{x}" y="{y - 11}" width="14" height="14" fill="{_fill(chart_id, i)}"'
                f' stroke="{INK}" stroke-width="0.8"/>'
            )
            x += 20
        out.append(f'<text x="{x}" y="{y}">{escape(s.label)}</text>')
        x += _text_width(s.label) + 24
    return out


def _text_width(text: str) -> int:
    """Roughly how wide ``text`` is at FONT_SIZE: CJK characters a full em, others 0.6."""
    return round(
        sum(FONT_SIZE if unicodedata.east_asian_width(c) in "WF" else FONT_SIZE * 0.6 for c in text)
    )


def _blue(lightness: float) -> str:
    """The chart's blue (hue 210°, saturation 45 %) at ``lightness`` (0–100), as #rrggbb
    (WeasyPrint's SVG reads hex colours)."""
    r, g, b = colorsys.hls_to_rgb(210 / 360, lightness / 100, 0.45)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def _category_labels(categories: list[str], x_of, y: int) -> list[str]:
    return [
        f'<text x="{x_of(i):.1f}" y="{y}" text-anchor="middle">{escape(c)}</text>'
        for i, c in enumerate(categories)
    ]


def bar_chart(
    chart_id: str,
    title: str,
    categories: list[str],
    series: list[Series],
    *,
    stacked: bool = False,
    font_family: str = "",
) -> SafeString:
    """Bars per category (years), side by side or stacked, one pattern per series."""
    n = max(1, len(categories))
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    if stacked:
        peak = max([sum(v[i] or 0 for v in (s.values for s in series)) for i in range(n)] or [0])
    else:
        peak = max([v or 0 for s in series for v in s.values] or [0])
    top = _nice_max(peak)
    slot = plot_w / n
    bar_w = slot * 0.7 / (1 if stacked else max(1, len(series)))
    out = _open(chart_id, title, WIDTH, HEIGHT, font_family)
    out += _axis(top, plot_h, MARGIN_LEFT, WIDTH - MARGIN_RIGHT)
    base = MARGIN_TOP + plot_h
    for i in range(n):
        x0 = MARGIN_LEFT + slot * i + slot * 0.15
        y_stack = base
        for j, s in enumerate(series):
            value = s.values[i] or 0
            h = plot_h * value / top
            if stacked:
                x, y = x0, y_stack - h
                y_stack = y
            else:
                x, y = x0 + bar_w * j, base - h
            if value:
                out.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}"'
                    f' fill="{_fill(chart_id, j)}" stroke="{INK}" stroke-width="0.6">'
                    f"<title>{escape(categories[i])} · {escape(s.label)}: {value}</title></rect>"
                )
    out += _category_labels(categories, lambda i: MARGIN_LEFT + slot * (i + 0.5), base + 16)
    out += _legend(series, chart_id, HEIGHT - 14)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#ffffff" stroke="{INK}"/>'
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{INK}"/>'
    if kind == "triangle":
        return (
            f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y + 4:.1f} L{x - 5:.1f},{y + 4:.1f} Z"'
            f' fill="#8fb3d9" stroke="{INK}"/>'
        )
    return (
        f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y:.1f} L{x:.1f},{y + 5:.1f}'
        f' L{x - 5:.1f},{y:.1f} Z" fill="{INK}"/>'
    )


def line_chart(
    chart_id: str, title: str, categories: list[str], series: list[Series], *, font_family=""
) -> SafeString:
    """Lines per series over the categories (cumulative counts), each with its own dash
    and marker."""
    n = max(1, len(categories))
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    top = _nice_max(max([v or 0 for s in series for v in s.values] or [0]))
    slot = plot_w / n
    base = MARGIN_TOP + plot_h

    def x_of(i):
        return MARGIN_LEFT + slot * (i + 0.5)

    out = _open(chart_id, title, WIDTH, HEIGHT, font_family)
    out += _axis(top, plot_h, MARGIN_LEFT, WIDTH - MARGIN_RIGHT)
    for j, s in enumerate(series):
        points = [(x_of(i), base - plot_h * (v or 0) / top) for i, v in enumerate(s.values)]
        if points:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(
                f'<polyline points="{d}" fill="none" stroke="{INK}" stroke-width="2"'
                f' stroke-dasharray="{DASHES[j % len(DASHES)]}"/>'
            )
        for (x, y), v, c in zip(points, s.values, categories, strict=False):
            out.append(
                f"<g>{_marker(MARKERS[j % len(MARKERS)], x, y)}"
                f"<title>{escape(c)} · {escape(s.label)}: {v}</title></g>"
            )
    out += _category_labels(categories, x_of, base + 16)
    out += _legend(series, chart_id, HEIGHT - 14, lines=True)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def hbar_chart(
    chart_id: str, title: str, labels: list[str], values: list[int], *, font_family=""
) -> SafeString:
    """Horizontal bars, largest first (topics by frequency), the number at each bar's end."""
    row_h, label_w = 24, 130
    height = MARGIN_TOP + row_h * max(1, len(labels)) + 16
    plot_w = WIDTH - label_w - MARGIN_RIGHT - 40
    top = max([*values, 1])
    out = _open(chart_id, title, WIDTH, height, font_family)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = MARGIN_TOP + row_h * i
        w = plot_w * value / top
        out.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}"'
            f' fill="{_fill(chart_id, i % 2)}" stroke="{INK}" stroke-width="0.6"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 15}">{value}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def matrix_chart(
    chart_id: str,
    title: str,
    rows: list[str],
    columns: list[str],
    cells: list[list[int]],
    *,
    font_family="",
) -> SafeString:
    """A grid (mainland districts × Taiwanese counties): each cell darker the larger its
    number, the number written in it (so grey print and colour-blind readers read it)."""
    label_w, cell_w, cell_h, head_h = 100, 80, 28, 34
    width = max(WIDTH // 2, label_w + cell_w * max(1, len(columns)) + 8)
    height = head_h + cell_h * max(1, len(rows)) + 8
    top = max([v for row in cells for v in row] + [1])
    out = _open(chart_id, title, width, height, font_family)
    for j, column in enumerate(columns):
        x = label_w + cell_w * j + cell_w / 2
        out.append(
            f'<text x="{x:.1f}" y="{head_h - 12}" text-anchor="middle">{escape(column)}</text>'
        )
    for i, row in enumerate(rows):
        y = head_h + cell_h * i
        out.append(
            f'<text x="{label_w - 8}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(row)}</text>"
        )
        for j, value in enumerate(cells[i]):
            x = label_w + cell_w * j
            # Lightness from 96 % (none) down to 25 % (the largest), one blue hue.
            lightness = 96 - (71 * value / top if value else 0)
            ink = "#ffffff" if lightness < 55 else INK
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}"'
                f' fill="{_blue(lightness)}" stroke="{GRID}" stroke-width="0.6"/>'
                f'<text x="{x + cell_w / 2 - 1:.1f}" y="{y + cell_h / 2 + 4:.1f}"'
                f' text-anchor="middle" fill="{ink}">{value}</text>'
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
