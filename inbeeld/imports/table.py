"""Reading a partner's list (CSV or Excel) and checking it whole: framework-free.

No Django here (an import-linter contract), so that the reading and checking can be tested
and fuzzed on their own and run anywhere. ``parse`` returns typed rows, or raises
``ImportRefusedError`` with every problem found, each naming its line and column ("line 4,
column incident_date: ..."). Nothing else escapes: whatever the bytes, the caller gets rows
or that one error type (a Hypothesis test holds this).

What a partner sends, as Dutch Excel saves it: .xlsx, or CSV in Windows-1252 with ``;``
between the fields (Excel's "CSV (gescheiden door lijstscheidingsteken)"); also CSV in
UTF-8 (with or without a byte-order mark) with ``;``, ``,`` or tabs. Old .xls workbooks,
UTF-16 text and other encodings are refused with a hint how to save the file instead.

Messages are English templates with named parameters, marked with ``gettext_noop`` so that
Django's makemessages finds them; the web page translates them (Issue.text), the CLI prints
them as they are.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

Cell = Any  # str from CSV; str, float, int, bool, date, datetime or None from Excel
Translate = Callable[[str], str]


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages finds it); translated where shown."""
    return message


def _same(message: str) -> str:
    return message


@dataclass(frozen=True)
class Issue:
    """One problem: where (line and column, when known) and what, as a template."""

    message: str
    params: Mapping[str, str | int] = field(default_factory=dict)
    line: int | None = None
    column: str | None = None

    def text(self, translate: Translate = _same) -> str:
        body = translate(self.message) % dict(self.params)
        if self.line is not None and self.column is not None:
            where = translate(gettext_noop("line %(line)d, column %(column)s")) % {
                "line": self.line,
                "column": self.column,
            }
        elif self.line is not None:
            where = translate(gettext_noop("line %(line)d")) % {"line": self.line}
        else:
            return body
        return f"{where}: {body}"

    def __str__(self) -> str:
        return self.text()


class ImportRefusedError(Exception):
    """The file cannot be imported: every problem found, in the order of the file."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        super().__init__("; ".join(str(issue) for issue in issues[:3]))
        self.issues = list(issues)


class Kind(Enum):
    TEXT = "text"
    DATE = "date"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    CHOICE = "choice"  # one code of ``choices``
    CHOICES = "choices"  # codes of ``choices`` separated by , ; or |


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    max_length: int = 200
    minimum: int | None = None
    maximum: int | None = None
    choices: frozenset[str] = frozenset()
    # Applied to a CHOICE/CHOICES value before it is looked up (e.g. "654" → "GM0654").
    clean: Callable[[str], str] | None = None


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Sheet:
    """The file's cells: the header and the rows below it, each with its line number."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]]
    header_line: int = 1


# --- reading ------------------------------------------------------------------------------

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003) and other OLE files
# Bytes Windows-1252 does not define: a file with them is in some other encoding.
_CP1252_UNDEFINED = re.compile(b"[\x81\x8d\x8f\x90\x9d]")


def _refuse(message: str, **params: str | int) -> ImportRefusedError:
    return ImportRefusedError([Issue(message, params)])


def read_sheet(data: bytes, filename: str, *, max_bytes: int) -> Sheet:
    """The header and rows of a CSV or .xlsx file, decided by its content, not its name."""
    if len(data) > max_bytes:
        raise _refuse(
            gettext_noop(
                "The file is %(size)s; files of at most %(limit)s can be imported. Split the "
                "list into smaller files."
            ),
            size=_size(len(data)),
            limit=_size(max_bytes),
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise _refuse(gettext_noop("The file is empty."))
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data, max_bytes=max_bytes)
    if data.startswith(OLE_MAGIC) or filename.lower().endswith(".xls"):
        raise _refuse(
            gettext_noop(
                "This is an old Excel workbook (.xls). Save it in Excel as “Excel-werkmap "
                "(.xlsx)” or as “CSV (gescheiden door lijstscheidingsteken)” and import that."
            )
        )
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise _refuse(
            gettext_noop(
                "The file is named .xlsx but is not an Excel workbook. Save it again in Excel "
                "as “Excel-werkmap (.xlsx)”."
            )
        )
    return _read_csv(_decoded(data))


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MB"
    return f"{count / 1024:.0f} kB"


