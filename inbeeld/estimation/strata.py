"""Estimates per stratum (form of exploitation, age band, …) and their total.

The Dutch national estimates are made per stratum and added up: people in different
strata differ in how visible they are, and estimating each group on its own removes that
part of the heterogeneity (docs/estimation.md, "What MSE assumes", 4). The input is the
usual table with one more column, named with ``--strata``, whose value says which
stratum a row belongs to.

A list with nobody in a stratum is left out of that stratum's table (it cannot say
anything about that stratum) and the output says so. The total is the sum of the strata's
estimates; its interval comes from the sum of independent draws: bootstrap replicates
(each stratum resampled on its own, seed + stratum number), LCMCR's posterior draws, or
for dga the exact convolution of the strata's posteriors.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from inbeeld.estimation.table import (
    COUNT_COLUMN,
    CaptureTable,
    TableError,
    _delimiter,
    build_table,
    decode_text,
)

BOOTSTRAP_METHODS = ("stepwise", "fixed", "main", "bic", "auto")


@dataclass(frozen=True)
class Stratum:
    """One stratum's table, the lists left out of it, or why it has none."""

    name: str
    table: CaptureTable | None
    dropped: tuple[str, ...] = ()
    problem: str = ""


def read_strata(path: str | Path, column: str) -> tuple[tuple[str, ...], list[Stratum]]:
    """The lists of the file and one :class:`Stratum` per value of ``column``, in order of
    first appearance. Errors name the line, as for a plain table."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise TableError(f"cannot read file: {error.strerror or error}") from None
    return parse_strata_text(decode_text(raw), column)


def parse_strata_text(text: str, column: str) -> tuple[tuple[str, ...], list[Stratum]]:
    lines = text.lstrip("\ufeff").splitlines()
    if not any(line.strip() for line in lines):
        raise TableError("empty file: expected a header with list columns and 'count'", 1)
    first = next(i for i, line in enumerate(lines) if line.strip())
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=_delimiter(lines[first]))
    header: list[str] | None = None
    header_line = 0
    groups: dict[str, list[tuple[list[str], str, int]]] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header, header_line = [cell.strip() for cell in record], line
            if column not in header:
                raise TableError(
                    f"no column '{column}' for --strata in the header "
                    f"(columns: {', '.join(header)})",
                    line,
                )
            continue
        if len(record) != len(header):
            raise TableError(
                f"{len(record)} fields, but the header on line {header_line} has {len(header)}",
                line,
            )
        values = dict(zip(header, record, strict=True))
        stratum = values.pop(column).strip()
        if not stratum:
            raise TableError(f"empty value in the strata column '{column}'", line)
        counts = [v for k, v in values.items() if k.lower() == COUNT_COLUMN]
        if len(counts) != 1:
            raise TableError(f"need exactly one '{COUNT_COLUMN}' column in header", header_line)
        pattern = [v for k, v in values.items() if k.lower() != COUNT_COLUMN]
        groups.setdefault(stratum, []).append((pattern, counts[0], line))
    if header is None or not groups:
        raise TableError("no data rows after the header", header_line or 1)
    lists = tuple(name for name in header if name != column and name.lower() != COUNT_COLUMN)
    return lists, [_stratum(name, lists, rows, header_line) for name, rows in groups.items()]


def _stratum(
    name: str, lists: tuple[str, ...], rows: list[tuple[list[str], str, int]], header_line: int
) -> Stratum:
    """Validate the stratum's rows (errors name the line) and leave out its empty lists."""
    full = build_table(
        lists,
        [(pattern, count) for pattern, count, _line in rows],
        line_numbers=[line for _p, _c, line in rows],
        header_line=header_line,
        allow_empty_lists=True,
    )
    keep = [i for i in range(len(lists)) if full.list_size(i) > 0]
    dropped = tuple(lists[i] for i in range(len(lists)) if i not in keep)
    if len(keep) < 2:
        return Stratum(name, None, dropped, "fewer than two lists with people")
    merged: dict[tuple[int, ...], int] = {}
    for pattern, count in zip(full.patterns, full.counts, strict=True):
        key = tuple(pattern[i] for i in keep)
        merged[key] = merged.get(key, 0) + count
    table = build_table([lists[i] for i in keep], list(merged.items()))
    return Stratum(name, replace(table, warnings=full.warnings), dropped)


@dataclass
class StratumResult:
    stratum: Stratum
    result: Any = None  # EstimationResult, or None with ``problem``
    problem: str = ""


