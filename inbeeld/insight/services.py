"""Uploading encoded lists, and linking them into an overlap table and a dark-number estimate.

The work itself happens in the framework-free packages ``inbeeld.linkage`` (reading and
linking encodings) and ``inbeeld.estimation`` (MSE); this module stores what goes in and
what comes out, inside one region. Linking and the bootstrap take from seconds to minutes
(an 8-list table: 30-45 s), too long for a web request: a person requests a run
(``linkage_run_request``), a django-q2 task does it (``linkage_run_perform``), and the page
polls until it is done.
"""

from __future__ import annotations

import logging
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_q.tasks import async_task

from inbeeld.accounts.models import Organisation, User
from inbeeld.audit.models import Action, Purpose
from inbeeld.audit.services import audit_record
from inbeeld.estimation import TableError, UnsupportedTableError, from_mapping
from inbeeld.estimation.compare import Comparison, compare
from inbeeld.estimation.result import EstimationResult
from inbeeld.insight.models import EncodedList, LinkageRun
from inbeeld.linkage.errors import LinkageInputError
from inbeeld.linkage.files import EncodedList as EncodedFile
from inbeeld.linkage.files import check_compatible, read_encoded_csv
from inbeeld.linkage.link import capture_histories, link_lists
from inbeeld.regions.models import Region

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# SparseMSE's default; on one core this takes seconds for a handful of lists and under a
# minute for eight (docs/performance.md), well inside the background task's time limit.
BOOTSTRAP_REPLICATES = 1000
# django-q2 runs tasks in daemonic worker processes, which may not start child processes:
# the engines' process pools would fail there. One process, always (see docs/estimation.md).
TASK_WORKERS = 1
# A worker that django-q2 stopped at its timeout cannot still be working; the margin
# covers clocks of a web server and a worker on different machines.
STALE_MARGIN = timedelta(minutes=1)
PURPOSE = Purpose.DARK_NUMBER_ESTIMATE
TASK = "inbeeld.insight.tasks.linkage_run_task"


class ReplaceUnconfirmedError(ValidationError):
    """The organisation already has a list for the year; the person must confirm replacing it."""

    def __init__(self, existing: EncodedList) -> None:
        super().__init__(
            _(
                "Your organisation already uploaded a list for %(year)s. Tick the box to "
                "replace it, and choose the file again."
            )
            % {"year": existing.year},
            code="replace_unconfirmed",
        )
        self.existing = existing


def list_name_for(organisation: Organisation) -> str:
    """The list's column name in the overlap table: a slug of the organisation's name."""
    return slugify(organisation.name)[:40] or f"organisation-{organisation.pk}"


