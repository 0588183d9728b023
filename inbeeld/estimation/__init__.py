"""Multiple Systems Estimation (MSE) of hidden populations, framework-free.

Reimplements the stepwise method of the R package SparseMSE 2.0.1 (Chan, Silverman and
Vincent): Poisson log-linear models over all observable capture patterns with main effects
and two-list interactions, the linear-programme existence check, forward selection on a
Poisson tail p-value, and the bootstrap BCa interval; and beside it BIC over all
hierarchical models (MultipleSystemsEstimation 1.2.0, ``bic.py``), Bayesian averaging over
decomposable graphs (dga 2.0.2, ``dga.py``), latent classes (LCMCR 0.4.14, ``lcmcr.py``),
all of them side by side (``compare.py``) and per stratum (``strata.py``). Plain data in,
plain data out; no Django, nothing else from InBeeld (an import-linter contract enforces
this).

    >>> from inbeeld.estimation import estimate
    >>> result = estimate({"10": 40, "01": 30, "11": 10}, method="main", bootstrap=0)
    >>> round(result.estimate, 6)  # Lincoln-Petersen: 50 * 40 / 10
    200.0

The names below are loaded on first use, so that reading and validating a table (the
``table`` module, standard library only) does not pay for importing numpy and scipy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from inbeeld.estimation.limits import MAX_LISTS, UnsupportedTableError
    from inbeeld.estimation.population import (
        DEFAULT_BOOTSTRAP,
        DEFAULT_SEED,
        METHODS,
        ModelSpecError,
        estimate,
    )
    from inbeeld.estimation.result import EstimationResult
    from inbeeld.estimation.selection import DEFAULT_P_THRESHOLD, NoEstimateError
    from inbeeld.estimation.table import (
        CaptureTable,
        TableError,
        as_table,
        from_dataframe,
        from_mapping,
        parse_csv_text,
        read_csv,
    )

_HOMES = {
    "MAX_LISTS": "limits",
    "UnsupportedTableError": "limits",
    "DEFAULT_BOOTSTRAP": "population",
    "DEFAULT_SEED": "population",
    "METHODS": "population",
    "ModelSpecError": "population",
    "estimate": "population",
    "EstimationResult": "result",
    "DEFAULT_P_THRESHOLD": "selection",
    "NoEstimateError": "selection",
    "CaptureTable": "table",
    "TableError": "table",
    "as_table": "table",
    "from_dataframe": "table",
    "from_mapping": "table",
    "parse_csv_text": "table",
    "read_csv": "table",
}

__all__ = [
    "DEFAULT_BOOTSTRAP",
    "DEFAULT_P_THRESHOLD",
    "DEFAULT_SEED",
    "MAX_LISTS",
    "METHODS",
    "CaptureTable",
    "EstimationResult",
    "ModelSpecError",
    "NoEstimateError",
    "TableError",
    "UnsupportedTableError",
    "as_table",
    "estimate",
    "from_dataframe",
    "from_mapping",
    "parse_csv_text",
    "read_csv",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value
