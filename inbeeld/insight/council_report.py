"""The council report (raadsrapportage) as a PDF, drawn with reportlab.

A few A4 pages for a council member: the key figures, the trends beside the national
series, the map, the breakdowns, the expected number with its interval and its explanation,
what the case table did, and what these figures cannot say. Everything it shows comes from
``release.released_figures`` (suppressed there; the figures API shows the same release), so
this module only lays out; it computes no count. Made when asked, never stored; the page that
offers it and the CLI audit each making (dashboard_views.council_report, cli/report.py).

The map is drawn from the same boundaries as the dashboard's SVG map (maps.py), as vector
paths on the PDF canvas; a hidden municipality is hatched, as there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape
from io import BytesIO
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from inbeeld.insight.maps import HIDDEN, SHADES, _features, _rings
from inbeeld.insight.release import Release, ReleasedMap, ReleasedSource, ReleasedTable
from inbeeld.regions.models import Region

LINE_COLOURS = (colors.HexColor("#154273"), colors.HexColor("#c05600"), colors.HexColor("#39870c"))
_STYLES = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontSize=10, leading=13)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8.5, leading=11, textColor="#444444")
TITLE = ParagraphStyle("title", parent=_STYLES["Title"], fontSize=20, leading=24)
H1 = ParagraphStyle("h1", parent=_STYLES["Heading1"], fontSize=15, leading=19, spaceBefore=6)
H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontSize=11.5, leading=14, spaceBefore=4)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8.5, leading=10.5)
PART = ParagraphStyle("part", parent=CELL, leftIndent=12)  # "of which ...": under its figure


def _whole(value: float) -> str:
    return str(formats.number_format(round(value), force_grouping=True))


def _decimal(value: float, places: int) -> str:
    return str(formats.number_format(value, decimal_pos=places, force_grouping=True))


def _number() -> str:
    # Its own context: "Number" alone is also a telephone number elsewhere ("Nummer").
    return pgettext("a count of records", "Number")


def _text(value: str) -> str:
    return escape(value, quote=False)


def _count(count: int | None, release: Release) -> str:
    if count is None:
        return _("fewer than %(threshold)s") % {"threshold": release.threshold}
    return _whole(count)


def _table(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, numbers: int = 1) -> Table:
    """A table with a header row; the last ``numbers`` columns right-aligned."""
    cells = [
        [cell if isinstance(cell, Flowable) else Paragraph(_text(str(cell)), CELL) for cell in row]
        for row in rows
    ]
    table = Table(cells, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    first_number = len(widths) - numbers
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#154273")),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#cccccc")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (first_number, 0), (-1, -1), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    for row in cells:
        for cell in row[first_number:]:
            if isinstance(cell, Paragraph):
                cell.style = ParagraphStyle("num", parent=CELL, alignment=2)
    return table


# --- the sections --------------------------------------------------------------------------


def _introduction(release: Release) -> list[Flowable]:
    made = formats.date_format(release.made_on, "j F Y")
    return [
        Paragraph(
            _text(
                _("Human trafficking in %(region)s: council report %(year)s")
                % {"region": release.region.name, "year": release.year}
            ),
            TITLE,
        ),
        Paragraph(
            _text(
                _(
                    "Figures from InBeeld, the region's shared system for signals and care, as "
                    "of %(date)s. Counts only, never a person. A count from 1 to %(limit)s is "
                    "shown as “fewer than %(threshold)s”; where a hidden count could be worked "
                    "out from a total, one more count is hidden; a year whose count is hidden "
                    "is withheld as a whole."
                )
                % {"date": made, "limit": release.threshold - 1, "threshold": release.threshold}
            ),
            BODY,
        ),
    ]


def _key_figures(release: Release) -> list[Flowable]:
    rows: list[list[Any]] = [["", str(release.year), str(release.year - 1)]]
    for source in release.sources:
        total = _("withheld") if source.withheld else _count(source.total, release)
        rows.append([source.label, total, _count(source.previous, release)])
        rows += [[f"  {label}", _count(count, release), ""] for label, count in _highlights(source)]
    rows.append([_("Case table meetings"), _count(release.case_table.meetings, release), ""])
    notes = [
        Paragraph(_text(f"{source.label}: {source.counted_by}."), SMALL)
        for source in release.sources
    ]
    return [
        Paragraph(_text(_("Key figures")), H1),
        _table(rows, [9 * cm, 3.5 * cm, 3.5 * cm], numbers=2),
        Spacer(1, 4),
        *notes,
    ]


def _highlights(source: ReleasedSource) -> list[tuple[str, int | None]]:
    """The cells a council member asks for first: presumed or actual victims, cross-border,
    minors. Taken from the suppressed tables, so hidden there is hidden here."""
    wanted = {
        ("outcome", "presumed"),
        ("outcome", "actual"),
        ("border", "cross_border"),
        ("age_band", "minor"),
    }
    found = []
    for table in source.tables:
        for row in table.rows:
            if (table.dimension, row.code) in wanted:
                found.append((_("of which: %(row)s") % {"row": row.label.lower()}, row.count))
    return found


def _line_chart(series: list[tuple[str, list[tuple[int, int]]]]) -> Drawing | None:
    """Lines of (year, count). A year without a count (hidden, or not published) breaks the
    line: drawing through it would suggest a figure that is not there."""
    drawn = [(label, points) for label, points in series if points]
    if not drawn:
        return None
    drawing = Drawing(16 * cm, 5.5 * cm)
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 40, 36, 13 * cm, 3.8 * cm
    runs = [(index, run) for index, (_label, points) in enumerate(drawn) for run in _runs(points)]
    plot.data = [run for _index, run in runs]
    years = [year for _label, points in drawn for year, _n in points]
    plot.xValueAxis.valueMin = min(years) - 0.5
    plot.xValueAxis.valueMax = max(years) + 0.5
    plot.xValueAxis.valueStep = 1 if max(years) - min(years) < 12 else 2
    plot.xValueAxis.labelTextFormat = "%d"
    plot.yValueAxis.valueMin = 0
    for line, (index, _run) in enumerate(runs):
        plot.lines[line].strokeColor = LINE_COLOURS[index % len(LINE_COLOURS)]
        plot.lines[line].strokeWidth = 1.5
        plot.lines[line].symbol = makeMarker("FilledCircle", size=4)
    drawing.add(plot)
    for index, (label, _points) in enumerate(drawn):
        drawing.add(
            String(
                40 + index * 7 * cm,
                8,
                f"— {label}",
                fontSize=8,
                fillColor=LINE_COLOURS[index % len(LINE_COLOURS)],
            )
        )
    return drawing


def _runs(points: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The points in runs of consecutive years."""
    runs: list[list[tuple[int, int]]] = []
    for year, count in sorted(points):
        if runs and runs[-1][-1][0] == year - 1:
            runs[-1].append((year, count))
        else:
            runs.append([(year, count)])
    return runs