@contextmanager
def _as_files(named_contents: Sequence[tuple[str, str]]) -> Iterator[list[Path]]:
    """Write contents to ``<name>.csv`` in a private temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="inbeeld-") as folder:
        paths = []
        for name, content in named_contents:
            path = Path(folder) / f"{name}.csv"
            path.write_text(content, encoding="utf-8")
            paths.append(path)
        yield paths


def _readable(error: LinkageInputError, folder: Path) -> str:
    """The error without the temporary folder, so it names just the list and the line."""
    return str(error).replace(f"{folder}/", "")


def _read(named_contents: Sequence[tuple[str, str]]) -> list[EncodedFile]:
    with _as_files(named_contents) as paths:
        try:
            lists = [read_encoded_csv(path) for path in paths]
            if len(lists) > 1:
                check_compatible(lists, paths)
        except LinkageInputError as error:
            raise ValidationError(_readable(error, paths[0].parent)) from error
    return lists


@transaction.atomic
def encoded_list_upload(
    *, user: User, organisation: Organisation, year: int, data: bytes, replace: bool = False
) -> EncodedList:
    """Store an organisation's encoded list for a year, after checking it whole.

    An existing list for the same organisation and year is replaced only when ``replace``
    confirms it: partners have lost a list by uploading another one for the wrong year.
    """
    existing = EncodedList.objects.filter(organisation=organisation, year=year).first()
    if existing is not None and not replace:
        raise ReplaceUnconfirmedError(existing)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("The file is larger than 50 MB."))
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(_("The file is not UTF-8 text (an encoded CSV file).")) from error
    name = list_name_for(organisation)
    encoded = _read([(name, content)])[0]
    others = EncodedList.objects.filter(region=organisation.region, year=year).exclude(
        organisation=organisation
    )
    for other in others:
        if (other.schema_id, other.key_fingerprint) != (encoded.schema_id, encoded.fingerprint):
            raise ValidationError(
                _(
                    "This file was encoded with another key or schema than the list of "
                    "%(other)s for %(year)s. All partners must use the region's key file."
                )
                % {"other": other.organisation.name, "year": year}
            )
    stored, created = EncodedList.objects.update_or_create(
        organisation=organisation,
        year=year,
        defaults={
            "region": organisation.region,
            "list_name": name,
            "content": content,
            "record_count": len(encoded.ids),
            "schema_id": encoded.schema_id,
            "key_fingerprint": encoded.fingerprint,
            "uploaded_by": user,
        },
    )
    audit_record(
        actor=user,
        action=Action.CREATE if created else Action.UPDATE,
        target=stored,
        purpose=PURPOSE,
        detail={"records": stored.record_count, "year": year},
    )
    return stored


@transaction.atomic
def linkage_run_request(*, user: User, region: Region, year: int) -> tuple[LinkageRun, bool]:
    """Queue the linking of a region's lists for a year; the work starts after commit.

    Returns the run and whether it is new: while a run for the same region and year is
    still waiting or running, a second request gets that run instead of a duplicate.
    """
    linkage_runs_expire()
    unfinished = LinkageRun.objects.filter(
        region=region, year=year, state__in=[LinkageRun.State.QUEUED, LinkageRun.State.RUNNING]
    ).first()
    if unfinished is not None:
        return unfinished, False
    stored = _lists_of(region, year)
    if len(stored) < 2:
        raise ValidationError(_("Linking needs the lists of at least two organisations."))
    run = LinkageRun.objects.create(
        region=region,
        year=year,
        created_by=user,
        sources=[item.list_name for item in stored],
        labels=[item.organisation.name for item in stored],
    )
    audit_record(
        actor=user,
        action=Action.CREATE,
        target=run,
        purpose=PURPOSE,
        detail={"lists": [item.pk for item in stored], "year": year},
    )
    # After commit: a worker must find the run it is handed, and a rolled-back request
    # must not leave a task behind.
    transaction.on_commit(partial(_enqueue, run.pk))
    return run, True


def _enqueue(run_id: int) -> None:
    async_task(TASK, run_id, group="linkage")


def _lists_of(region: Region, year: int) -> list[EncodedList]:
    return list(
        EncodedList.objects.filter(region=region, year=year)
        .select_related("organisation")
        .order_by("list_name")
    )


@dataclass(frozen=True)
class _Outcome:
    state: str
    problem: str = ""
    read_lists: tuple[int, ...] = ()
    results: dict[str, Any] = field(default_factory=dict)


def linkage_run_perform(*, run_id: int) -> LinkageRun | None:
    """Link and estimate one queued run, in the background worker; store what came out.

    Only a queued run is taken, and taking it is one conditional update, so a task that
    django-q2 hands out twice (after a worker died) does not run twice. Every failure ends
    the run as failed with a reason a person can read; the technical error goes to the
    log. Returns the run, or None when it was not (or no longer) queued.
    """
    linkage_runs_expire()
    taken = LinkageRun.objects.filter(pk=run_id, state=LinkageRun.State.QUEUED).update(
        state=LinkageRun.State.RUNNING, started_at=timezone.now()
    )
    if not taken:
        logger.info("linkage run %s is not queued; nothing to do", run_id)
        return None
    run = LinkageRun.objects.select_related("region").get(pk=run_id)
    try:
        outcome = _link_and_estimate(run)
    except (ValidationError, LinkageInputError) as error:
        _log_failure(run_id, error)
        outcome = _Outcome(LinkageRun.State.FAILED, LinkageRun.Problem.UNREADABLE)
    except Exception as error:  # whatever broke, the run must end with a reason
        _log_failure(run_id, error)
        outcome = _Outcome(LinkageRun.State.FAILED, LinkageRun.Problem.ERROR)
    return _linkage_run_finish(run_id, outcome)


def _link_and_estimate(run: LinkageRun) -> _Outcome:
    """Linking and the bootstrap, outside any transaction: on SQLite a write transaction
    blocks every other writer, and this is the slow part."""
    stored = _lists_of(run.region, run.year)
    if len(stored) < 2:
        return _Outcome(LinkageRun.State.FAILED, LinkageRun.Problem.TOO_FEW_LISTS)
    lists = _read([(item.list_name, item.content) for item in stored])
    linkage = link_lists(lists, workers=TASK_WORKERS)
    histories = capture_histories(linkage)
    estimation, problem = _estimate(linkage.sources, histories)
    names = {item.list_name: item.organisation.name for item in stored}
    return _Outcome(
        LinkageRun.State.DONE,
        problem,
        read_lists=tuple(item.pk for item in stored),
        results={
            "sources": list(linkage.sources),
            "labels": [names[source] for source in linkage.sources],
            "threshold": linkage.threshold,
            "threshold_estimated": linkage.threshold_was_estimated,
            "histories": [[list(pattern), count] for pattern, count in histories],
            "estimation": estimation,
        },
    )


def _log_failure(run_id: int, error: BaseException) -> None:
    """The error's type and the frames it passed, for the administrator: not its message
    nor the source lines, which may quote a list's records."""
    frames = traceback.extract_tb(error.__traceback__)
    where = "; ".join(f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in frames)
    logger.error("linkage run %s failed: %s at %s", run_id, type(error).__name__, where)


