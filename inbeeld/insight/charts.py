"""An UpSet picture of the overlap between lists: how many people are on which lists.

Drawn with matplotlib and returned as a data URI, so that the page shows it as an image
under the Content-Security-Policy (an inline SVG would carry an inline style element).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

BAR_COLOUR = "#154273"


def upset_data_uri(
    sources: Sequence[str], histories: Sequence[tuple[Sequence[int], int]], *, title: str
) -> str:
    rows = sorted((item for item in histories if any(item[0])), key=lambda item: -item[1])
    figure, (bars, matrix) = plt.subplots(
        2,
        1,
        figsize=(max(4.0, 0.55 * len(rows) + 2.5), 1.6 + 0.45 * len(sources) + 2.2),
        gridspec_kw={"height_ratios": [3, max(1, len(sources)) * 0.45]},
        sharex=True,
    )
    positions = range(len(rows))
    counts = [count for _pattern, count in rows]
    bars.bar(positions, counts, color=BAR_COLOUR)
    for x, count in zip(positions, counts, strict=True):
        bars.annotate(str(count), (x, count), ha="center", va="bottom", fontsize=9)
    bars.set_title(title, fontsize=11, loc="left")
    bars.spines[["top", "right"]].set_visible(False)
    for x, (pattern, _count) in enumerate(rows):
        on = [y for y, bit in enumerate(pattern) if bit]
        matrix.scatter([x] * len(sources), range(len(sources)), color="#d0d7de", s=40)
        matrix.scatter([x] * len(on), on, color=BAR_COLOUR, s=40)
        if len(on) > 1:
            matrix.plot([x, x], [min(on), max(on)], color=BAR_COLOUR, linewidth=2)
    matrix.set_yticks(range(len(sources)), labels=list(sources))
    matrix.invert_yaxis()
    matrix.set_xticks([])
    for side in ("top", "right", "bottom", "left"):
        matrix.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