def _own_chart(release: Release) -> Drawing | None:
    return _line_chart(
        [
            (
                source.label,
                [(point.year, point.count) for point in source.trend if point.count is not None],
            )
            for source in release.sources
        ]
    )


def _national_chart(release: Release) -> Drawing | None:
    return _line_chart(
        [
            (
                _("Registered presumed victims (national)"),
                [(row.year, row.count) for row in release.national],
            )
        ]
    )


def _trends(release: Release) -> list[Flowable]:
    flows: list[Flowable] = [Paragraph(_text(_("Trends and the national figures")), H1)]
    chart = _own_chart(release)
    if chart is not None:
        flows.append(chart)
    years = sorted({point.year for source in release.sources for point in source.trend})
    rows: list[list[Any]] = [[_("Year"), *(source.label for source in release.sources)]]
    for year in years:
        counts = {
            source.key: next((p.count for p in source.trend if p.year == year), 0)
            for source in release.sources
        }
        rows.append(
            [str(year), *(_count(counts[source.key], release) for source in release.sources)]
        )
    width = 16 * cm / (len(release.sources) + 1)
    flows += [
        Paragraph(_text(_("The area's figures per year")), H2),
        _table(rows, [width] * (len(release.sources) + 1), numbers=len(release.sources)),
        Paragraph(
            _text(
                _(
                    "A hidden year is left out of the chart, not drawn as zero. The national "
                    "series below is the context: it counts presumed victims registered with "
                    "CoMensha, a different count from this region's signals and cases."
                )
            ),
            SMALL,
        ),
        Paragraph(_text(_("Registered presumed victims in the Netherlands")), H2),
    ]
    national_chart = _national_chart(release)
    if national_chart is not None:
        flows.append(national_chart)
    national: list[list[Any]] = [[_("Year"), _("Registered"), _("Source")]]
    national += [[str(row.year), _whole(row.count), row.source] for row in release.national]
    flows.append(_table(national, [1.6 * cm, 2.4 * cm, 12 * cm], numbers=0))
    return flows