@dataclass
class StratifiedResult:
    method: str
    lists: tuple[str, ...]
    strata: list[StratumResult] = field(default_factory=list)
    total: float | None = None
    total_interval: tuple[float, float] | None = None
    total_interval_kind: str = ""
    pooled: Any = None  # the estimate of all strata together, for comparison
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "lists": list(self.lists),
            "strata": [_stratum_dict(item) for item in self.strata],
            "total": {
                "estimate": self.total,
                "observed": sum(
                    item.stratum.table.observed
                    for item in self.strata
                    if item.stratum.table is not None
                ),
                "ci_low": None if self.total_interval is None else self.total_interval[0],
                "ci_high": None if self.total_interval is None else self.total_interval[1],
                "interval": self.total_interval_kind or None,
            },
            "pooled": None if self.pooled is None else _summary(self.pooled),
            "seconds": self.seconds,
        }


def _summary(result: Any) -> dict[str, Any]:
    low, high = result.interval
    return {
        "estimate": result.estimate,
        "observed": result.observed,
        "ci_low": low,
        "ci_high": high,
        "interval": result.interval_kind,
        "model": list(result.model),
        "warning_codes": [warning.to_dict() for warning in result.warnings],
    }


def _stratum_dict(item: StratumResult) -> dict[str, Any]:
    base: dict[str, Any] = {
        "stratum": item.stratum.name,
        "lists_left_out": list(item.stratum.dropped),
    }
    if item.result is None:
        return base | {"problem": item.problem or item.stratum.problem}
    return base | {"lists": list(item.result.lists)} | _summary(item.result)


def estimate_strata(
    lists: Sequence[str],
    strata: list[Stratum],
    *,
    method: str,
    seed: int | None,
    **options: Any,
) -> StratifiedResult:
    """Estimate each stratum with ``method`` (and ``options``), the total, and the pooled
    table for comparison."""
    from inbeeld.estimation.population import estimate
    from inbeeld.estimation.selection import NoEstimateError

    started = time.perf_counter()
    outcome = StratifiedResult(method=method, lists=tuple(lists))
    for number, stratum in enumerate(strata):
        if stratum.table is None:
            outcome.strata.append(StratumResult(stratum, problem=stratum.problem))
            continue
        stratum_seed = None if seed is None else seed + number
        try:
            result = estimate(stratum.table, method=method, seed=stratum_seed, **options)
        except (NoEstimateError, ValueError) as error:
            outcome.strata.append(StratumResult(stratum, problem=str(error)))
            continue
        outcome.strata.append(StratumResult(stratum, result=result))
    results = [item.result for item in outcome.strata]
    if all(result is not None for result in results):
        outcome.total = sum(result.estimate for result in results)
        outcome.total_interval, outcome.total_interval_kind = _total_interval(
            method, results, [item.stratum for item in outcome.strata], options
        )
    try:
        outcome.pooled = estimate(_pooled(lists, strata), method=method, seed=seed, **options)
    except (NoEstimateError, ValueError):  # TableError too: e.g. fewer than two lists
        outcome.pooled = None
    outcome.seconds = time.perf_counter() - started
    return outcome


def _pooled(lists: Sequence[str], strata: list[Stratum]) -> CaptureTable:
    """All strata together, over every list of the file that has people."""
    used = {name for stratum in strata if stratum.table is not None for name in stratum.table.lists}
    lists = [name for name in lists if name in used]
    merged: dict[tuple[int, ...], int] = {}
    for stratum in strata:
        if stratum.table is None:
            continue
        index = [stratum.table.lists.index(name) if name in stratum.table.lists else -1
                 for name in lists]  # fmt: skip
        for pattern, count in zip(stratum.table.patterns, stratum.table.counts, strict=True):
            key = tuple(pattern[i] if i >= 0 else 0 for i in index)
            merged[key] = merged.get(key, 0) + count
    return build_table(list(lists), list(merged.items()))


def _total_interval(
    method: str, results: list[Any], strata: list[Stratum], options: dict[str, Any]
) -> tuple[tuple[float, float] | None, str]:
    """The 95 % interval of the sum, from independent draws per stratum."""
    import numpy as np

    level = float(options.get("level", 0.95))
    tails = ((1 - level) / 2, (1 + level) / 2)
    if method == "dga":
        return _dga_total(results, strata, tails), "posterior"
    draws = [
        np.asarray(result.posterior_draws if method == "lcmcr" else result.replicates)
        for result in results
    ]
    if any(d.size == 0 for d in draws):
        return None, ""
    size = min(d.size for d in draws)
    summed = np.sum([d[:size] for d in draws], axis=0)
    if method == "lcmcr":  # R's type 7, as LCMCR's own quantiles
        low, high = np.quantile(summed.astype(np.float64), list(tails), method="linear")
    else:  # type 8, as the BCa limits
        low, high = np.quantile(summed.astype(np.float64), list(tails), method="median_unbiased")
    kind = "posterior" if method == "lcmcr" else "bootstrap-percentile"
    return (float(low), float(high)), kind