def _decoded(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, as Dutch Excel saves CSV."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise _refuse(
            gettext_noop(
                "The file is in UTF-16 (Excel's “Unicode-tekst”) or is not a text file. Save "
                "it in Excel as “CSV UTF-8 (door komma's gescheiden)” or as “CSV "
                "(gescheiden door lijstscheidingsteken)”."
            )
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    undefined = _CP1252_UNDEFINED.search(data)
    if undefined is not None:
        position = undefined.start()
        raise ImportRefusedError(
            [
                Issue(
                    gettext_noop(
                        "The file is neither UTF-8 nor Windows-1252 (byte %(byte)s). "
                        "Save it in Excel as “CSV UTF-8 (door komma's gescheiden)”."
                    ),
                    {"byte": f"0x{data[position]:02X}"},
                    line=data.count(b"\n", 0, position) + 1,
                )
            ]
        )
    return data.decode("cp1252")


def _delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


def _read_csv(text: str) -> Sheet:
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True
    )
    records: list[tuple[int, list[Cell]]] = []
    line = 1
    try:
        for record in reader:
            records.append((line, list(record)))
            line = reader.line_num + 1
    except csv.Error:
        raise ImportRefusedError(
            [
                Issue(
                    gettext_noop(
                        "The line cannot be read as CSV (a quotation mark that is not closed, "
                        "or text after a closing one)."
                    ),
                    line=line,
                )
            ]
        ) from None
    return _sheet(records)