@transaction.atomic
def _linkage_run_finish(run_id: int, outcome: _Outcome) -> LinkageRun | None:
    run = LinkageRun.objects.select_for_update().select_related("region").get(pk=run_id)
    if run.state != LinkageRun.State.RUNNING:  # marked stale meanwhile: that verdict stands
        return None
    for name, value in outcome.results.items():
        setattr(run, name, value)
    run.state, run.problem, run.finished_at = outcome.state, outcome.problem, timezone.now()
    run.save()
    # Linking reads every list of the region and year: one entry names them all.
    audit_record(
        actor=run.created_by,
        action=Action.UPDATE,
        target=run,
        purpose=PURPOSE,
        detail={"state": run.state, "problem": run.problem, "read_lists": list(outcome.read_lists)},
    )
    return run


def linkage_runs_expire(*, now: datetime | None = None) -> int:
    """Mark failed the runs that no worker can still be doing; returns how many.

    django-q2 stops a task at ``Q_CLUSTER["timeout"]``, so a run still "running" after that
    was stopped (or its worker died). A run still "queued" after ``Q_CLUSTER["retry"]`` was
    never picked up: no worker is running. Nothing else would notice a dead worker, so the
    task and the run pages call this; it writes only when it finds such a run.
    """
    now = now or timezone.now()
    limits: dict[str, Any] = settings.Q_CLUSTER
    stale = (
        (
            Q(
                state=LinkageRun.State.RUNNING,
                started_at__lt=now - timedelta(seconds=limits["timeout"]) - STALE_MARGIN,
            ),
            LinkageRun.Problem.STOPPED,
        ),
        (
            Q(
                state=LinkageRun.State.QUEUED,
                created_at__lt=now - timedelta(seconds=limits["retry"]),
            ),
            LinkageRun.Problem.NOT_STARTED,
        ),
    )
    expired = 0
    for condition, problem in stale:
        for run in LinkageRun.objects.filter(condition).select_related("region"):
            expired += _linkage_run_expire(run, condition, problem, now)
    return expired


@transaction.atomic
def _linkage_run_expire(run: LinkageRun, condition: Q, problem: str, now: datetime) -> int:
    changed = LinkageRun.objects.filter(condition, pk=run.pk).update(
        state=LinkageRun.State.FAILED, problem=problem, finished_at=now
    )
    if changed:
        logger.warning("linkage run %s failed: %s", run.pk, problem)
        audit_record(
            actor=None,
            actor_name="background work",
            action=Action.UPDATE,
            target=run,
            purpose=PURPOSE,
            detail={"state": LinkageRun.State.FAILED, "problem": problem},
        )
    return changed


def _estimate(
    sources: Sequence[str], histories: Sequence[tuple[tuple[int, ...], int]]
) -> tuple[dict[str, Any] | None, str]:
    """The stepwise estimate (the run's headline) and every other method beside it.

    The comparison runs the stepwise method itself, so the headline costs nothing extra;
    the other methods add seconds (LCMCR's sampler) to a task that links and bootstraps.
    """
    counts = {pattern: count for pattern, count in histories if any(pattern)}
    try:
        comparison = compare(
            from_mapping(counts, list(sources)),
            bootstrap=BOOTSTRAP_REPLICATES,
            workers=TASK_WORKERS,
        )
    except (TableError, UnsupportedTableError) as error:
        logger.info("no estimate: %s", error)
        return None, LinkageRun.Problem.NO_ESTIMATE
    stepwise = comparison.rows[0].result
    if stepwise is None:
        # Expected with lists that hardly overlap; the engine's reason names only lists.
        logger.info("no estimate: %s", comparison.rows[0].detail)
        return None, LinkageRun.Problem.NO_ESTIMATE
    return estimation_summary(stepwise) | {"comparison": comparison_summary(comparison)}, ""


def comparison_summary(comparison: Comparison) -> dict[str, Any]:
    """Every method's estimate and interval, as plain JSON; warnings and problems as codes."""
    methods: list[dict[str, Any]] = []
    for row in comparison.rows:
        if row.result is None:
            methods.append({"method": row.method, "problem": row.problem})
            continue
        low, high = row.result.interval
        methods.append(
            {
                "method": row.method,
                "estimate": row.result.estimate,
                "interval": [low, high],
                "interval_kind": row.result.interval_kind,
                "warnings": [warning.to_dict() for warning in row.result.warnings],
            }
        )
    return {"methods": methods, "spread": comparison.spread()}


def estimation_summary(result: EstimationResult) -> dict[str, Any]:
    """The parts of an estimate a reader needs, as plain JSON; warnings as codes."""
    return {
        "estimate": result.estimate,
        "observed": result.observed,
        "dark_figure": result.dark_figure,
        "interval": list(result.interval),
        "interval_kind": result.interval_kind,
        "conditional_interval": list(result.conditional_interval or ()),
        "model": list(result.model),
        "infinite_terms": list(result.infinite_terms),
        "bootstrap": result.bootstrap,
        "skipped_replicates": result.skipped_replicates,
        "warnings": [warning.to_dict() for warning in result.warnings],
        "seconds": result.seconds,
    }