def _dga_total(
    results: list[Any], strata: list[Stratum], tails: tuple[float, float]
) -> tuple[float, float]:
    """Exact: the posterior of the sum is the convolution of the strata's posteriors."""
    import numpy as np

    from inbeeld.estimation.dga import grid_quantile, posterior

    distribution = np.ones(1)
    observed = 0
    for result, stratum in zip(results, strata, strict=True):
        table = stratum.table
        if table is None:  # not reached: a stratum without a table has no result
            continue
        counts = np.zeros(2**table.n_lists)
        counts[list(table.codes)] = table.counts
        post, _graphs = posterior(
            counts, table.n_lists, result.parameters["delta"], result.parameters["missing_max"]
        )
        distribution = np.convolve(distribution, post.probability)
        observed += table.observed
    totals = observed + np.arange(distribution.size)
    return (
        float(grid_quantile(totals, distribution, tails[0])),
        float(grid_quantile(totals, distribution, tails[1])),
    )


_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Schatting per stratum en totaal (Multiple Systems Estimation, {method})",
        "header": "stratum",
        "observed": "gezien",
        "estimate": "schatting",
        "interval": "95%-interval",
        "total": "totaal (som van de strata)",
        "pooled": "alles samen, zonder strata",
        "left_out": "Lijsten zonder mensen in een stratum, daar weggelaten",
        "no_total": "Geen totaal: niet elk stratum heeft een schatting.",
        "kind_bootstrap-percentile": (
            "Het interval van het totaal is een bootstrap-percentielinterval van de som "
            "(elk stratum apart hertrokken)."
        ),
        "kind_posterior": "Het interval van het totaal is een posteriorinterval van de som.",
        "reading": (
            "Per stratum schatten haalt een deel van de verschillen in zichtbaarheid tussen "
            "groepen uit de schatting; wijkt het totaal veel af van 'alles samen', dan "
            "verschillen de strata sterk en is het totaal de betere schatting."
        ),
    },
    "en": {
        "title": "Estimate per stratum and total (Multiple Systems Estimation, {method})",
        "header": "stratum",
        "observed": "seen",
        "estimate": "estimate",
        "interval": "95% interval",
        "total": "total (sum of the strata)",
        "pooled": "all together, no strata",
        "left_out": "Lists with nobody in a stratum, left out there",
        "no_total": "No total: not every stratum has an estimate.",
        "kind_bootstrap-percentile": (
            "The total's interval is a bootstrap percentile interval of the sum (each "
            "stratum resampled on its own)."
        ),
        "kind_posterior": "The total's interval is a posterior interval of the sum.",
        "reading": (
            "Estimating per stratum takes part of the differences in visibility between "
            "groups out of the estimate; if the total differs much from 'all together', the "
            "strata differ strongly and the total is the better estimate."
        ),
    },
}


def render(outcome: StratifiedResult, lang: str = "nl", source: str | None = None) -> str:
    """The per-stratum table, the total and the pooled estimate, as text."""
    from inbeeld.estimation.report import format_number

    text = _TEXT[lang]
    lines = [text["title"].format(method=outcome.method)]
    if source:
        lines.append(source)
    lines.append("")
    lines.append(
        f"{text['header']:<28} {text['observed']:>8} {text['estimate']:>10}  {text['interval']}"
    )

    def row(label: str, observed: int | None, estimate: float | None, interval: Any) -> str:
        seen = format_number(observed, lang) if observed is not None else ""
        value = format_number(estimate, lang) if estimate is not None else "—"
        span = (
            f"{format_number(interval[0], lang)} – {format_number(interval[1], lang)}"
            if interval is not None
            else ""
        )
        return f"{label[:28]:<28} {seen:>8} {value:>10}  {span}"

    for item in outcome.strata:
        table = item.stratum.table
        observed = table.observed if table is not None else None
        if item.result is None:
            lines.append(f"{row(item.stratum.name, observed, None, None)}{item.problem}")
        else:
            lines.append(
                row(item.stratum.name, observed, item.result.estimate, item.result.interval)
            )
    total_observed = sum(i.stratum.table.observed for i in outcome.strata if i.stratum.table)
    lines.append(row(text["total"], total_observed, outcome.total, outcome.total_interval))
    if outcome.pooled is not None:
        pooled = outcome.pooled
        lines.append(row(text["pooled"], pooled.observed, pooled.estimate, pooled.interval))
    lines.append("")
    dropped = [(i.stratum.name, i.stratum.dropped) for i in outcome.strata if i.stratum.dropped]
    if dropped:
        lines.append(f"{text['left_out']}:")
        lines += [f"  {name}: {', '.join(names)}" for name, names in dropped]
    if outcome.total is None:
        lines.append(text["no_total"])
    elif outcome.total_interval_kind:
        lines.append(text[f"kind_{outcome.total_interval_kind}"])
    lines.append(text["reading"])
    return "\n".join(lines) + "\n"