def _read_xlsx(data: bytes, *, max_bytes: int) -> Sheet:
    unreadable = _refuse(
        gettext_noop(
            "The file cannot be read as an Excel workbook. Save it again in Excel as "
            "“Excel-werkmap (.xlsx)”, or as CSV."
        )
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise unreadable from None
    # A small file that unpacks to gigabytes is refused before it is unpacked.
    if unpacked > 20 * max_bytes:
        raise unreadable
    # Imported here: reading CSV does not need the Rust extension loaded.
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise unreadable
        cells = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except ImportRefusedError:
        raise
    except Exception:  # the library's errors vary by what is broken: one answer for all
        raise unreadable from None
    return _sheet([(number, list(row)) for number, row in enumerate(cells, start=1)])


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _sheet(records: Iterable[tuple[int, list[Cell]]]) -> Sheet:
    filled = [(line, cells) for line, cells in records if not all(_blank(c) for c in cells)]
    if not filled:
        raise _refuse(gettext_noop("The file is empty."))
    header_line, header = filled[0]
    names = [_header_name(cell) for cell in header]
    while names and not names[-1]:
        names.pop()
    return Sheet(header=names, rows=filled[1:], header_line=header_line)


def _header_name(cell: Cell) -> str:
    text = "" if cell is None else str(cell)
    return re.sub(r"[\s\-]+", "_", text.strip().lstrip("\ufeff").strip().lower())


# --- checking -----------------------------------------------------------------------------


def parse(
    data: bytes,
    filename: str,
    columns: Sequence[Column],
    *,
    max_bytes: int,
    max_rows: int,
) -> list[Row]:
    """Every row typed, or ImportRefusedError with every problem of the whole file."""
    sheet = read_sheet(data, filename, max_bytes=max_bytes)
    return check_sheet(sheet, columns, max_rows=max_rows)


def check_sheet(sheet: Sheet, columns: Sequence[Column], *, max_rows: int) -> list[Row]:
    _check_header(sheet, columns)
    if not sheet.rows:
        raise _refuse(gettext_noop("The file has column names but no rows."))
    if len(sheet.rows) > max_rows:
        raise _refuse(
            gettext_noop(
                "The file has %(rows)d rows; at most %(limit)d can be imported at once. Split "
                "the list into smaller files."
            ),
            rows=len(sheet.rows),
            limit=max_rows,
        )
    by_name = {column.name: column for column in columns}
    positions = [(index, by_name[name]) for index, name in enumerate(sheet.header)]
    absent = [column for column in columns if column.name not in sheet.header]
    issues: list[Issue] = []
    rows: list[Row] = []
    width = len(sheet.header)
    for line, cells in sheet.rows:
        if len(cells) > width and any(not _blank(cell) for cell in cells[width:]):
            issues.append(
                Issue(
                    gettext_noop(
                        "The line has %(count)d fields, the header %(width)d: a value without "
                        "a column name (check the separators)."
                    ),
                    {"count": len(cells), "width": width},
                    line=line,
                )
            )
            continue
        values: dict[str, Any] = {}
        for index, column in positions:
            cell = cells[index] if index < len(cells) else None
            try:
                values[column.name] = _typed(cell, column)
            except _CellError as error:
                issues.append(Issue(error.message, error.params, line=line, column=column.name))
        for column in absent:
            values[column.name] = _empty(column)
        rows.append(Row(line, values))
    if issues:
        raise ImportRefusedError(issues)
    return rows


def _check_header(sheet: Sheet, columns: Sequence[Column]) -> None:
    known = [column.name for column in columns]
    issues: list[Issue] = []
    line = sheet.header_line
    seen: set[str] = set()
    for position, name in enumerate(sheet.header, start=1):
        if not name:
            issues.append(
                Issue(
                    gettext_noop("Column %(position)d has no name."),
                    {"position": position},
                    line=line,
                )
            )
        elif name in seen:
            issues.append(
                Issue(gettext_noop("The column appears twice."), line=line, column=name[:60])
            )
        elif name not in known:
            issues.append(
                Issue(
                    gettext_noop("Unknown column. The columns are: %(known)s."),
                    {"known": ", ".join(known)},
                    line=line,
                    column=name[:60],
                )
            )
        seen.add(name)
    for column in columns:
        if column.required and column.name not in seen:
            issues.append(
                Issue(
                    gettext_noop("The required column is missing."),
                    line=line,
                    column=column.name,
                )
            )
    if issues:
        raise ImportRefusedError(issues)


class _CellError(Exception):
    def __init__(self, message: str, **params: str | int) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


_EMPTY: dict[Kind, Any] = {Kind.TEXT: "", Kind.CHOICE: "", Kind.BOOLEAN: False}


def _empty(column: Column) -> Any:
    return [] if column.kind is Kind.CHOICES else _EMPTY.get(column.kind)


def _text(cell: Cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # Excel stores 654 as 654.0
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return "" if cell is None else str(cell).strip()


def _typed(cell: Cell, column: Column) -> Any:
    if _blank(cell):
        if column.required:
            raise _CellError(gettext_noop("A value is required."))
        return _empty(column)
    if column.kind is Kind.DATE:
        return _date(cell)
    if column.kind is Kind.INTEGER:
        return _integer(cell, column)
    if column.kind is Kind.BOOLEAN:
        return _boolean(cell)
    text = _text(cell)
    if column.kind is Kind.CHOICE:
        return _choice(text, column)
    if column.kind is Kind.CHOICES:
        codes = [part.strip() for part in re.split(r"[,;|]", text) if part.strip()]
        return sorted({_choice(code, column) for code in codes})
    if len(text) > column.max_length:
        raise _CellError(
            gettext_noop("At most %(max)d characters; this value has %(count)d."),
            max=column.max_length,
            count=len(text),
        )
    return text


# DD-MM-YYYY as Dutch Excel writes it (also with / or .), and ISO's YYYY-MM-DD. A regular
# expression rather than strptime with each format in turn: a list of 100,000 rows has
# hundreds of thousands of dates, and a failed strptime raises.
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _date(cell: Cell) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = _text(cell)
    match = _DUTCH_DATE.fullmatch(text)
    if match is not None:
        day, month, year = (int(part) for part in match.groups())
    elif (match := _ISO_DATE.fullmatch(text)) is not None:
        year, month, day = (int(part) for part in match.groups())
    else:
        year = month = day = 0
    try:
        return date(year, month, day)
    except ValueError:
        pass
    # The value is not repeated: a date column may hold something personal by mistake.
    raise _CellError(gettext_noop("Not a date. Write it as DD-MM-YYYY (or YYYY-MM-DD)."))


def _integer(cell: Cell, column: Column) -> int:
    number: int | None = None
    if isinstance(cell, int) and not isinstance(cell, bool):
        number = cell
    elif (isinstance(cell, float) and cell.is_integer()) or (
        isinstance(cell, str) and re.fullmatch(r"\s*-?\d{1,9}\s*", cell)
    ):
        number = int(cell)
    if number is None:
        raise _CellError(gettext_noop("Not a whole number."))
    low, high = column.minimum, column.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        raise _CellError(
            gettext_noop("Give a number from %(min)d to %(max)d."),
            min=low if low is not None else number,
            max=high if high is not None else number,
        )
    return number


_TRUE = frozenset({"ja", "j", "yes", "y", "true", "waar", "1", "x"})
_FALSE = frozenset({"nee", "n", "no", "false", "onwaar", "0"})


def _boolean(cell: Cell) -> bool:
    if isinstance(cell, bool):
        return cell
    text = _text(cell).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _CellError(gettext_noop("Write ja or nee."))


def _choice(text: str, column: Column) -> str:
    value = column.clean(text) if column.clean else text
    if value in column.choices:
        return value
    lowered = {choice.lower(): choice for choice in column.choices}
    if value.lower() in lowered:
        return lowered[value.lower()]
    shown = text if len(text) <= 30 else text[:30] + "…"
    if len(column.choices) <= 12:
        return _unknown(shown, ", ".join(sorted(column.choices)))
    raise _CellError(
        gettext_noop("Unknown code “%(value)s”: see the list of codes in the documentation."),
        value=shown,
    )


def _unknown(shown: str, allowed: str) -> str:
    raise _CellError(
        gettext_noop("Unknown code “%(value)s”. Choose from: %(allowed)s."),
        value=shown,
        allowed=allowed,
    )