class MapFlowable(Flowable):  # type: ignore[misc]
    """The region's municipalities, coloured by their rate per 100,000 inhabitants."""

    def __init__(self, shown: ReleasedMap, threshold: int, width: float, height: float) -> None:
        super().__init__()
        self.shown = shown
        self.threshold = threshold
        self.width = width
        self.height = height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas: Canvas = self.canv
        features = _features()
        rings = {
            area.code: _rings(features[area.code]["geometry"])
            for area in self.shown.areas
            if area.code in features
        }
        points = [point for parts in rings.values() for ring in parts for point in ring]
        if not points:
            return
        legend_width = 5 * cm
        west, east = min(p[0] for p in points), max(p[0] for p in points)
        south, north = min(p[1] for p in points), max(p[1] for p in points)
        squeeze = math.cos(math.radians((south + north) / 2))
        scale = min(
            (self.width - legend_width) / max((east - west) * squeeze, 1e-9),
            self.height / max(north - south, 1e-9),
        )

        def project(x: float, y: float) -> tuple[float, float]:
            return (x - west) * squeeze * scale, (y - south) * scale

        for area in self.shown.areas:
            if area.code not in rings:
                continue
            path = canvas.beginPath()
            for ring in rings[area.code]:
                path.moveTo(*project(*ring[0]))
                for point in ring[1:]:
                    path.lineTo(*project(*point))
                path.close()
            # Grey borders: the lightest shade is near white, and must still show its edge.
            canvas.setStrokeColor(colors.HexColor("#8c8c8c"))
            canvas.setLineWidth(0.5)
            if area.shade is None:
                self._hatched(canvas, path)
            else:
                canvas.setFillColor(colors.HexColor(SHADES[area.shade]))
                canvas.drawPath(path, stroke=1, fill=1)
        self._legend(canvas, self.width - legend_width + 0.4 * cm)

    def _hatched(self, canvas: Canvas, path: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(HIDDEN))
        canvas.drawPath(path, stroke=1, fill=1)
        canvas.clipPath(path, stroke=0, fill=0)
        canvas.setStrokeColor(colors.HexColor("#888888"))
        canvas.setLineWidth(0.8)
        step = 5
        for offset in range(-int(self.height), int(self.width), step):
            canvas.line(offset, 0, offset + self.height, self.height)
        canvas.restoreState()

    def _legend(self, canvas: Canvas, x: float) -> None:
        y = self.height - 14
        canvas.setFont("Helvetica-Bold", 8)
        canvas.setFillColor(colors.black)
        canvas.drawString(x, y, _("Per 100,000"))
        canvas.setFont("Helvetica", 8)
        for item in self.shown.legend:
            y -= 14
            canvas.setFillColor(colors.HexColor(item.shade))
            canvas.setStrokeColor(colors.HexColor("#666666"))
            canvas.rect(x, y - 2, 10, 10, stroke=1, fill=1)
            canvas.setFillColor(colors.black)
            canvas.drawString(x + 14, y, f"{_decimal(item.low, 1)} – {_decimal(item.high, 1)}")
        y -= 14
        box = canvas.beginPath()
        box.rect(x, y - 2, 10, 10)
        canvas.setStrokeColor(colors.HexColor("#666666"))
        self._hatched(canvas, box)
        canvas.setFillColor(colors.black)
        canvas.drawString(
            x + 14, y, _("fewer than %(threshold)s or withheld") % {"threshold": self.threshold}
        )


def _maps(release: Release) -> list[Flowable]:
    flows: list[Flowable] = [
        Paragraph(_text(_("Map")), H1),
        Paragraph(
            _text(
                _(
                    "Per 100,000 inhabitants (CBS), so that large and small municipalities can "
                    "be compared; the darker, the more. A hatched municipality has a count "
                    "that is hidden. Boundaries: CBS/PDOK, simplified for display."
                )
            ),
            SMALL,
        ),
    ]
    if not release.maps:
        flows.append(Paragraph(_text(_("Withheld: too few to show for this selection")), BODY))
    for shown in release.maps:
        rows: list[list[Any]] = [[_("Municipality"), _number(), _("Inhabitants"), _("Per 100,000")]]
        for area in shown.areas:
            rate = "–" if area.rate is None else _decimal(area.rate, 1)
            rows.append([area.name, _count(area.count, release), _whole(area.population), rate])
        flows.append(
            KeepTogether(
                [
                    Paragraph(_text(shown.title), H2),
                    MapFlowable(shown, release.threshold, 16 * cm, 7.5 * cm),
                ]
            )
        )
        flows.append(_table(rows, [7 * cm, 3 * cm, 3 * cm, 3 * cm], numbers=3))
    return flows


