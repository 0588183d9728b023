"""Reading and writing the CSV files of the linkage commands, all-or-nothing.

Every output is written to a temporary file next to the target and renamed into place,
so a failure never leaves a half-written file for someone to upload or analyse.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import csv
import os
import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from inbeeld.linkage.encode import Filters
from inbeeld.linkage.errors import LinkageInputError
from inbeeld.linkage.normalise import CANONICAL_FIELDS, NORMALISERS, NormalisationError
from inbeeld.linkage.schema import SCHEMAS

ENCODED_HEADER = ("record_id", "schema", "key_fingerprint", "encoding", "blocking")


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """Open a temporary file for writing; rename it to ``path`` only if the block succeeds."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        try:
            handle = temporary.open("w", encoding="utf-8", newline="")
        except OSError as error:
            raise LinkageInputError(f"cannot write: {error.strerror}", path=str(path)) from error
        with handle:
            yield handle
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def parse_field_map(items: Sequence[str]) -> dict[str, str]:
    """``["surname=achternaam", ...]`` → ``{"surname": "achternaam"}``; checks the field names."""
    mapping: dict[str, str] = {}
    for item in items:
        field, separator, column = item.partition("=")
        field, column = field.strip(), column.strip()
        if not separator or not field or not column:
            raise LinkageInputError(f"--map {item!r}: expected FIELD=COLUMN")
        if field not in NORMALISERS:
            known = ", ".join(CANONICAL_FIELDS)
            raise LinkageInputError(f"--map {item!r}: unknown field {field!r} (known: {known})")
        mapping[field] = column
    return mapping


@dataclass(frozen=True)
class PersonRecords:
    ids: list[str]
    fields: list[dict[str, str]]  # canonical field → normalised value


def _open_csv(path: Path) -> tuple[TextIO, csv.DictReader[str], list[str]]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise LinkageInputError(f"cannot read file: {error.strerror}", path=str(path)) from error
    try:
        delimiter = _delimiter(handle.readline())
        handle.seek(0)
        reader = csv.DictReader(handle, delimiter=delimiter, skipinitialspace=True)
        header = [name.strip() for name in (reader.fieldnames or [])]
    except (UnicodeDecodeError, csv.Error) as error:
        handle.close()
        raise LinkageInputError(f"not a UTF-8 CSV file ({error})", path=str(path)) from error
    if not header:
        handle.close()
        raise LinkageInputError("empty file (no header line)", path=str(path))
    reader.fieldnames = header
    return handle, reader, header


def _delimiter(header_line: str) -> str:
    """Comma, or semicolon/tab when the header uses those instead.

    Dutch Excel writes "CSV" with semicolons; a partner should not have to know that.
    """
    counts = {delimiter: header_line.count(delimiter) for delimiter in ",;\t"}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] > counts[","] else ","


def read_person_csv(
    path: Path, *, field_map: Mapping[str, str], id_column: str | None
) -> PersonRecords:
    """Read a partner's plaintext list and normalise it; errors name file, line and field."""
    handle, reader, header = _open_csv(path)
    with handle:
        columns = _resolve_columns(path, header, field_map)
        if id_column is not None and id_column not in header:
            raise LinkageInputError(
                f"id column {id_column!r} not in header", path=str(path), line=1
            )
        ids: list[str] = []
        records: list[dict[str, str]] = []
        try:
            for row in reader:
                line = reader.line_num
                record_id = (row.get(id_column) or "").strip() if id_column else str(len(ids) + 1)
                if not record_id:
                    raise LinkageInputError(
                        f"empty id in column {id_column!r}", path=str(path), line=line
                    )
                ids.append(record_id)
                records.append(_normalise_row(path, line, row, columns))
        except (UnicodeDecodeError, csv.Error) as error:
            raise LinkageInputError(f"unreadable CSV ({error})", path=str(path)) from error
    if not records:
        raise LinkageInputError("no records (only a header)", path=str(path))
    _check_unique(path, ids)
    return PersonRecords(ids, records)


def _resolve_columns(path: Path, header: list[str], field_map: Mapping[str, str]) -> dict[str, str]:
    columns = {field: field for field in CANONICAL_FIELDS if field in header}
    columns.update(field_map)
    for field, column in columns.items():
        if column not in header:
            raise LinkageInputError(
                f"column {column!r} (for field {field!r}) not in header", path=str(path), line=1
            )
    if not columns:
        raise LinkageInputError(
            "no identifying columns: name them like the canonical fields "
            f"({', '.join(CANONICAL_FIELDS)}) or use --map FIELD=COLUMN",
            path=str(path),
            line=1,
        )
    return columns


def _normalise_row(
    path: Path, line: int, row: Mapping[str, str | None], columns: Mapping[str, str]
) -> dict[str, str]:
    fields: dict[str, str] = {}
    for field, column in columns.items():
        raw = row.get(column) or ""
        try:
            fields[field] = NORMALISERS[field](raw)
        except NormalisationError as error:
            raise LinkageInputError(
                f"field {field!r} (column {column!r}): {error}", path=str(path), line=line
            ) from error
    return fields


