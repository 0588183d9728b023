"""The map: a region's municipalities coloured by signals or cases per 100,000 inhabitants.

Drawn on the server as inline SVG from the package's copy of the CBS/PDOK municipal
boundaries (data/nl_municipalities.geojson, simplified for display; see shared/data's
SOURCES.md), so no map library, tile server or CDN is needed and the Content-Security-Policy
stays strict. The counts are the region's municipality table (insight/dashboard.py), already
suppressed: a hidden count is drawn hatched as "fewer than 5 or withheld", never as a rate.
The table beside the map is its text alternative.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from inbeeld.insight.dashboard import Table, threshold
from inbeeld.regions.models import Municipality, Region

GEOJSON = Path(__file__).resolve().parent / "data" / "nl_municipalities.geojson"
WIDTH = 640
SHADES = ("#eef3f9", "#b6cde4", "#6b98c7", "#154273")  # light to dark: more per 100,000
HIDDEN = "#d9d9d9"
PER = 100_000


@cache
def _features() -> dict[str, dict[str, Any]]:
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    return {feature["properties"]["code"]: feature for feature in data["features"]}


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    count: int | None  # None: hidden
    population: int
    rate: float | None  # per 100,000 inhabitants
    shade: int | None  # index into SHADES; None: hidden


@dataclass(frozen=True)
class Legend:
    shade: str
    low: float
    high: float


def areas(table: Table, region: Region) -> tuple[list[Area], list[Legend]]:
    """The municipalities with their count and rate, and the legend's classes (four equal
    steps up to the largest rate shown)."""
    return areas_of({row.code: row.count for row in table.rows}, region)


def areas_of(counts: dict[str, int | None], region: Region) -> tuple[list[Area], list[Legend]]:
    """The same from counts by municipality code (None: hidden; missing: 0), for figures that
    are not a dashboard table (the network's reach)."""
    found = []
    for municipality in Municipality.objects.filter(region=region).order_by("name"):
        count = counts.get(municipality.code, 0)
        rate = None if count is None else count * PER / municipality.population
        found.append((municipality, count, rate))
    largest = max((rate for _m, _c, rate in found if rate is not None), default=0.0) or 1.0
    step = largest / len(SHADES)
    legend = [
        Legend(shade=shade, low=index * step, high=(index + 1) * step)
        for index, shade in enumerate(SHADES)
    ]
    result = [
        Area(
            code=municipality.code,
            name=municipality.name,
            count=count,
            population=municipality.population,
            rate=rate,
            shade=None if rate is None else min(len(SHADES) - 1, int(rate / step)),
        )
        for municipality, count, rate in found
    ]
    return result, legend


def choropleth(
    shown: list[Area],
    legend: list[Legend],
    *,
    title: str,
    described_by: str,
    zero_label: str = "",
    hidden_label: str | None = None,
) -> SafeString:
    """The map as inline SVG. With ``zero_label``, areas with a count of 0 get a fill of
    their own (dotted) and that key in the legend (the network's "not reached"); with
    ``hidden_label=""`` the legend has no key for hidden counts (figures that hide none)."""
    features = _features()
    hidden_text = (
        _("fewer than %(threshold)s or withheld") % {"threshold": threshold()}
        if hidden_label is None
        else hidden_label
    )
    extra_keys = [
        (fill, text)
        for fill, text in (("url(#zero-dots)", zero_label), ("url(#hidden-hatch)", hidden_text))
        if text
    ]

    def fill_of(area: Area) -> str:
        if area.shade is None:
            return "url(#hidden-hatch)"
        if zero_label and area.count == 0:
            return "url(#zero-dots)"
        return SHADES[area.shade]

    rings = {
        area.code: _rings(features[area.code]["geometry"])
        for area in shown
        if area.code in features
    }
    points = [point for parts in rings.values() for ring in parts for point in ring]
    if not points:
        return SafeString("")
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    squeeze = math.cos(math.radians((south + north) / 2))  # degrees of longitude are shorter
    scale = WIDTH / max((east - west) * squeeze, 1e-9)
    height = int((north - south) * scale) + 1
    legend_height = 26 * (len(legend) + len(extra_keys)) + 8

    def path(parts: list[list[list[float]]]) -> str:
        return " ".join(
            "M"
            + " L".join(
                f"{(x - west) * squeeze * scale:.1f},{(north - y) * scale:.1f}" for x, y in ring
            )
            + " Z"
            for ring in parts
        )

    shapes = format_html_join(
        "",
        '<path d="{}" fill="{}" stroke="#ffffff" stroke-width="1"><title>{}</title></path>',
        (
            (
                path(rings[area.code]),
                fill_of(area),
                area.name,
            )
            for area in shown
            if area.code in rings
        ),
    )
    keys = format_html_join(
        "",
        '<rect x="0" y="{}" width="18" height="18" fill="{}" stroke="#666"/>'
        '<text x="26" y="{}" font-size="14">{}</text>',
        (
            (
                height + 8 + index * 26,
                item.shade,
                height + 22 + index * 26,
                f"{item.low:.0f} – {item.high:.0f}",
            )
            for index, item in enumerate(legend)
        ),
    )
    hidden_key = format_html_join(
        "",
        '<rect x="0" y="{}" width="18" height="18" fill="{}" stroke="#666"/>'
        '<text x="26" y="{}" font-size="14">{}</text>',
        (
            (
                height + 8 + (len(legend) + index) * 26,
                fill,
                height + 22 + (len(legend) + index) * 26,
                text,
            )
            for index, (fill, text) in enumerate(extra_keys)
        ),
    )
    return format_html(
        '<svg class="figure-chart figure-map" role="img" viewBox="0 0 {} {}" width="100%" '
        'aria-labelledby="{}-title" aria-describedby="{}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><defs><pattern id="hidden-hatch" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" '
        'fill="{}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#888" stroke-width="2"/></pattern>'
        '<pattern id="zero-dots" width="8" height="8" patternUnits="userSpaceOnUse">'
        '<rect width="8" height="8" fill="#fff4e5"/><circle cx="4" cy="4" r="1.8" '
        'fill="#b45309"/></pattern></defs>{}{}{}</svg>',
        WIDTH,
        height + legend_height,
        described_by,
        described_by,
        described_by,
        title,
        HIDDEN,
        shapes,
        keys,
        hidden_key,
    )
