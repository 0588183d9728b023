"""A picture of an estimate for a policy adviser: seen versus estimated, and how sure.

Left: a bar for the people seen and a bar for the estimated total, with the interval as a
whisker. Right: the bootstrap distribution of the total (when a bootstrap was run) with
the interval shaded and the observed count marked, so that the spread is visible.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from inbeeld.estimation.report import format_number
from inbeeld.estimation.result import EstimationResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from inbeeld.estimation.compare import Comparison

PLOT_SUFFIXES = (".png", ".svg")

_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Hoeveel mensen zijn er naar schatting? (Multiple Systems Estimation)",
        "seen": "Gezien\n(op een lijst)",
        "unseen": "niet gezien",
        "total": "Geschat totaal",
        "people": "Aantal mensen",
        "interval": "{level}-interval",
        "spread": "Spreiding van de schatting over {n} bootstrap-herhalingen",
        "draws": "Spreiding van {n} trekkingen uit de posterior",
        "none_model-conditional": "Geen bootstrap gedaan: interval gegeven het gekozen model",
        "none_posterior": "Posteriorinterval (exact berekend, zonder trekkingen)",
        "none_bca": "",
        "frequency": "Aantal herhalingen",
        "estimate": "Schatting",
        "observed": "Gezien",
        "lists": "Lijsten",
    },
    "en": {
        "title": "How many people are there? (Multiple Systems Estimation)",
        "seen": "Seen\n(on a list)",
        "unseen": "not seen",
        "total": "Estimated total",
        "people": "Number of people",
        "interval": "{level} interval",
        "spread": "Spread of the estimate over {n} bootstrap replicates",
        "draws": "Spread of {n} draws from the posterior",
        "none_model-conditional": "No bootstrap run: interval given the chosen model",
        "none_posterior": "Posterior interval (computed exactly, without draws)",
        "none_bca": "",
        "frequency": "Replicates",
        "estimate": "Estimate",
        "observed": "Seen",
        "lists": "Lists",
    },
}

SEEN_COLOUR = "#4d4d4d"
TOTAL_COLOUR = "#c0392b"
BAND_COLOUR = "#f5b7b1"
HIST_COLOUR = "#95a5a6"


def save_plot(result: EstimationResult, path: str | Path, lang: str = "nl") -> None:
    """Write the picture as PNG or SVG (by the file's suffix)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    target = Path(path)
    if target.suffix.lower() not in PLOT_SUFFIXES:
        raise ValueError(f"plot file must end in .png or .svg, not {target.suffix!r}")
    labels = _LABELS[lang]
    level = f"{result.level * 100:g}%"
    figure, (bars, spread) = plt.subplots(
        1, 2, figsize=(12, 5), gridspec_kw={"width_ratios": [1.1, 2]}
    )
    figure.suptitle(labels["title"], fontsize=13, fontweight="bold")
    _draw_bars(bars, result, labels, level, lang)
    _draw_spread(spread, result, labels, level, lang)
    figure.text(
        0.01,
        0.01,
        f"{labels['lists']}: {', '.join(result.lists)}",
        fontsize=8,
        color="#555555",
    )
    figure.tight_layout(rect=(0, 0.03, 1, 0.95))
    figure.savefig(target, dpi=120)
    plt.close(figure)


def _draw_bars(
    ax: Axes, result: EstimationResult, labels: dict[str, str], level: str, lang: str
) -> None:
    """Seen, and the estimated total as seen (grey) plus not seen (red), with interval."""
    low, high = result.interval
    whisker = 1.45  # the interval stands beside the bar, so it hides no label
    ax.bar([0, 1], [result.observed, result.observed], color=SEEN_COLOUR, width=0.6)
    ax.bar([1], [result.dark_figure], bottom=[result.observed], color=TOTAL_COLOUR, width=0.6)
    ax.errorbar(
        [whisker],
        [result.estimate],
        yerr=[[result.estimate - low], [high - result.estimate]],
        color="black",
        capsize=8,
        linewidth=1.5,
        marker="o",
        markersize=5,
    )
    ax.plot(
        [1.3, whisker],
        [result.estimate, result.estimate],
        color="black",
        linewidth=0.8,
        linestyle=":",
    )
    ax.text(
        0,
        result.observed,
        format_number(result.observed, lang),
        ha="center",
        va="bottom",
        fontsize=11,
        fontweight="bold",
    )
    ax.text(
        1,
        result.estimate,
        format_number(result.estimate, lang),
        ha="center",
        va="bottom",
        fontsize=12,
        fontweight="bold",
        color=TOTAL_COLOUR,
    )
    if result.dark_figure > 0.12 * high:
        ax.text(
            1,
            result.observed + result.dark_figure / 2,
            f"{labels['unseen']}\n{format_number(result.dark_figure, lang)}",
            ha="center",
            va="center",
            fontsize=9,
            color="white",
            fontweight="bold",
        )
    ax.text(
        whisker,
        high,
        f"{labels['interval'].format(level=level)}:\n"
        f"{format_number(low, lang)} – {format_number(high, lang)}",
        ha="center",
        va="bottom",
        fontsize=9,
    )
    ax.set_xticks([0, 1], [labels["seen"], labels["total"]], fontsize=9)
    ax.set_ylabel(labels["people"])
    ax.set_ylim(0, high * 1.2)
    ax.set_xlim(-0.5, 1.95)
    _thousands_axis(ax, lang, "y")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _draw_spread(
    ax: Axes, result: EstimationResult, labels: dict[str, str], level: str, lang: str
) -> None:
    low, high = result.interval
    ax.axvspan(
        low, high, color=BAND_COLOUR, alpha=0.6, label=labels["interval"].format(level=level)
    )
    values = result.replicates or result.posterior_draws
    if values:
        title = "spread" if result.replicates else "draws"
        ax.hist(values, bins=40, color=HIST_COLOUR, edgecolor="white")
        ax.set_title(labels[title].format(n=format_number(len(values), lang)), fontsize=10)
        ax.set_ylabel(labels["frequency"])
    else:
        ax.set_title(labels[f"none_{result.interval_kind}"], fontsize=10)
        ax.set_yticks([])
    ax.axvline(
        result.estimate,
        color=TOTAL_COLOUR,
        linewidth=2.5,
        label=f"{labels['estimate']}: {format_number(result.estimate, lang)}",
    )
    ax.axvline(
        result.observed,
        color=SEEN_COLOUR,
        linewidth=2,
        linestyle="--",
        label=f"{labels['observed']}: {format_number(result.observed, lang)}",
    )
    ax.set_xlabel(labels["people"])
    ax.set_xlim(left=0)
    _thousands_axis(ax, lang, "x")
    ax.legend(loc="upper right", fontsize=9, frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _thousands_axis(ax: Axes, lang: str, which: str) -> None:
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda value, _position: format_number(value, lang))
    axis = ax.yaxis if which == "y" else ax.xaxis
    axis.set_major_formatter(formatter)


_COMPARE_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Hoeveel mensen zijn er naar schatting? Elke methode naast elkaar",
        "people": "Aantal mensen (gezien en niet gezien)",
        "observed": "Gezien",
        "bca": "bootstrapinterval",
        "posterior": "posteriorinterval",
        "model-conditional": "interval gegeven het model",
    },
    "en": {
        "title": "How many people are there? Every method side by side",
        "people": "Number of people (seen and unseen)",
        "observed": "Seen",
        "bca": "bootstrap interval",
        "posterior": "posterior interval",
        "model-conditional": "interval given the model",
    },
}


