"""An UpSet picture of the overlap between lists: how many people are on which lists.

Drawn with matplotlib and returned as a data URI, so that the page shows it as an image
under the Content-Security-Policy (an inline SVG would carry an inline style element).
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.text import Text

BAR_COLOUR = "#154273"
TITLE_SIZE = 11
MARGIN_INCHES = 0.3
LABEL_CHARACTERS = 30  # an organisation's name wraps after this many characters a line


def upset_data_uri(
    labels: Sequence[str], histories: Sequence[tuple[Sequence[int], int]], *, title: str
) -> str:
    """The picture as an SVG data URI; ``labels`` name the lists (organisations), in order."""
    figure = upset_figure(labels, histories, title=title)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def upset_figure(
    labels: Sequence[str], histories: Sequence[tuple[Sequence[int], int]], *, title: str
) -> Figure:
    """Bars of people per combination of lists, over a matrix of which lists each holds."""
    sources = [textwrap.fill(label, LABEL_CHARACTERS) for label in labels]
    rows = sorted((item for item in histories if any(item[0])), key=lambda item: -item[1])
    lines = sum(label.count("\n") + 1 for label in sources)
    plot_width = 0.55 * len(rows) + 1.0
    figure, (bars, matrix) = plt.subplots(
        2,
        1,
        figsize=(max(4.0, plot_width + 1.5), 1.6 + 0.3 * lines + 0.15 * len(sources) + 2.2),
        gridspec_kw={"height_ratios": [3, max(1, len(sources)) * 0.45]},
        sharex=True,
    )
    positions = range(len(rows))
    counts = [count for _pattern, count in rows]
    bars.bar(positions, counts, color=BAR_COLOUR)
    for x, count in zip(positions, counts, strict=True):
        bars.annotate(str(count), (x, count), ha="center", va="bottom", fontsize=9)
    bars.spines[["top", "right"]].set_visible(False)
    for x, (pattern, _count) in enumerate(rows):
        on = [y for y, bit in enumerate(pattern) if bit]
        matrix.scatter([x] * len(sources), range(len(sources)), color="#d0d7de", s=40)
        matrix.scatter([x] * len(on), on, color=BAR_COLOUR, s=40)
        if len(on) > 1:
            matrix.plot([x, x], [min(on), max(on)], color=BAR_COLOUR, linewidth=2)
    matrix.set_yticks(range(len(sources)), labels=sources)
    matrix.invert_yaxis()
    matrix.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        matrix.spines[side].set_visible(False)
    heading = figure.suptitle(title, x=0.02, ha="left", fontsize=TITLE_SIZE)
    _widen_to_fit(figure, heading_width=_inches(figure, heading), plot_width=plot_width)
    figure.tight_layout()
    return figure


def _inches(figure: Figure, *texts: Text) -> float:
    widths: list[float] = [text.get_window_extent().width for text in texts]
    return max(widths) / figure.dpi


def _widen_to_fit(figure: Figure, *, heading_width: float, plot_width: float) -> None:
    """Make the figure wide enough for the title and for the list names beside the plot.

    The title over the whole figure, from its left edge: on the bars' axes it started
    right of the list names and ran off the picture.
    """
    names_width = _inches(figure, *figure.axes[1].get_yticklabels())
    needed = max(heading_width, names_width + plot_width) + MARGIN_INCHES
    figure.set_figwidth(max(figure.get_figwidth(), needed))
