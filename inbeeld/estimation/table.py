"""Capture-history tables: reading, validating and normalising the input of MSE.

A capture-history table has one 0/1 column per list and a ``count`` column: one row per
observed pattern of lists, the number of people seen on exactly that combination of lists.
This is the data-frame format of the R package SparseMSE.

Every reader returns the same normalised :class:`CaptureTable`: rows with count 0 and the
all-zero pattern dropped, rows sorted by pattern, so that the estimate does not depend on
the order of the input rows (the bootstrap resamples rows, so the order would otherwise
leak into the random stream).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inbeeld.estimation.warning import ALL_ZERO_IGNORED, FEW_OVERLAPS, EstimationWarning

if TYPE_CHECKING:
    import pandas as pd

COUNT_COLUMN = "count"
# Below this many people on more than one list, every method's estimate is fragile.
FEW_OVERLAPS_BELOW = 10


class TableError(ValueError):
    """The input is not a valid capture-history table.

    ``line`` is the 1-based line of the CSV file (the header is line 1) where the problem
    was found, or None when the problem has no single line (unreadable file).
    """

    def __init__(self, problem: str, line: int | None = None) -> None:
        self.problem = problem
        self.line = line
        super().__init__(problem if line is None else f"line {line}: {problem}")


@dataclass(frozen=True)
class CaptureTable:
    """Observed capture patterns and their counts, normalised.

    ``patterns[r][i]`` is 1 when the people of row ``r`` are on list ``lists[i]``.
    Only observed patterns with a positive count are kept, sorted by pattern code
    (list 0 is bit 0 of the code).
    """

    lists: tuple[str, ...]
    patterns: tuple[tuple[int, ...], ...]
    counts: tuple[int, ...]
    warnings: tuple[EstimationWarning, ...] = field(default=())

    @property
    def n_lists(self) -> int:
        return len(self.lists)

    @property
    def observed(self) -> int:
        """Number of distinct people seen on at least one list."""
        return sum(self.counts)

    @property
    def codes(self) -> tuple[int, ...]:
        """Bit code of each row's pattern (list ``i`` is bit ``i``)."""
        return tuple(pattern_code(p) for p in self.patterns)

    @property
    def on_several_lists(self) -> int:
        """People on more than one list: what every estimate rests on."""
        return sum(c for p, c in zip(self.patterns, self.counts, strict=True) if sum(p) > 1)

    def few_overlaps_warnings(self) -> list[EstimationWarning]:
        """A warning when very few people are on several lists (none otherwise)."""
        if self.on_several_lists < FEW_OVERLAPS_BELOW:
            return [EstimationWarning(FEW_OVERLAPS, {"count": self.on_several_lists})]
        return []

    def list_size(self, index: int) -> int:
        return sum(c for p, c in zip(self.patterns, self.counts, strict=True) if p[index])

    def overlap(self, first: int, second: int) -> int:
        """N*_ij: people on both lists, whatever their other lists."""
        return sum(
            c for p, c in zip(self.patterns, self.counts, strict=True) if p[first] and p[second]
        )


def pattern_code(pattern: Sequence[int]) -> int:
    return sum(1 << i for i, bit in enumerate(pattern) if bit)


def build_table(
    lists: Sequence[str],
    rows: Iterable[tuple[Sequence[Any], Any]],
    *,
    line_numbers: Sequence[int] | None = None,
    header_line: int | None = None,
    allow_empty_lists: bool = False,
) -> CaptureTable:
    """Validate already-parsed rows and normalise them into a :class:`CaptureTable`.

    ``line_numbers`` (one per row) lets errors point at the CSV line of the row, and
    ``header_line`` at the header for problems of a whole column. ``allow_empty_lists``
    accepts a list without cases (a stratum's table, before its empty lists go).
    """
    names = tuple(str(name) for name in lists)
    _check_list_names(names, line=header_line)
    seen: dict[tuple[int, ...], int | None] = {}
    merged: dict[tuple[int, ...], int] = {}
    warnings: list[EstimationWarning] = []
    for index, (raw_pattern, raw_count) in enumerate(rows):
        line = line_numbers[index] if line_numbers is not None else None
        where = "" if line is not None else f" (row {index + 1})"
        pattern = tuple(_check_bit(bit, names, i, line, where) for i, bit in enumerate(raw_pattern))
        if len(pattern) != len(names):
            raise TableError(
                f"pattern has {len(pattern)} cells, expected {len(names)}{where}", line
            )
        count = _check_count(raw_count, line, where)
        if pattern in seen:
            earlier = seen[pattern]
            before = f" (also on line {earlier})" if earlier is not None else ""
            raise TableError(f"duplicate pattern {_show(pattern)}{before}{where}", line)
        seen[pattern] = line
        if not any(pattern):
            if count > 0:
                warnings.append(EstimationWarning(ALL_ZERO_IGNORED, {"count": count}))
            continue
        if count > 0:
            merged[pattern] = count
    if not seen:
        raise TableError("no data rows", header_line)
    if not merged:
        raise TableError("no one observed: every count is 0", header_line)
    for i, name in enumerate(names):
        if not allow_empty_lists and not any(p[i] for p in merged):
            raise TableError(
                f"list '{name}' has no cases (no row with {name}=1 and a positive count), "
                "so no estimate exists; remove the column",
                header_line,
            )
    ordered = sorted(merged.items(), key=lambda item: pattern_code(item[0]))
    return CaptureTable(
        lists=names,
        patterns=tuple(p for p, _ in ordered),
        counts=tuple(c for _, c in ordered),
        warnings=tuple(warnings),
    )


