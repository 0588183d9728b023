"""Runs made before linking moved to the background: done, lists named, warnings as codes.

Those runs were linked and estimated inside the request, so each is finished. Their lists
get the organisations' names (when the list is still there), and their warnings, stored
as the engine's English sentences, become the codes the page now translates. The English
wording is copied here as it was when this migration was written, so that the migration
does not change when the engine's wording does.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations

ENGLISH = {
    "all_zero_ignored": "the all-zero pattern (count {count}) is not observable and was ignored",
    "no_overlap": (
        "lists {first} and {second} have nobody in common; their interaction is taken as −∞ "
        "(no overlap expected)"
    ),
    "not_converged": "the model fit did not converge; treat the estimate with caution",
    "few_overlaps": (
        "only {count} people are on more than one list; the estimate rests on very few "
        "overlaps and is unreliable"
    ),
    "bootstrap_skipped": (
        "{skipped} of {total} bootstrap replicates had no estimate (a small list or overlap "
        "was empty in the resample) and were left out"
    ),
    "bootstrap_skipped_many": (
        "{skipped} of {total} bootstrap replicates had no estimate (a small list or overlap "
        "was empty in the resample) and were left out — many, so the interval is doubtful"
    ),
    "jackknife_skipped": (
        "{skipped} jackknife refits had no estimate and were left out of the acceleration"
    ),
    "bca_undefined": (
        "the BCa interval is undefined (all bootstrap estimates on one side of the point "
        "estimate); the model-conditional interval is shown instead"
    ),
}
PATTERNS = {
    code: re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(text)))
    for code, text in ENGLISH.items()
}
OLD_NO_ESTIMATE = "no estimate exists"


def _as_code(warning: Any) -> Any:
    """A stored English sentence as {code, params}; anything else as it was."""
    if not isinstance(warning, str):
        return warning
    for code, pattern in PATTERNS.items():
        match = pattern.fullmatch(warning)
        if match:
            params = {
                name: int(value) if value.isdigit() else value
                for name, value in match.groupdict().items()
            }
            return {"code": code, "params": params}
    return warning


def _as_sentence(warning: Any) -> Any:
    if isinstance(warning, dict) and warning.get("code") in ENGLISH:
        return ENGLISH[warning["code"]].format(**warning.get("params", {}))
    return warning


def forwards(apps: Any, schema_editor: Any) -> None:
    linkage_run = apps.get_model("insight", "LinkageRun")
    encoded_list = apps.get_model("insight", "EncodedList")
    for run in linkage_run.objects.all():
        names = dict(
            encoded_list.objects.filter(region_id=run.region_id, year=run.year).values_list(
                "list_name", "organisation__name"
            )
        )
        run.state = "done"
        run.started_at = run.finished_at = run.created_at
        run.problem = "no_estimate" if run.estimation_error else ""
        run.labels = [names.get(source, source) for source in run.sources]
        if run.estimation:
            run.estimation["warnings"] = [_as_code(w) for w in run.estimation["warnings"]]
        run.save()


def backwards(apps: Any, schema_editor: Any) -> None:
    linkage_run = apps.get_model("insight", "LinkageRun")
    # The old table has no place for a run without a linkage (queued, running or failed):
    # it held only finished ones. Those runs have no result to lose.
    linkage_run.objects.filter(threshold__isnull=True).delete()
    for run in linkage_run.objects.all():
        # The engine's own sentence is gone; the old column only needs to be non-empty.
        run.estimation_error = OLD_NO_ESTIMATE if run.problem == "no_estimate" else ""
        if run.estimation:
            run.estimation["warnings"] = [_as_sentence(w) for w in run.estimation["warnings"]]
        run.save()


class Migration(migrations.Migration):
    dependencies = [("insight", "0003_linkage_run_state")]

    operations = [migrations.RunPython(forwards, backwards)]
