"""The dashboards' charts as inline SVG, drawn on the server.

Only SVG elements and presentation attributes (no ``style`` element or attribute), so the
strict Content-Security-Policy needs no exception, and no script. Every chart is an image
whose text alternative is the table beside it (``role="img"``, named by its title, described
by the table); a hidden cell is drawn as no bar with the text "fewer than N".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from inbeeld.insight.dashboard import Table, threshold

BAR = "#154273"
LINES = ("#154273", "#ca005d", "#39870c")
WIDTH = 640
ROW = 26
LABEL_WIDTH = 250


def bar_chart(table: Table, *, title: str, described_by: str) -> SafeString:
    rows = [row for row in table.rows if row.count != 0]
    height = ROW * max(1, len(rows)) + 8
    largest = max(table.largest, 1)
    plot = WIDTH - LABEL_WIDTH - 60
    parts = []
    for index, row in enumerate(rows):
        y = 4 + index * ROW
        label = row.label if len(row.label) <= 34 else row.label[:33] + "…"
        if row.count is None:
            bar = format_html(
                '<text x="{}" y="{}" font-size="13" fill="#333">{}</text>',
                LABEL_WIDTH + 4,
                y + 17,
                _("fewer than %(threshold)s") % {"threshold": threshold()},
            )
        else:
            width = max(1, round(plot * row.count / largest))
            bar = format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" font-size="13" fill="#000">{}</text>',
                LABEL_WIDTH,
                y + 3,
                width,
                ROW - 8,
                BAR,
                LABEL_WIDTH + width + 4,
                y + 17,
                row.count,
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" text-anchor="end" fill="#000">{}</text>{}',
                LABEL_WIDTH - 6,
                y + 17,
                label,
                bar,
            )
        )
    return _svg(title, described_by, height, SafeString("".join(parts)))


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[int, int | None]]  # (year, count); None: hidden or not published


def line_chart(series: Sequence[Series], *, title: str, described_by: str) -> SafeString:
    """Lines per year; a hidden or unpublished year breaks the line (nothing is guessed)."""
    years = sorted({year for line in series for year, _count in line.points})
    values = [count for line in series for _year, count in line.points if count is not None]
    height, left, right, top, bottom = 260, 52, 16, 12, 56
    if not years or not values:
        return _svg(title, described_by, 40, SafeString(""))
    largest = max(values) or 1
    span = max(1, years[-1] - years[0])

    def x(year: int) -> float:
        return left + (WIDTH - left - right) * (year - years[0]) / span

    def y(count: int) -> float:
        return top + (height - top - bottom) * (1 - count / largest)

    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#666"/>'
        '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>'
        '<text x="{}" y="{}" font-size="12" text-anchor="end">0</text>',
        left,
        y(0),
        WIDTH - right,
        y(0),
        left - 4,
        y(largest) + 4,
        largest,
        left - 4,
        y(0) + 4,
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="12" text-anchor="middle">{}</text>',
        ((x(year), y(0) + 16, year) for year in years),
    )
    drawn = []
    for index, line in enumerate(series):
        colour = LINES[index % len(LINES)]
        segment: list[str] = []
        segments: list[list[str]] = []
        for year, count in sorted(line.points):
            if count is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x(year):.1f},{y(count):.1f}")
            drawn.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="3.5" fill="{}"/>',
                    f"{x(year):.1f}",
                    f"{y(count):.1f}",
                    colour,
                )
            )
        if segment:
            segments.append(segment)
        for points in segments:
            drawn.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
                    " ".join(points),
                    colour,
                )
            )
        legend_y = height - 18 + 0 * index
        drawn.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="4" fill="{}"/>'
                '<text x="{}" y="{}" font-size="12">{}</text>',
                left + index * 200,
                legend_y,
                colour,
                left + index * 200 + 18,
                legend_y + 5,
                line.label,
            )
        )
    return _svg(title, described_by, height, SafeString(axis + ticks + "".join(drawn)))


def _svg(title: str, described_by: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="figure-chart" role="img" viewBox="0 0 {} {}" width="100%" '
        'aria-labelledby="{}-title" aria-describedby="{}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title>{}</svg>',
        WIDTH,
        height,
        described_by,
        described_by,
        described_by,
        title,
        body,
    )