def _check_unique(path: Path, ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for number, record_id in enumerate(ids, start=2):
        if record_id in seen:
            raise LinkageInputError(
                f"duplicate record id {record_id!r}", path=str(path), line=number
            )
        seen.add(record_id)


def write_encoded_csv(
    path: Path,
    *,
    ids: Sequence[str],
    filters: Filters,
    blocking: Sequence[Sequence[str]],
    schema_id: str,
    fingerprint: str,
) -> None:
    raw = np.ascontiguousarray(filters).view(np.uint8)
    with atomic_writer(path) as handle:
        # Not inbeeld.lib.safe_csv: this is a machine format that `inbeeld link` and the
        # upload page read back, and a quote in front would corrupt it. `schema`,
        # `key_fingerprint` and `blocking` are fixed alphabets (lower-case letters, digits,
        # hyphen; hex) that cannot start a formula. `encoding` is base64, which may start
        # with "+" but holds no parenthesis, quote, "!" or "|", so it can call no function
        # and no program; quoting it would break the base64. `record_id` is the partner's
        # own id from the partner's own file and must come back unchanged (it maps the
        # result to their records); the files a person opens (LINKS.csv, the dedupe
        # clusters) neutralise it. Guarded by linkage/tests/test_csv_safety.py.
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(ENCODED_HEADER)
        for record_id, row, values in zip(ids, raw, blocking, strict=True):
            encoding = base64.b64encode(row.tobytes()).decode("ascii")
            writer.writerow((record_id, schema_id, fingerprint, encoding, " ".join(values)))


@dataclass(frozen=True)
class EncodedList:
    """One partner's encoded list as the hub sees it."""

    source: str  # the file stem, the list's name in LINKS.csv and HIST.csv
    ids: list[str]
    filters: Filters
    blocking: list[list[str]]
    schema_id: str
    fingerprint: str


def read_encoded_csv(path: Path) -> EncodedList:
    handle, reader, header = _open_csv(path)
    with handle:
        if tuple(header) != ENCODED_HEADER:
            raise LinkageInputError(
                f"not an encoded file: header should be {','.join(ENCODED_HEADER)}",
                path=str(path),
                line=1,
            )
        ids: list[str] = []
        chunks: list[bytes] = []
        blocking: list[list[str]] = []
        schema_id = fingerprint = ""
        expected_bytes = 0
        try:
            for row in reader:
                line = reader.line_num
                if not ids:
                    schema_id, fingerprint = row["schema"], row["key_fingerprint"]
                    expected_bytes = _schema_bytes(path, line, schema_id)
                _check_same(path, line, row, schema_id, fingerprint)
                chunks.append(_decode(path, line, row["encoding"] or "", expected_bytes))
                ids.append((row["record_id"] or "").strip())
                blocking.append(_blocking_values(path, line, row["blocking"] or ""))
        except (UnicodeDecodeError, csv.Error) as error:
            raise LinkageInputError(f"unreadable CSV ({error})", path=str(path)) from error
    if not ids:
        raise LinkageInputError("no records (only a header)", path=str(path))
    _check_unique(path, ids)
    buffer = np.frombuffer(b"".join(chunks), dtype=np.uint64).reshape(len(ids), -1)
    return EncodedList(path.stem, ids, buffer.copy(), blocking, schema_id, fingerprint)


def _schema_bytes(path: Path, line: int, schema_id: str) -> int:
    schema = SCHEMAS.get(schema_id)
    if schema is None:
        raise LinkageInputError(f"unknown encoding schema {schema_id!r}", path=str(path), line=line)
    return schema.filter_bits // 8


def _check_same(
    path: Path, line: int, row: Mapping[str, str], schema_id: str, fingerprint: str
) -> None:
    if row["schema"] != schema_id:
        raise LinkageInputError(
            f"schema {row['schema']!r} differs from {schema_id!r} earlier in the file",
            path=str(path),
            line=line,
        )
    if row["key_fingerprint"] != fingerprint:
        raise LinkageInputError(
            "key fingerprint differs from earlier in the file (mixed keys)",
            path=str(path),
            line=line,
        )
    if not (row["record_id"] or "").strip():
        raise LinkageInputError("empty record_id", path=str(path), line=line)


_BLOCKING_VALUE = re.compile(r"^[0-9a-f]{16}$")


def _blocking_values(path: Path, line: int, text: str) -> list[str]:
    values = text.split()
    for value in values:
        if not _BLOCKING_VALUE.match(value):
            raise LinkageInputError(
                f"field 'blocking' holds {value[:20]!r}, not 16 hex digits",
                path=str(path),
                line=line,
            )
    return values


def _decode(path: Path, line: int, text: str, expected_bytes: int) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise LinkageInputError(
            "field 'encoding' is not base64", path=str(path), line=line
        ) from error
    if len(raw) != expected_bytes:
        raise LinkageInputError(
            f"field 'encoding' has {len(raw)} bytes, schema needs {expected_bytes}",
            path=str(path),
            line=line,
        )
    return raw


def check_compatible(lists: Sequence[EncodedList], paths: Sequence[Path]) -> None:
    """All lists must share schema and key, and have distinct names."""
    first, first_path = lists[0], paths[0]
    seen: dict[str, Path] = {}
    for encoded, path in zip(lists, paths, strict=True):
        if encoded.schema_id != first.schema_id:
            raise LinkageInputError(
                f"encoded with schema {encoded.schema_id!r}, but {first_path} with "
                f"{first.schema_id!r}; re-encode with the same InBeeld version",
                path=str(path),
            )
        if encoded.fingerprint != first.fingerprint:
            raise LinkageInputError(
                f"encoded with key {encoded.fingerprint}, but {first_path} with key "
                f"{first.fingerprint}; all partners must use the same key file",
                path=str(path),
            )
        if encoded.source in seen:
            raise LinkageInputError(
                f"same file name {encoded.source!r} as {seen[encoded.source]}; "
                "list names come from file names and must differ",
                path=str(path),
            )
        seen[encoded.source] = path
