"""The framework-free reader and checker: typed rows, or every problem with its line and
column; nothing but ImportRefusedError escapes, whatever the bytes (Hypothesis)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inbeeld.imports.table import Column, ImportRefusedError, Kind, parse
from inbeeld.imports.tests.xlsx import xlsx_bytes

COLUMNS = [
    Column("reference", required=True, max_length=10),
    Column("municipality", Kind.CHOICE, required=True, choices=frozenset({"GM0664", "GM0193"})),
    Column("incident_date", Kind.DATE),
    Column("acute", Kind.BOOLEAN),
    Column("people_count", Kind.INTEGER, minimum=1, maximum=500),
    Column("forms", Kind.CHOICES, choices=frozenset({"labour", "sexual", "criminal"})),
    Column("description"),
]
LIMIT = 100_000


def rows_of(data: bytes, name: str = "lijst.csv") -> list[dict[str, object]]:
    return [row.values for row in parse(data, name, COLUMNS, max_bytes=LIMIT, max_rows=100)]


def errors_of(data: bytes, name: str = "lijst.csv", **limits: int) -> list[str]:
    with pytest.raises(ImportRefusedError) as caught:
        parse(
            data,
            name,
            COLUMNS,
            max_bytes=limits.get("max_bytes", LIMIT),
            max_rows=limits.get("max_rows", 100),
        )
    return [str(issue) for issue in caught.value.issues]


def test_a_windows_1252_csv_with_semicolons_as_dutch_excel_saves_it_is_read() -> None:
    text = (
        "Reference;Municipality;Incident date;Acute;People count;Forms;Description\r\n"
        "R-1;GM0664;01-11-2026;ja;3;labour, sexual;Café aan de Markt, één werknemer\r\n"
        'R-2;gm0193;2026-10-31;nee;;;"Twee regels:\r\nen een ; erin"\r\n'
    )
    rows = rows_of(text.encode("cp1252"))
    assert rows[0] == {
        "reference": "R-1",
        "municipality": "GM0664",
        "incident_date": date(2026, 11, 1),
        "acute": True,
        "people_count": 3,
        "forms": ["labour", "sexual"],
        "description": "Café aan de Markt, één werknemer",
    }
    assert rows[1]["municipality"] == "GM0193"
    assert rows[1]["acute"] is False and rows[1]["people_count"] is None
    assert rows[1]["description"] == "Twee regels:\r\nen een ; erin"


def test_utf8_with_a_byte_order_mark_and_commas_is_read() -> None:
    text = "\ufeffreference,municipality,description\nR-1,GM0664,Ærø en Łódź\n"
    assert rows_of(text.encode("utf-8"))[0]["description"] == "Ærø en Łódź"


def test_an_excel_workbook_is_read_with_its_dates_and_numbers() -> None:
    data = xlsx_bytes(
        [
            ["reference", "municipality", "incident_date", "people_count", "acute"],
            ["R-1", "GM0664", date(2026, 11, 1), 2, "ja"],
            [None, None, None, None, None],
            ["R-2", "GM0193", "15-10-2026", 1.0, "nee"],
        ]
    )
    rows = rows_of(data, "lijst.xlsx")
    assert [row["incident_date"] for row in rows] == [date(2026, 11, 1), date(2026, 10, 15)]
    assert [row["people_count"] for row in rows] == [2, 1]


def test_every_error_of_the_file_is_listed_with_its_line_and_column() -> None:
    text = (
        "reference;municipality;incident_date;acute;people_count;forms\n"
        "R-1;GM0664;01-11-2026;ja;3;labour\n"
        ";GM9999;31-02-2026;misschien;0;labour,dance\n"
        "\n"
        "R-3;GM0193;;;600;\n"
        "R-4-too-long-reference;GM0193;;;;\n"
    )
    assert errors_of(text.encode("cp1252")) == [
        "line 3, column reference: A value is required.",
        "line 3, column municipality: Unknown code “GM9999”. Choose from: GM0193, GM0664.",
        "line 3, column incident_date: Not a date. Write it as DD-MM-YYYY (or YYYY-MM-DD).",
        "line 3, column acute: Write ja or nee.",
        "line 3, column people_count: Give a number from 1 to 500.",
        "line 3, column forms: Unknown code “dance”. Choose from: criminal, labour, sexual.",
        "line 5, column people_count: Give a number from 1 to 500.",
        "line 6, column reference: At most 10 characters; this value has 22.",
    ]


def test_unknown_missing_and_repeated_columns_are_named() -> None:
    assert errors_of(b"reference;gemeente;reference;;x\nR-1;GM0664;R-1;;1\n") == [
        "line 1, column gemeente: Unknown column. The columns are: reference, municipality, "
        "incident_date, acute, people_count, forms, description.",
        "line 1, column reference: The column appears twice.",
        "line 1: Column 4 has no name.",
        "line 1, column x: Unknown column. The columns are: reference, municipality, "
        "incident_date, acute, people_count, forms, description.",
        "line 1, column municipality: The required column is missing.",
    ]


def test_a_row_with_more_fields_than_the_header_is_named() -> None:
    assert errors_of(b"reference;municipality\nR-1;GM0664;extra\n") == [
        "line 2: The line has 3 fields, the header 2: a value without a column name (check "
        "the separators)."
    ]


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "lijst.csv", "The file is empty."),
        (b"\r\n  \r\n", "lijst.csv", "The file is empty."),
        (b"reference;municipality\r\n", "lijst.csv", "The file has column names but no rows."),
        (
            "reference;municipality\nR;GM0664\n".encode("utf-16"),
            "lijst.csv",
            "The file is in UTF-16 (Excel's “Unicode-tekst”) or is not a text file. Save it in "
            "Excel as “CSV UTF-8 (door komma's gescheiden)” or as “CSV (gescheiden door "
            "lijstscheidingsteken)”.",
        ),
        (
            b"reference;municipality\nR\x81;GM0664\n",
            "lijst.csv",
            "line 2: The file is neither UTF-8 nor Windows-1252 (byte 0x81). Save it in Excel "
            "as “CSV UTF-8 (door komma's gescheiden)”.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest",
            "lijst.xls",
            "This is an old Excel workbook (.xls). Save it in Excel as “Excel-werkmap (.xlsx)” "
            "or as “CSV (gescheiden door lijstscheidingsteken)” and import that.",
        ),
        (
            b"reference;municipality\n",
            "lijst.xlsx",
            "The file is named .xlsx but is not an Excel workbook. Save it again in Excel as "
            "“Excel-werkmap (.xlsx)”.",
        ),
        (
            b"PK\x03\x04broken",
            "lijst.xlsx",
            "The file cannot be read as an Excel workbook. Save it again in Excel as "
            "“Excel-werkmap (.xlsx)”, or as CSV.",
        ),
        (
            b'reference;municipality\nR;"GM0664\n',
            "lijst.csv",
            "line 2: The line cannot be read as CSV (a quotation mark that is not closed, or "
            "text after a closing one).",
        ),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_hint(
    data: bytes, name: str, expected: str
) -> None:
    assert errors_of(data, name) == [expected]


def test_an_oversized_file_and_too_many_rows_are_refused_with_the_limit() -> None:
    data = b"reference;municipality\n" + b"R;GM0664\n" * 3
    assert errors_of(data, max_bytes=20) == [
        "The file is 0 kB; files of at most 0 kB can be imported. Split the list into smaller "
        "files."
    ]
    assert errors_of(b"x" * (3 * 1024 * 1024), max_bytes=2 * 1024 * 1024) == [
        "The file is 3.0 MB; files of at most 2.0 MB can be imported. Split the list into "
        "smaller files."
    ]
    assert errors_of(data, max_rows=2) == [
        "The file has 3 rows; at most 2 can be imported at once. Split the list into smaller files."
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a.txt"]))
def test_any_bytes_give_rows_or_import_refused_never_anything_else(data: bytes, name: str) -> None:
    try:
        parse(data, name, COLUMNS, max_bytes=LIMIT, max_rows=100)
    except ImportRefusedError as refused:
        assert refused.issues
        assert all(str(issue) for issue in refused.issues)


_cell = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["GM0664", "ja", "nee", "01-11-2026", "2026-13-01", "3", "-1", "labour"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from([c.name for c in COLUMNS] + ["other", ""]), min_size=1, max_size=8),
    st.lists(st.lists(_cell, max_size=9), max_size=6),
    st.sampled_from([";", ",", "\t"]),
    st.sampled_from(["utf-8", "cp1252", "utf-8-sig"]),
)
def test_any_table_of_text_gives_rows_or_import_refused(
    header: list[str], rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding, errors="replace")
    try:
        parse(data, "a.csv", COLUMNS, max_bytes=LIMIT, max_rows=100)
    except ImportRefusedError as refused:
        assert refused.issues


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(st.one_of(st.none(), st.integers(-5, 10**6), _cell), max_size=6), max_size=5)
)
def test_any_workbook_gives_rows_or_import_refused(rows: list[list[object]]) -> None:
    data = xlsx_bytes([["reference", "municipality", "people_count"], *rows])  # type: ignore[list-item]
    try:
        parse(data, "a.xlsx", COLUMNS, max_bytes=LIMIT, max_rows=100)
    except ImportRefusedError as refused:
        assert refused.issues
