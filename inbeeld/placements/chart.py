"""The in-, door- en uitstroom as an inline SVG bar chart: per month a bar of intakes and
one of outflows, and a line of those present at the month's end. Geometry only; the
template draws it (no script, no inline style: the strict CSP holds). The table beside it
is its text alternative, so the picture is marked as an image described by the table."""

from __future__ import annotations

from dataclasses import dataclass

from inbeeld.placements.flow import RegionFlow

WIDTH, HEIGHT, BOTTOM, LEFT = 320, 160, 140, 8
SLOT = (WIDTH - LEFT) // 12


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    kind: str  # "in" | "out"


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    line: str  # the points of the present-at-month-end line
    labels: list[tuple[int, str]]  # x, month label
    maximum: int
    width: int = WIDTH
    height: int = HEIGHT


def flow_chart(flow: RegionFlow) -> Chart:
    months = flow.months
    peak = max(
        [
            1,
            *(m.intakes for m in months),
            *(m.outflow_total for m in months),
            *(m.present for m in months),
        ]
    )
    scale = (BOTTOM - 10) / peak
    slot = max(1, (WIDTH - LEFT) // max(1, len(months)))
    bars: list[Bar] = []
    points: list[str] = []
    labels: list[tuple[int, str]] = []
    for index, month in enumerate(months):
        x = LEFT + index * slot
        for offset, (count, kind) in enumerate(
            ((month.intakes, "in"), (month.outflow_total, "out"))
        ):
            height = round(count * scale)
            bars.append(Bar(x + 2 + offset * (slot // 3), BOTTOM - height, height, kind))
        points.append(f"{x + slot // 2},{BOTTOM - round(month.present * scale)}")
        labels.append((x + 2, f"{month.month.month:02d}"))
    return Chart(bars=bars, line=" ".join(points), labels=labels, maximum=peak)