def _released_table(table: ReleasedTable, release: Release, width: float) -> list[Flowable]:
    rows: list[list[Any]] = [[table.title, _number()]]
    if table.withheld:
        rows.append([_("Withheld: too few to show for this selection"), ""])
    rows += [[row.label, _count(row.count, release)] for row in table.rows]
    rows.append([_("Total"), _count(table.total, release)])
    flows: list[Flowable] = [_table(rows, [width - 2.6 * cm, 2.6 * cm])]
    if table.multi:
        flows.append(Paragraph(_text(_("One record can count in more than one row.")), SMALL))
    return flows


def _side_by_side(blocks: list[list[Flowable]]) -> list[Flowable]:
    """Small tables two to a row, to keep the report to a few pages."""
    rows = []
    for index in range(0, len(blocks), 2):
        pair = blocks[index : index + 2]
        rows.append([*pair, *([""] * (2 - len(pair)))])
    if not rows:
        return []
    grid = Table(rows, colWidths=[8.1 * cm, 8.1 * cm], hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return [grid]


def _breakdowns(release: Release) -> list[Flowable]:
    flows: list[Flowable] = []
    for source in release.sources:
        flows.append(
            Paragraph(
                _text(_("%(source)s in %(year)s") % {"source": source.label, "year": release.year}),
                H1,
            )
        )
        if source.withheld:
            flows.append(Paragraph(_text(_("Withheld: too few to show for this selection")), BODY))
            continue
        shown = [t for t in source.tables if t.dimension != "municipality"]
        flows += _side_by_side([_released_table(t, release, 7.9 * cm) for t in shown])
    return flows


def expected_paragraphs(release: Release) -> list[str]:
    """The expected number in words: the dashboard's sentences (the same translations)."""
    e = release.expected
    paragraphs = [
        _(
            "The share used is the <strong>population share</strong>: %(area)s had "
            "%(population)s inhabitants of %(national_population)s in the Netherlands (CBS, 1 "
            "January %(year)s), %(share)s%%. In %(national_year)s, %(national)s presumed "
            "victims were registered nationally. At the national rate %(area)s would register "
            "%(national)s × %(population)s / %(national_population)s = "
            "<strong>%(expected)s</strong>; by chance alone a year's count would then lie "
            "between %(low)s and %(high)s (19 times out of 20)."
        )
        % {
            "area": _text(e.area),
            "population": _whole(e.population),
            "national_population": _whole(e.national_population),
            "year": e.population_year,
            "share": _decimal(e.share_percent, 3),
            "national": _whole(e.national.count),
            "national_year": e.national.year,
            "expected": _decimal(e.expected, 1),
            "low": e.interval[0],
            "high": e.interval[1],
        }
    ]
    seen = "; ".join(
        f"{_text(label)}: "
        + (
            _("fewer than %(threshold)s or withheld") % {"threshold": release.threshold}
            if count is None
            else _whole(count)
        )
        for _key, label, count in release.seen
    )
    paragraphs.append(
        _("What the area recorded in %(year)s:") % {"year": e.national.year} + f" {seen}."
    )
    for u in e.unseen:
        paragraphs.append(
            _(
                "For %(period)s the national estimate is %(point)s victims a year (between "
                "%(low)s and %(high)s), while %(registered)s a year were registered: about "
                "%(times)s times as many (between %(times_low)s and %(times_high)s). With the "
                "same share, %(area)s would have about %(total)s victims a year (between "
                "%(total_low)s and %(total_high)s), of whom about %(unseen)s not registered "
                "(between %(unseen_low)s and %(unseen_high)s)."
            )
            % {
                "period": _text(u.estimate.period),
                "point": _whole(u.estimate.point),
                "low": _whole(u.estimate.low),
                "high": _whole(u.estimate.high),
                "registered": _whole(u.registered_then),
                "times": _decimal(u.times_point, 1),
                "times_low": _decimal(u.times_low, 1),
                "times_high": _decimal(u.times_high, 1),
                "area": _text(e.area),
                "total": _whole(u.total_point),
                "total_low": _whole(u.total_low),
                "total_high": _whole(u.total_high),
                "unseen": _whole(u.unseen_point),
                "unseen_low": _whole(u.unseen_low),
                "unseen_high": _whole(u.unseen_high),
            }
        )
    paragraphs.append(
        _(
            "For a council member: this is arithmetic, not a count. It assumes that "
            "trafficking is spread over the country like its inhabitants, which it is not: "
            "ports, greenhouses, distribution centres and prostitution areas draw more, a "
            "quiet village less. A registered number far below the expected one can mean "
            "that victims are not being seen, or that there are fewer; the difference is a "
            "question to ask, not an answer. The estimates of the unseen number are national "
            "and a few years old; they say how large the gap may be, not where it is."
        )
    )
    return [text.replace("<strong>", "<b>").replace("</strong>", "</b>") for text in paragraphs]


def _expected(release: Release) -> list[Flowable]:
    return [
        Paragraph(_text(_("The expected and the unseen number")), H1),
        *(Paragraph(text, BODY) for text in expected_paragraphs(release)),
    ]


def _case_table(release: Release) -> list[Flowable]:
    figures = release.case_table
    return [
        Paragraph(_text(_("What the case table did in %(year)s") % {"year": release.year}), H1),
        Paragraph(
            _text(
                _(
                    "The regional case table (overlegtafel) decides who takes on a signal or a "
                    "case. Meetings held in %(year)s: %(meetings)s. A decision later revised "
                    "still counts: it was a decision of the table."
                )
                % {"year": release.year, "meetings": _count(figures.meetings, release)}
            ),
            BODY,
        ),
        *_side_by_side(
            [
                _released_table(figures.items, release, 7.9 * cm),
                _released_table(figures.decisions, release, 7.9 * cm),
                _released_table(figures.lead_partners, release, 7.9 * cm),
            ]
        ),
    ]


def cannot_say() -> list[str]:
    return [
        _(
            "These are the records in InBeeld, not all victims: most victims are never "
            "reported. The expected and the unseen number above say how large that gap may "
            "be; they are estimates from national figures, not counts of this region."
        ),
        _(
            "A signal is a concern, not an established case of trafficking; a case is a "
            "presumed victim, not a conviction. One person can be the subject of more than "
            "one signal."
        ),
        _(
            "A rise or fall between years can come from more or less attention, training, "
            "outreach or a change in who reports, as much as from more or less trafficking."
        ),
        _(
            "Small numbers are hidden, so rows and columns need not add up to what is "
            "shown, and a hidden number is not zero."
        ),
        _(
            "The place is the place of the crime as recorded, which is often unknown; a "
            "municipality without signals is not a municipality without trafficking."
        ),
        _(
            "Records whose processing is restricted at a person's request (AVG article 18) "
            "are not counted; records whose details were erased still are."
        ),
        _(
            "Cross-border counts only where the case records where recruitment or "
            "exploitation happened; the figures say nothing about individual people."
        ),
    ]


def _cannot_say() -> list[Flowable]:
    return [
        Paragraph(_text(_("What these figures cannot say")), H1),
        *(Paragraph("• " + _text(text), BODY) for text in cannot_say()),
    ]


def _footer(region: Region, year: int) -> Callable[[Canvas, Any], None]:
    label = _("InBeeld · council report %(region)s %(year)s") % {
        "region": region.name,
        "year": year,
    }
    page_word = _("page")

    def draw(canvas: Canvas, document: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(2 * cm, 1.2 * cm, label)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"{page_word} {document.page}")
        canvas.restoreState()

    return draw


def council_report_pdf(release: Release, *, language: str = "nl") -> bytes:
    """The report of ``release`` as PDF bytes, in ``language`` (nl or en)."""
    with override(language):
        buffer = BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=2 * cm,
            rightMargin=2 * cm,
            topMargin=1.8 * cm,
            bottomMargin=2 * cm,
            title=_("Council report %(region)s %(year)s")
            % {"region": release.region.name, "year": release.year},
            author="InBeeld",
            subject=_("Human trafficking: figures and what they cannot say"),
            lang=language,
        )
        story: list[Flowable] = [
            *_introduction(release),
            *_key_figures(release),
            *_expected(release),
            PageBreak(),
            *_trends(release),
            PageBreak(),
            *_maps(release),
            PageBreak(),
            *_breakdowns(release),
            *_case_table(release),
            *_cannot_say(),
        ]
        footer = _footer(release.region, release.year)
        document.build(story, onFirstPage=footer, onLaterPages=footer)
        return buffer.getvalue()
