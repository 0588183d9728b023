"""What the run page says about the estimate's warnings and a run's problem, by code.

The engine (``inbeeld.estimation``) gives its warnings as codes with parameters; this is
their wording for the web, through gettext, so that a Dutch page says them in Dutch. The
CLI has its own plain tables (``inbeeld/estimation/warning.py``) because it must stay
framework-free; a test keeps the two sets of codes equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inbeeld.insight.models import LinkageRun

WARNINGS: dict[str, Promise] = {
    "all_zero_ignored": _(
        "The row for people on no list (count %(count)s) cannot be observed and was ignored."
    ),
    "no_overlap": _(
        "%(first)s and %(second)s have nobody in common; the model expects no overlap between them."
    ),
    "not_converged": _("The model fit did not converge: treat the estimate with caution."),
    "few_overlaps": _(
        "Only %(count)s people are on more than one list: the estimate rests on very few "
        "overlaps and is unreliable."
    ),
    "bootstrap_skipped": _(
        "%(skipped)s of %(total)s bootstrap replicates had no estimate (a small list or "
        "overlap was empty in the resample) and were left out."
    ),
    "bootstrap_skipped_many": _(
        "%(skipped)s of %(total)s bootstrap replicates had no estimate (a small list or "
        "overlap was empty in the resample) and were left out: so many that the interval "
        "is doubtful."
    ),
    "jackknife_skipped": _(
        "%(skipped)s jackknife refits had no estimate and were left out of the acceleration."
    ),
    "bca_undefined": _(
        "The bootstrap interval is undefined (all bootstrap estimates lie on one side of the "
        "estimate); the interval given the chosen model is shown instead."
    ),
    "grid_truncated": _(
        "%(percent)s%% of the posterior lies in the top tenth of the range of unseen numbers "
        "considered (up to %(maximum)s): where that range ends shapes the estimate."
    ),
    "cap_reached": _(
        "%(percent)s%% of the posterior draws lie near the sampler's limit of 21 times the "
        "number seen (%(cap)s): the posterior is cut off there and the estimate is too low."
    ),
    "slow_mixing": _(
        "Successive posterior draws are strongly correlated: the sampler moves slowly and "
        "may not have found every likely value."
    ),
}

# The methods of the comparison (inbeeld/estimation/compare.py), by name.
METHODS: dict[str, Promise] = {
    "stepwise": _("Model chosen step by step (SparseMSE)"),
    "bic": _("Best model by BIC (MultipleSystemsEstimation)"),
    "dga": _("Average over graphs of dependence between lists (dga)"),
    "lcmcr": _("Groups of people who differ in visibility (LCMCR)"),
}
INTERVAL_KINDS: dict[str, Promise] = {
    "bca": _("bootstrap"),
    "posterior": _("posterior"),
    "model-conditional": _("given the model"),
}
COMPARISON_PROBLEMS: dict[str, Promise] = {
    "not_applicable": _("not for this number of lists"),
    "no_estimate": _("no estimate possible"),
}

PROBLEMS: dict[str, Promise] = {
    LinkageRun.Problem.NO_ESTIMATE: _(
        "No estimate is possible from these lists: they overlap so little that any number "
        "of victims fits the data. The overlap below is still right."
    ),
    LinkageRun.Problem.TOO_FEW_LISTS: _(
        "Fewer than two lists were left for this year when the run started."
    ),
    LinkageRun.Problem.UNREADABLE: _(
        "A stored list could not be read. Ask the partner to upload it again, then start a new run."
    ),
    LinkageRun.Problem.STOPPED: _(
        "The background worker stopped before the run was finished, or the run took longer "
        "than background work may take. Start a new run; if this happens again, tell the "
        "functional administrator."
    ),
    LinkageRun.Problem.NOT_STARTED: _(
        "The background worker did not start the run. Tell the functional administrator "
        "that background work is not running, then start a new run."
    ),
    LinkageRun.Problem.ERROR: _(
        "An unexpected error stopped the run. It has been logged for the functional "
        "administrator; start a new run later."
    ),
}

# Parameters that name a list: shown as the organisation's name, not the column name.
_LIST_PARAMS = ("first", "second")


def warning_text(warning: Mapping[str, Any] | str, run: LinkageRun) -> str:
    """One stored warning in the page's language.

    A plain string is a sentence from before warnings had codes that no code matched; it
    is shown as it is rather than hidden.
    """
    if isinstance(warning, str):
        return warning
    params = dict(warning.get("params", {}))
    for name in _LIST_PARAMS:
        if name in params:
            params[name] = run.label_of(str(params[name]))
    return str(WARNINGS[warning["code"]]) % params


def problem_text(run: LinkageRun) -> str:
    return str(PROBLEMS[run.problem]) if run.problem else ""


def model_terms(run: LinkageRun) -> list[str]:
    """The model's two-list interactions, each as the two organisations' names."""
    if not run.estimation:
        return []
    terms = []
    for term in run.estimation.get("model", []):
        first, second = term.split(":")
        terms.append(
            gettext("%(first)s with %(second)s")
            % {"first": run.label_of(first), "second": run.label_of(second)}
        )
    return terms


def comparison_rows(run: LinkageRun) -> list[dict[str, Any]]:
    """The comparison of methods stored with the run, worded for the page."""
    comparison = (run.estimation or {}).get("comparison")
    if not comparison:
        return []
    rows = []
    for item in comparison["methods"]:
        row: dict[str, Any] = {"method": str(METHODS[item["method"]])}
        if "problem" in item:
            row["problem"] = str(COMPARISON_PROBLEMS[item["problem"]])
        else:
            row |= {
                "estimate": item["estimate"],
                "interval": item["interval"],
                "kind": str(INTERVAL_KINDS[item["interval_kind"]]),
                "warnings": [warning_text(w, run) for w in item["warnings"]],
            }
        rows.append(row)
    return rows


def comparison_reading(run: LinkageRun) -> str:
    """What the spread of the methods means, in the page's language."""
    comparison = (run.estimation or {}).get("comparison")
    spread = comparison.get("spread") if comparison else None
    if not spread:
        return ""
    reading = gettext(
        "The methods give between %(lowest)s and %(highest)s victims in total. They differ "
        "because each assumes something different about how the lists depend on each other "
        "and how visible people are, and the data cannot show which assumption holds. "
        "Report the range, not one number: all intervals together run from %(low)s to "
        "%(high)s."
    ) % {
        "lowest": _whole(spread["lowest"]),
        "highest": _whole(spread["highest"]),
        "low": _whole(spread["interval_low"]),
        "high": _whole(spread["interval_high"]),
    }
    if not spread["intervals_overlap"]:
        reading += " " + gettext(
            "The intervals do not all overlap: the choice of method weighs more here than "
            "chance does."
        )
    return reading


def _whole(value: float) -> str:
    return str(number_format(round(value), force_grouping=True))