def _show(pattern: Sequence[int]) -> str:
    return "".join(str(b) for b in pattern)


def _check_list_names(names: tuple[str, ...], line: int | None) -> None:
    if len(names) < 2:
        raise TableError(
            f"need at least two list columns besides '{COUNT_COLUMN}', found {len(names)}", line
        )
    for name in names:
        if not name.strip():
            raise TableError("empty column name in header", line)
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise TableError(f"duplicate column name(s) in header: {', '.join(duplicates)}", line)
    for name in names:
        if ":" in name or "," in name:
            raise TableError(f"list name '{name}' may not contain ':' or ','", line)


def _check_bit(value: Any, names: tuple[str, ...], index: int, line: int | None, where: str) -> int:
    name = names[index] if index < len(names) else f"column {index + 1}"
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text in ("0", "1"):
            return int(text)
        hint = ""
        if text and not text.replace(".", "", 1).lstrip("-").isdigit():
            hint = f" (if '{name}' is a category such as a form of exploitation: --strata {name})"
        raise TableError(f"cell for list '{name}' is {value!r}, expected 0 or 1{where}{hint}", line)
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if number in (0.0, 1.0):
        return int(number)
    raise TableError(f"cell for list '{name}' is {value!r}, expected 0 or 1{where}", line)


def _check_count(value: Any, line: int | None, where: str) -> int:
    if isinstance(value, bool):
        raise TableError(f"count is {value!r}, expected a whole number >= 0{where}", line)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise TableError(f"count is empty, expected a whole number >= 0{where}", line)
        try:
            number = float(text)
        except ValueError:
            raise TableError(
                f"count is {value!r}, expected a whole number >= 0{where}", line
            ) from None
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise TableError(
                f"count is {value!r}, expected a whole number >= 0{where}", line
            ) from None
    if math.isnan(number) or math.isinf(number):
        raise TableError(f"count is {value!r}, expected a whole number >= 0{where}", line)
    if number < 0:
        raise TableError(f"negative count {value!r}{where}", line)
    if number != int(number):
        raise TableError(f"count {value!r} is not a whole number{where}", line)
    return int(number)


def read_csv(path: str | Path) -> CaptureTable:
    """Read a capture-history file: comma-, semicolon- or tab-separated text.

    UTF-8 is expected; a file that is not UTF-8 is read as Windows-1252 (what Dutch
    Excel writes as "CSV (gescheiden door lijstscheidingsteken)"), and Excel's "Unicode
    text" (UTF-16 with a byte-order mark, tab-separated) is read too.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise TableError(f"cannot read file: {error.strerror or error}") from None
    return parse_csv_text(decode_text(raw))


def decode_text(raw: bytes) -> str:
    """UTF-16 with a byte-order mark, else UTF-8, else Windows-1252; else name the line."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise TableError("cannot read file: broken UTF-16 text") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise TableError(
            f"cannot read the text: byte 0x{raw[error.start]:02x} is neither UTF-8 nor "
            "Windows-1252; save the file as 'CSV UTF-8 (door komma's gescheiden)'",
            line,
        ) from None


