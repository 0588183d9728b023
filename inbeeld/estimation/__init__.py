"""Multiple Systems Estimation (MSE) of hidden populations, framework-free.

Reimplements the stepwise method of the R package SparseMSE 2.0.1 (Chan, Silverman and
Vincent): Poisson log-linear models over all observable capture patterns with main effects
and two-list interactions, the linear-programme existence check, forward selection on a
Poisson tail p-value, and the bootstrap BCa interval. Plain data in, plain data out; no
Django, nothing else from InBeeld (an import-linter contract enforces this).

    >>> from inbeeld.estimation import estimate
    >>> result = estimate({"10": 40, "01": 30, "11": 10}, method="main", bootstrap=0)
    >>> round(result.estimate, 6)  # Lincoln-Petersen: 50 * 40 / 10
    200.0
"""

from __future__ import annotations

from inbeeld.estimation.estimate import (
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

__all__ = [
    "DEFAULT_BOOTSTRAP",
    "DEFAULT_P_THRESHOLD",
    "DEFAULT_SEED",
    "METHODS",
    "CaptureTable",
    "EstimationResult",
    "ModelSpecError",
    "NoEstimateError",
    "TableError",
    "as_table",
    "estimate",
    "from_dataframe",
    "from_mapping",
    "parse_csv_text",
    "read_csv",
]
