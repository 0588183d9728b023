"""Background tasks of the insight app, run by the django-q2 worker (`inbeeld worker`)."""

from __future__ import annotations

from inbeeld.insight.services import linkage_run_perform


def linkage_run_task(run_id: int) -> str:
    """Link and estimate one requested run; django-q2 keeps the returned state as its result."""
    run = linkage_run_perform(run_id=run_id)
    return "skipped" if run is None else str(run.state)
