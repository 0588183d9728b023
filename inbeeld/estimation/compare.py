"""Every applicable method on one table, side by side, and what their spread means.

On the UK data the stepwise method says about 11,400 and BIC over all hierarchical
models about 25,000; dga and LCMCR land in between or beyond. Each rests on a different
assumption about how lists depend on each other and how visible people are, and the
data cannot tell which is right. The comparison shows the spread instead of one number.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from inbeeld.estimation.limits import LIST_RANGE
from inbeeld.estimation.report import format_number
from inbeeld.estimation.result import EstimationResult
from inbeeld.estimation.table import CaptureTable

# (method, what it assumes, in Dutch and English)
METHODS: tuple[tuple[str, dict[str, str]], ...] = (
    (
        "stepwise",
        {
            "nl": "stapsgewijs gekozen log-lineair model (SparseMSE)",
            "en": "log-linear model chosen stepwise (SparseMSE)",
        },
    ),
    (
        "bic",
        {
            "nl": "hiërarchisch model met de kleinste BIC (MultipleSystemsEstimation)",
            "en": "hierarchical model with the smallest BIC (MultipleSystemsEstimation)",
        },
    ),
    (
        "dga",
        {
            "nl": "gemiddelde over grafen van samenhang tussen lijsten (dga)",
            "en": "average over graphs of dependence between lists (dga)",
        },
    ),
    (
        "lcmcr",
        {
            "nl": "groepen mensen die verschillen in zichtbaarheid (LCMCR)",
            "en": "groups of people who differ in visibility (LCMCR)",
        },
    ),
)
BIC_MAX_LISTS = 5  # as "auto": above this BIC's 32,768 models are left to stepwise
INTERVAL_KINDS = {
    "nl": {
        "bca": "bootstrap (BCa)",
        "posterior": "posterior",
        "model-conditional": "gegeven model",
    },
    "en": {"bca": "bootstrap (BCa)", "posterior": "posterior", "model-conditional": "given model"},
}


@dataclass
class Row:
    """One method's outcome: its result, or why it has none here."""

    method: str
    result: EstimationResult | None = None
    problem: str = ""  # "not_applicable" or "no_estimate"
    detail: str = ""


@dataclass
class Comparison:
    lists: tuple[str, ...]
    observed: int
    rows: list[Row] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def estimated(self) -> list[Row]:
        return [row for row in self.rows if row.result is not None]

    def spread(self) -> dict[str, Any] | None:
        """Lowest and highest estimate, their ratio, and the range of all intervals."""
        rows = self.estimated
        if not rows:
            return None
        results = [row.result for row in rows if row.result is not None]
        low = min(results, key=lambda r: r.estimate)
        high = max(results, key=lambda r: r.estimate)
        return {
            "lowest": low.estimate,
            "lowest_method": low.method,
            "highest": high.estimate,
            "highest_method": high.method,
            "ratio": high.estimate / low.estimate if low.estimate > 0 else None,
            "interval_low": min(r.interval[0] for r in results),
            "interval_high": max(r.interval[1] for r in results),
            "intervals_overlap": max(r.interval[0] for r in results)
            <= min(r.interval[1] for r in results),
        }

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "lists": list(self.lists),
            "observed": self.observed,
            "methods": [_row_dict(row) for row in self.rows],
            "spread": self.spread(),
            "reading": reading(self, lang),
            "seconds": self.seconds,
        }


def _row_dict(row: Row) -> dict[str, Any]:
    if row.result is None:
        return {"method": row.method, "problem": row.problem, "detail": row.detail}
    result = row.result
    low, high = result.interval
    return {
        "method": row.method,
        "estimate": result.estimate,
        "ci_low": low,
        "ci_high": high,
        "interval": result.interval_kind,
        "model": list(result.model),
        "parameters": dict(result.parameters),
        "warning_codes": [warning.to_dict() for warning in result.warnings],
        "seconds": result.seconds,
    }


def applicable(method: str, n_lists: int) -> bool:
    fewest, most = LIST_RANGE[method]
    if method == "bic":
        most = min(most, BIC_MAX_LISTS)
    return fewest <= n_lists <= most


def compare(
    table: CaptureTable,
    *,
    bootstrap: int = 1000,
    seed: int | None = 1234,
    level: float = 0.95,
    workers: int | None = None,
) -> Comparison:
    """Run every method that applies to the table (bootstrap methods with ``bootstrap``
    replicates, LCMCR with its defaults and ``seed``)."""
    from inbeeld.estimation.population import estimate
    from inbeeld.estimation.selection import NoEstimateError

    started = time.perf_counter()
    comparison = Comparison(lists=table.lists, observed=table.observed)
    for method, _words in METHODS:
        if not applicable(method, table.n_lists):
            comparison.rows.append(Row(method=method, problem="not_applicable"))
            continue
        options: dict[str, Any] = {"method": method, "seed": seed, "level": level}
        if method in ("stepwise", "bic"):
            options["bootstrap"] = bootstrap
        if method == "stepwise":
            options["workers"] = workers
        try:
            result = estimate(table, **options)
        except NoEstimateError as error:
            comparison.rows.append(Row(method=method, problem="no_estimate", detail=str(error)))
            continue
        comparison.rows.append(Row(method=method, result=result))
    comparison.seconds = time.perf_counter() - started
    return comparison


