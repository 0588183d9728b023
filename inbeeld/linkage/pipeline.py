"""The four linkage commands as functions on paths; the CLI only parses arguments."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from inbeeld.lib import safe_csv
from inbeeld.linkage.encode import Encoder
from inbeeld.linkage.errors import LinkageInputError
from inbeeld.linkage.files import (
    atomic_writer,
    check_compatible,
    read_encoded_csv,
    read_person_csv,
    write_encoded_csv,
)
from inbeeld.linkage.keys import key_fingerprint, key_load
from inbeeld.linkage.link import Linkage, capture_histories, link_lists
from inbeeld.linkage.schema import CURRENT_SCHEMA


def encode_file(
    source: Path, *, key_file: Path, out: Path, field_map: Mapping[str, str], id_column: str | None
) -> int:
    """Encode a partner's list; returns the number of records written."""
    key = key_load(key_file)
    records = read_person_csv(source, field_map=field_map, id_column=id_column)
    batch = Encoder(key).encode(records.fields)
    write_encoded_csv(
        out,
        ids=records.ids,
        filters=batch.filters,
        blocking=batch.blocking,
        schema_id=CURRENT_SCHEMA.schema_id,
        fingerprint=key_fingerprint(key),
    )
    return len(records.ids)


def link_files(
    sources: Sequence[Path],
    *,
    out: Path,
    histories: Path | None,
    threshold: float | None,
    workers: int | None = None,
) -> Linkage:
    if len(sources) < 2:
        raise LinkageInputError("link needs at least two encoded files")
    if threshold is not None and not 0.0 < threshold <= 1.0:
        raise LinkageInputError(f"--threshold {threshold}: must be in (0, 1]")
    lists = [read_encoded_csv(path) for path in sources]
    check_compatible(lists, sources)
    linkage = link_lists(lists, threshold=threshold, workers=workers)
    # Both outputs are complete before either is renamed into place.
    with atomic_writer(out) as links_handle:
        _write_links(links_handle, linkage, [item.ids for item in lists])
        if histories is not None:
            with atomic_writer(histories) as histories_handle:
                _write_histories(histories_handle, linkage)
    return linkage


def _write_links(handle: TextIO, linkage: Linkage, ids: Sequence[Sequence[str]]) -> None:
    writer = safe_csv.writer(handle, lineterminator="\n")
    writer.writerow(("cluster_id", "source", "record_id", "score"))
    rows = []
    for list_index, source in enumerate(linkage.sources):
        clusters = linkage.cluster_of[list_index].tolist()
        scores = linkage.score_of[list_index].tolist()
        for record_id, cluster, score in zip(ids[list_index], clusters, scores, strict=True):
            shown = "" if math.isnan(score) else f"{score:.4f}"
            rows.append((cluster, source, record_id, shown))
    rows.sort(key=lambda row: (row[0], row[1], row[2]))
    writer.writerows(rows)


def _write_histories(handle: TextIO, linkage: Linkage) -> None:
    writer = safe_csv.writer(handle, lineterminator="\n")
    writer.writerow((*linkage.sources, "count"))
    for pattern, count in capture_histories(linkage):
        writer.writerow((*pattern, count))
