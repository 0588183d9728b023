"""The outcome of an estimate, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from inbeeld.estimation.warning import EstimationWarning

# The kinds of headline interval, and what each is (docs/estimation.md).
BCA = "bca"  # bootstrap BCa interval (model choice included where a method chooses)
MODEL_CONDITIONAL = "model-conditional"  # Wald interval given the chosen model
POSTERIOR = "posterior"  # quantiles of a posterior distribution
BAYESIAN_METHODS = ("dga", "lcmcr")


@dataclass(frozen=True)
class EstimationResult:
    """Population estimate of one capture-history table.

    ``estimate`` is the total population, observed plus unobserved; ``dark_figure`` the
    unobserved part. ``conditional_interval`` is the Wald interval on the log dark figure
    given the chosen model (ignores model-selection uncertainty; None for the Bayesian
    methods, which have no single fitted model); ``bca_interval`` the bootstrap BCa
    interval with full model reselection; ``posterior_interval`` the central posterior
    interval of a Bayesian method. ``replicates`` are the population estimates of the
    bootstrap replicates that had an estimate, in replicate order; ``skipped_replicates``
    counts those that had none.

    ``parameters`` are the method's settings and ``diagnostics`` what else it found (plain
    JSON values), ``top_models`` the best models with their BIC or posterior weight (bic,
    dga), ``posterior_quantiles`` the posterior of the total at a few levels (Bayesian
    methods).
    """

    lists: tuple[str, ...]
    method: str
    observed: int
    estimate: float
    dark_figure: float
    intercept: float | None
    intercept_se: float | None
    conditional_interval: tuple[float, float] | None
    model: tuple[str, ...]
    infinite_terms: tuple[str, ...]
    p_values: tuple[float, ...]
    p_threshold: float | None
    aic: float | None
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
    posterior_interval: tuple[float, float] | None = None
    posterior_quantiles: dict[float, float] = field(default_factory=dict)
    posterior_mean: float | None = None
    posterior_draws: tuple[float, ...] = ()
    parameters: dict[str, Any] = field(default_factory=dict)
    diagnostics: dict[str, Any] = field(default_factory=dict)
    top_models: tuple[dict[str, Any], ...] = ()
    warnings: tuple[EstimationWarning, ...] = ()
    seconds: float = 0.0

    @property
    def interval(self) -> tuple[float, float]:
        """The headline interval: BCa when a bootstrap was run, the posterior interval of a
        Bayesian method, else the interval given the model."""
        for candidate in (self.bca_interval, self.posterior_interval, self.conditional_interval):
            if candidate is not None:
                return candidate
        raise ValueError("an estimate without any interval")  # every method gives one

    @property
    def interval_kind(self) -> str:
        if self.bca_interval is not None:
            return BCA
        if self.posterior_interval is not None:
            return POSTERIOR
        return MODEL_CONDITIONAL

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (the keys of `inbeeld estimate --format json`)."""
        low, high = self.interval
        conditional = self.conditional_interval or (None, None)
        return {
            "estimate": self.estimate,
            "observed": self.observed,
            "dark_figure": self.dark_figure,
            "ci_low": low,
            "ci_high": high,
            "interval": self.interval_kind,
            "level": self.level,
            "conditional_ci_low": conditional[0],
            "conditional_ci_high": conditional[1],
            "bca_ci_low": None if self.bca_interval is None else self.bca_interval[0],
            "bca_ci_high": None if self.bca_interval is None else self.bca_interval[1],
            "bca_limits": {f"{alpha:g}": value for alpha, value in self.bca_limits.items()},
            "model": list(self.model),
            "infinite_terms": list(self.infinite_terms),
            "p_values": list(self.p_values),
            "p_threshold": self.p_threshold,
            "method": self.method,
            "parameters": dict(self.parameters),
            "diagnostics": dict(self.diagnostics),
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
            "posterior_quantiles": {
                f"{level:g}": value for level, value in self.posterior_quantiles.items()
            },
            "posterior_mean": self.posterior_mean,
            "posterior_draws": list(self.posterior_draws),
            "top_models": [dict(model) for model in self.top_models],
            "warnings": [str(warning) for warning in self.warnings],
            "warning_codes": [warning.to_dict() for warning in self.warnings],
            "seconds": self.seconds,
        }
