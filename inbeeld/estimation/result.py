"""The outcome of an estimate, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inbeeld.estimation.warning import EstimationWarning


@dataclass(frozen=True)
class EstimationResult:
    """Population estimate of one capture-history table.

    ``estimate`` is the total population, observed plus unobserved; ``dark_figure`` the
    unobserved part. ``conditional_interval`` is the Wald interval on the log dark figure
    given the chosen model (ignores model-selection uncertainty); ``bca_interval`` the
    bootstrap BCa interval with full model reselection (the headline when present).
    ``replicates`` are the population estimates of the bootstrap replicates that had an
    estimate, in replicate order; ``skipped_replicates`` counts those that had none.
    """

    lists: tuple[str, ...]
    method: str
    observed: int
    estimate: float
    dark_figure: float
    intercept: float
    intercept_se: float
    conditional_interval: tuple[float, float]
    model: tuple[str, ...]
    infinite_terms: tuple[str, ...]
    p_values: tuple[float, ...]
    p_threshold: float
    aic: float
    level: float = 0.95
    bootstrap: int = 0
    seed: int | None = None
    replicates: tuple[float, ...] = ()
    skipped_replicates: int = 0
    skipped_jackknife: int = 0
    replicate_policy: str = "skip"
    acceleration: float | None = None
    bias_correction: float | None = None
    bca_limits: dict[float, float] = field(default_factory=dict)
    bca_interval: tuple[float, float] | None = None
    warnings: tuple[EstimationWarning, ...] = ()
    seconds: float = 0.0

    @property
    def interval(self) -> tuple[float, float]:
        """The headline interval: BCa when a bootstrap was run, else model-conditional."""
        return self.bca_interval if self.bca_interval is not None else self.conditional_interval

    @property
    def interval_kind(self) -> str:
        return "bca" if self.bca_interval is not None else "model-conditional"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (the keys of `inbeeld estimate --format json`)."""
        low, high = self.interval
        return {
            "estimate": self.estimate,
            "observed": self.observed,
            "dark_figure": self.dark_figure,
            "ci_low": low,
            "ci_high": high,
            "interval": self.interval_kind,
            "level": self.level,
            "conditional_ci_low": self.conditional_interval[0],
            "conditional_ci_high": self.conditional_interval[1],
            "bca_ci_low": None if self.bca_interval is None else self.bca_interval[0],
            "bca_ci_high": None if self.bca_interval is None else self.bca_interval[1],
            "bca_limits": {f"{alpha:g}": value for alpha, value in self.bca_limits.items()},
            "model": list(self.model),
            "infinite_terms": list(self.infinite_terms),
            "p_values": list(self.p_values),
            "p_threshold": self.p_threshold,
            "method": self.method,
            "lists": list(self.lists),
            "intercept": self.intercept,
            "intercept_se": self.intercept_se,
            "aic": self.aic,
            "bootstrap": self.bootstrap,
            "bootstrap_used": len(self.replicates),
            "skipped_replicates": self.skipped_replicates,
            "skipped_jackknife": self.skipped_jackknife,
            "replicate_policy": self.replicate_policy,
            "acceleration": self.acceleration,
            "bias_correction": self.bias_correction,
            "seed": self.seed,
            "replicates": list(self.replicates),
            "warnings": [str(warning) for warning in self.warnings],
            "warning_codes": [warning.to_dict() for warning in self.warnings],
            "seconds": self.seconds,
        }