def save_comparison_plot(comparison: Comparison, path: str | Path, lang: str = "nl") -> None:
    """One row per method: the estimate with its 95 % interval, and the number seen."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    target = Path(path)
    if target.suffix.lower() not in PLOT_SUFFIXES:
        raise ValueError(f"plot file must end in .png or .svg, not {target.suffix!r}")
    labels = _COMPARE_LABELS[lang]
    rows = [(row.method, row.result) for row in comparison.rows if row.result is not None]
    figure, ax = plt.subplots(figsize=(10, 1.2 + 0.8 * max(len(rows), 1)))
    for position, (_method, result) in enumerate(reversed(rows)):
        low, high = result.interval
        ax.plot([low, high], [position, position], color=TOTAL_COLOUR, linewidth=3)
        ax.plot([result.estimate], [position], "o", color="black", markersize=7)
        ax.text(
            high,
            position + 0.18,
            f"{format_number(result.estimate, lang)} ({format_number(low, lang)} – "
            f"{format_number(high, lang)}, {labels[result.interval_kind]})",
            fontsize=8,
            ha="right",
            va="bottom",
        )
    ax.axvline(comparison.observed, color=SEEN_COLOUR, linestyle="--", linewidth=1.5)
    ax.text(comparison.observed, len(rows) - 0.4, f" {labels['observed']}", fontsize=8)
    ax.set_yticks(range(len(rows)), [method for method, _result in reversed(rows)])
    ax.set_ylim(-0.6, len(rows) - 0.2)
    ax.set_xlim(left=0)
    ax.set_xlabel(labels["people"])
    ax.set_title(labels["title"], fontsize=11, fontweight="bold")
    _thousands_axis(ax, lang, "x")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    figure.tight_layout()
    figure.savefig(target, dpi=120)
    plt.close(figure)