def parse_csv_text(text: str) -> CaptureTable:
    """Parse the text of a capture-history CSV file; errors name the line."""
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise TableError("empty file: expected a header with list columns and 'count'", 1)
    header_index = next(i for i, line in enumerate(lines) if line.strip())
    delimiter = _delimiter(lines[header_index])
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[list[str], str]] = []
    line_numbers: list[int] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header, header_line = [cell.strip() for cell in record], line
                continue
            if len(record) != len(header):
                raise TableError(
                    f"{len(record)} fields, but the header on line {header_line} has {len(header)}",
                    line,
                )
            rows.append(_split_record(record, header, line))
            line_numbers.append(line)
    except csv.Error as error:
        raise TableError(f"malformed CSV: {error}", reader.line_num) from None
    if header is None:  # unreachable: the file has a non-blank line
        raise TableError("empty file", 1)
    lists = _list_columns(header, header_line)
    if not rows:
        raise TableError("no data rows after the header", header_line)
    return build_table(
        lists,
        [(pattern, count) for pattern, count in rows],
        line_numbers=line_numbers,
        header_line=header_line,
    )


DELIMITERS = (",", ";", "\t")


def _delimiter(header_line: str) -> str:
    """The separator that occurs most often in the header (a tie goes to the comma)."""
    return max(DELIMITERS, key=header_line.count)


def _list_columns(header: list[str], line: int) -> list[str]:
    lowered = [name.lower() for name in header]
    if lowered.count(COUNT_COLUMN) == 0:
        if len(header) == 1 and COUNT_COLUMN in lowered[0].split():
            raise TableError(
                "the columns seem separated by spaces; separate them with commas, "
                "semicolons or tabs",
                line,
            )
        raise TableError(f"missing '{COUNT_COLUMN}' column in header", line)
    if lowered.count(COUNT_COLUMN) > 1:
        raise TableError(f"more than one '{COUNT_COLUMN}' column in header", line)
    lists = [name for name in header if name.lower() != COUNT_COLUMN]
    _check_list_names(tuple(lists), line)
    return lists


def _split_record(record: list[str], header: list[str], line: int) -> tuple[list[str], str]:
    pattern: list[str] = []
    count = ""
    for name, cell in zip(header, record, strict=True):
        if name.lower() == COUNT_COLUMN:
            count = cell
        else:
            pattern.append(cell)
    return pattern, count


def from_mapping(
    counts: Mapping[Any, Any],
    lists: Sequence[str] | None = None,
) -> CaptureTable:
    """Build a table from ``{pattern: count}``.

    Patterns are tuples of 0/1 or strings such as ``"101"`` (first character = first list).
    Lists are named A, B, C, … unless ``lists`` is given.
    """
    parsed: list[tuple[tuple[int, ...], Any]] = []
    for key, count in counts.items():
        bits: Sequence[Any] = list(key.strip()) if isinstance(key, str) else key
        where = f" (pattern {key!r})"
        parsed.append((tuple(_check_bit(b, (), 0, None, where) for b in bits), count))
    width = len(parsed[0][0]) if parsed else 0
    for pattern, _ in parsed:
        if len(pattern) != width:
            raise TableError(f"patterns have different lengths ({width} and {len(pattern)})")
    names = list(lists) if lists is not None else default_list_names(width)
    if len(names) != width:
        raise TableError(f"{len(names)} list names for patterns of length {width}")
    return build_table(names, parsed)


def from_dataframe(frame: pd.DataFrame) -> CaptureTable:
    """Build a table from a DataFrame with 0/1 list columns and a ``count`` column."""
    columns = [str(c).strip() for c in frame.columns]
    lists = _list_columns(columns, 1)
    count_position = [c.lower() for c in columns].index(COUNT_COLUMN)
    list_positions = [i for i in range(len(columns)) if i != count_position]
    rows = [
        ([record[i] for i in list_positions], record[count_position])
        for record in frame.itertuples(index=False, name=None)
    ]
    if not rows:
        raise TableError("no data rows")
    return build_table(lists, rows)


def default_list_names(n_lists: int) -> list[str]:
    """A, B, …, Z, then L27, L28, … for very many lists."""
    return [chr(ord("A") + i) if i < 26 else f"L{i + 1}" for i in range(n_lists)]


def as_table(data: Any, lists: Sequence[str] | None = None) -> CaptureTable:
    """Accept a CaptureTable, a CSV path, a pandas DataFrame, or a pattern → count mapping."""
    if isinstance(data, CaptureTable):
        return data
    if isinstance(data, str | Path):
        return read_csv(data)
    if isinstance(data, Mapping):
        return from_mapping(data, lists)
    if hasattr(data, "columns") and hasattr(data, "itertuples"):
        return from_dataframe(data)
    raise TypeError(f"cannot read a capture-history table from {type(data).__name__}")
