"""Uploading encoded lists and linking them into an overlap table and a dark-number estimate.

The work itself happens in the framework-free packages ``inbeeld.linkage`` (reading and
linking encodings) and ``inbeeld.estimation`` (MSE); this module stores what goes in and
what comes out, inside one region.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from inbeeld.accounts.models import Organisation, User
from inbeeld.audit.models import Action
from inbeeld.audit.services import audit_record
from inbeeld.estimation import NoEstimateError, TableError, estimate
from inbeeld.estimation.result import EstimationResult
from inbeeld.insight.models import EncodedList, LinkageRun
from inbeeld.linkage.errors import LinkageInputError
from inbeeld.linkage.files import EncodedList as EncodedFile
from inbeeld.linkage.files import check_compatible, read_encoded_csv
from inbeeld.linkage.link import Linkage, capture_histories, link_lists
from inbeeld.regions.models import Region

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# A regional run answers within the request; 1,000 replicates is SparseMSE's default and
# takes seconds for a handful of lists (docs/performance.md).
BOOTSTRAP_REPLICATES = 1000


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
    *, user: User, organisation: Organisation, year: int, data: bytes
) -> EncodedList:
    """Store (or replace) an organisation's encoded list for a year, after checking it whole."""
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
        region=stored.region.code,
        purpose="dark-number estimate",
        detail={"records": stored.record_count, "year": year},
    )
    return stored


def linkage_run_create(*, user: User, region: Region, year: int) -> LinkageRun:
    """Link all encoded lists of a region and year; estimate the total with MSE.

    The linking and the bootstrap run outside any transaction: on SQLite a write
    transaction blocks every other writer, and this is the slow part.
    """
    stored = list(EncodedList.objects.filter(region=region, year=year).order_by("list_name"))
    if len(stored) < 2:
        raise ValidationError(_("Linking needs the lists of at least two organisations."))
    lists = _read([(item.list_name, item.content) for item in stored])
    linkage = link_lists(lists)
    histories = capture_histories(linkage)
    estimation, error = _estimate(linkage.sources, histories)
    with transaction.atomic():
        return _linkage_run_save(
            user=user,
            region=region,
            year=year,
            stored=stored,
            linkage=linkage,
            histories=histories,
            estimation=estimation,
            error=error,
        )


def _linkage_run_save(
    *,
    user: User,
    region: Region,
    year: int,
    stored: Sequence[EncodedList],
    linkage: Linkage,
    histories: Sequence[tuple[tuple[int, ...], int]],
    estimation: dict[str, Any] | None,
    error: str,
) -> LinkageRun:
    run = LinkageRun.objects.create(
        region=region,
        year=year,
        created_by=user,
        sources=list(linkage.sources),
        threshold=linkage.threshold,
        threshold_estimated=linkage.threshold_was_estimated,
        histories=[[list(pattern), count] for pattern, count in histories],
        estimation=estimation,
        estimation_error=error,
    )
    # Linking reads every list of the region and year: one entry names them all.
    audit_record(
        actor=user,
        action=Action.CREATE,
        target=run,
        region=region.code,
        purpose="dark-number estimate",
        detail={"read_lists": [item.pk for item in stored], "year": year},
    )
    return run


def _estimate(
    sources: Sequence[str], histories: Sequence[tuple[tuple[int, ...], int]]
) -> tuple[dict[str, Any] | None, str]:
    counts = {pattern: count for pattern, count in histories if any(pattern)}
    try:
        result = estimate(counts, lists=list(sources), bootstrap=BOOTSTRAP_REPLICATES)
    except (NoEstimateError, TableError) as error:
        return None, str(error)
    return estimation_summary(result), ""


def estimation_summary(result: EstimationResult) -> dict[str, Any]:
    """The parts of an estimate a reader needs, as plain JSON."""
    return {
        "estimate": result.estimate,
        "observed": result.observed,
        "dark_figure": result.dark_figure,
        "interval": list(result.interval),
        "interval_kind": "bca" if result.bca_interval is not None else "model-conditional",
        "conditional_interval": list(result.conditional_interval),
        "model": list(result.model),
        "infinite_terms": list(result.infinite_terms),
        "bootstrap": result.bootstrap,
        "skipped_replicates": result.skipped_replicates,
        "warnings": list(result.warnings),
        "seconds": result.seconds,
    }