HEADERS: dict[str, tuple[str, ...]] = {
    "nl": ("methode", "schatting", "{level}-interval", "soort interval", "tijd"),
    "en": ("method", "estimate", "{level} interval", "kind of interval", "time"),
}
_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Vergelijking van methoden (Multiple Systems Estimation)",
        "observed": "Gezien (op minstens één lijst)",
        "not_applicable": "niet bij {n} lijsten",
        "no_estimate": "geen schatting mogelijk",
        "assumes": "Wat elke methode aanneemt",
        "reading": (
            "De methoden geven tussen {lowest} ({lowest_method}) en {highest} "
            "({highest_method}) mensen in totaal; de hoogste is {ratio} keer de laagste. Ze "
            "verschillen omdat elke methode iets anders aanneemt over hoe de lijsten met "
            "elkaar samenhangen en hoe zichtbaar mensen zijn, en de gegevens kunnen niet "
            "laten zien welke aanname klopt. Noem daarom de bandbreedte, niet één getal: "
            "alle intervallen samen lopen van {interval_low} tot {interval_high}."
        ),
        "disjoint": (
            " De intervallen overlappen niet allemaal: de keuze van de methode weegt hier "
            "zwaarder dan het toeval."
        ),
        "kinds": (
            " Een bootstrapinterval zegt hoe sterk de uitkomst door toeval in de gegevens "
            "kan verschillen; een posteriorinterval geeft de kans gegeven het model en de "
            "a-prioriverdeling. Geen van beide neemt de onzekerheid over de methode zelf mee."
        ),
        "none": "Geen enkele methode kan uit deze lijsten een schatting maken.",
        "seconds": "Rekentijd",
        "warnings": "Let op",
    },
    "en": {
        "title": "Comparison of methods (Multiple Systems Estimation)",
        "observed": "Observed (on at least one list)",
        "not_applicable": "not for {n} lists",
        "no_estimate": "no estimate possible",
        "assumes": "What each method assumes",
        "reading": (
            "The methods give between {lowest} ({lowest_method}) and {highest} "
            "({highest_method}) people in total; the highest is {ratio} times the lowest. "
            "They differ because each assumes something different about how the lists "
            "depend on each other and how visible people are, and the data cannot show "
            "which assumption holds. Report the range, not one number: all intervals "
            "together run from {interval_low} to {interval_high}."
        ),
        "disjoint": (
            " The intervals do not all overlap: the choice of method weighs more here than "
            "chance does."
        ),
        "kinds": (
            " A bootstrap interval says how much the answer could differ by chance in the "
            "data; a posterior interval gives the probability given the model and its prior. "
            "Neither allows for the uncertainty about the method itself."
        ),
        "none": "No method can make an estimate from these lists.",
        "seconds": "Computing time",
        "warnings": "Note",
    },
}


def reading(comparison: Comparison, lang: str) -> str:
    """The paragraph on what the spread means, in plain Dutch or English."""
    text = _TEXT[lang]
    spread = comparison.spread()
    if spread is None:
        return text["none"]
    ratio = spread["ratio"]
    ratio_text = "—" if ratio is None else f"{ratio:.1f}"
    paragraph = text["reading"].format(
        lowest=format_number(spread["lowest"], lang),
        lowest_method=spread["lowest_method"],
        highest=format_number(spread["highest"], lang),
        highest_method=spread["highest_method"],
        ratio=ratio_text.replace(".", ",") if lang == "nl" else ratio_text,
        interval_low=format_number(spread["interval_low"], lang),
        interval_high=format_number(spread["interval_high"], lang),
    )
    if not spread["intervals_overlap"]:
        paragraph += text["disjoint"]
    return paragraph + text["kinds"]


def render(comparison: Comparison, lang: str = "nl", source: str | None = None) -> str:
    """The comparison as a text table with the reading under it."""
    text = _TEXT[lang]
    level = "95%"
    lines = [text["title"]]
    if source:
        lines.append(source)
    lines.append(f"{text['observed']}: {format_number(comparison.observed, lang)}")
    lines.append("")
    header = HEADERS[lang]
    lines.append(
        f"{header[0]:<10} {header[1]:>10}  {header[2].format(level=level):<21} "
        f"{header[3]:<17} {header[4]:>6}"
    )
    for row in comparison.rows:
        if row.result is None:
            why = text[row.problem].format(n=len(comparison.lists))
            lines.append(f"{row.method:<10} {'—':>10}  {why}")
            continue
        result = row.result
        low, high = result.interval
        interval = f"{format_number(low, lang)} – {format_number(high, lang)}"
        seconds = f"{result.seconds:.1f} s"
        lines.append(
            f"{row.method:<10} {format_number(result.estimate, lang):>10}  {interval:<21} "
            f"{INTERVAL_KINDS[lang][result.interval_kind]:<17} "
            f"{seconds.replace('.', ',') if lang == 'nl' else seconds:>6}"
        )
    noted = [
        (row.method, warning)
        for row in comparison.rows
        if row.result is not None
        for warning in row.result.warnings
    ]
    if noted:
        lines.append("")
        lines.append(f"{text['warnings']}:")
        lines += [f"  - {method}: {warning.text(lang)}" for method, warning in noted]
    lines.append("")
    lines.append(f"{text['assumes']}:")
    for method, words in METHODS:
        lines.append(f"  {method:<9} {words[lang]}")
    lines.append("")
    lines.append(reading(comparison, lang))
    seconds = f"{comparison.seconds:.1f} s"
    lines.append(f"{text['seconds']}: {seconds.replace('.', ',') if lang == 'nl' else seconds}")
    return "\n".join(lines) + "\n"
