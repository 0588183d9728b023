"""Reading and validating capture-history tables."""

from __future__ import annotations

import pandas as pd
import pytest

from inbeeld.estimation import TableError, from_dataframe, from_mapping, parse_csv_text
from inbeeld.estimation.table import as_table, read_csv
from inbeeld.estimation.warning import EstimationWarning


def test_csv_is_normalised_sorted_and_zero_rows_dropped():
    table = parse_csv_text("A,B,count\n1,1,5\n0,1,7\n1,0,3\n0,0,0\n")
    assert table.lists == ("A", "B")
    assert table.patterns == ((1, 0), (0, 1), (1, 1))
    assert table.counts == (3, 7, 5)
    assert table.observed == 15
    assert table.list_size(0) == 8
    assert table.overlap(0, 1) == 5


def test_all_zero_pattern_is_ignored_with_a_warning():
    table = parse_csv_text("A,B,count\n0,0,99\n1,0,3\n0,1,2\n1,1,1\n")
    assert table.observed == 6
    assert table.warnings == (EstimationWarning("all_zero_ignored", {"count": 99}),)


def test_zero_count_rows_change_nothing():
    plain = parse_csv_text("A,B,C,count\n1,0,0,3\n0,1,0,2\n1,1,0,1\n0,0,1,4\n")
    padded = parse_csv_text("A,B,C,count\n1,0,0,3\n0,1,1,0\n0,1,0,2\n1,1,0,1\n0,0,1,4\n")
    assert plain == padded


def test_count_column_may_be_anywhere_and_semicolons_work():
    table = parse_csv_text("count;Police;Care\n4;1;0\n6;0;1\n2;1;1\n")
    assert table.lists == ("Police", "Care")
    assert table.counts == (4, 6, 2)


def test_whole_number_floats_are_accepted():
    assert parse_csv_text("A,B,count\n1,0,3.0\n0,1,2\n1,1,1\n").counts[0] == 3


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("A,B,count\n1,0,3\n2,1,4\n", 3, "expected 0 or 1"),
        ("A,B,count\n1,0,3\n0,1,-4\n", 3, "negative count"),
        ("A,B,count\n1,0,3\n0,1,2.5\n", 3, "not a whole number"),
        ("A,B,count\n1,0,3\n0,1,x\n", 3, "expected a whole number"),
        ("A,B,count\n1,0,\n", 2, "count is empty"),
        ("A,count\n1,3\n", 1, "at least two list columns"),
        ("A,B,n\n1,0,3\n", 1, "missing 'count'"),
        ("A,B,count\n1,0,3\n0,1,2\n1,0,5\n", 4, "duplicate pattern 10"),
        ("A,B,count\n1,0,3\n0,1\n", 3, "2 fields"),
        ("A,A,count\n1,0,3\n", 1, "duplicate column"),
        ("A,B,count\n", 1, "no data rows"),
        ("", 1, "empty file"),
        ("\n  \n", 1, "empty file"),
        ("A,B,count\n1,0,0\n0,1,0\n", 1, "every count is 0"),
        ("A,B,C,count\n1,0,0,3\n0,1,0,2\n1,1,0,1\n", 1, "list 'C' has no cases"),
    ],
)
def test_bad_csv_names_problem_and_line(text, line, fragment):
    with pytest.raises(TableError) as caught:
        parse_csv_text(text)
    assert caught.value.line == line
    assert fragment in caught.value.problem


def test_duplicate_pattern_names_the_earlier_line():
    with pytest.raises(TableError, match="also on line 2"):
        parse_csv_text("A,B,count\n1,0,3\n0,1,2\n1,0,5\n")


def test_blank_lines_keep_line_numbers_right():
    with pytest.raises(TableError) as caught:
        parse_csv_text("A,B,count\n\n1,0,3\n\n0,1,-1\n")
    assert caught.value.line == 5


def test_unreadable_file(tmp_path):
    with pytest.raises(TableError, match="cannot read file"):
        read_csv(tmp_path / "missing.csv")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x00\x81\x8d\x90")
    with pytest.raises(TableError, match="neither UTF-8 nor Windows-1252"):
        read_csv(binary)


def test_mapping_with_strings_and_tuples():
    table = from_mapping({"10": 4, (0, 1): 6, "11": 2}, lists=["police", "care"])
    assert table.lists == ("police", "care")
    assert dict(zip(table.patterns, table.counts, strict=True)) == {
        (1, 0): 4,
        (0, 1): 6,
        (1, 1): 2,
    }
    assert from_mapping({"10": 4, "01": 6, "11": 2}).lists == ("A", "B")


def test_mapping_errors():
    with pytest.raises(TableError, match="duplicate pattern"):
        from_mapping({"10": 4, (1, 0): 6, "11": 1})
    with pytest.raises(TableError, match="different lengths"):
        from_mapping({"10": 4, "011": 6})
    with pytest.raises(TableError, match="expected 0 or 1"):
        from_mapping({"12": 4, "01": 6})


def test_dataframe_round_trip(artificial):
    frame = pd.DataFrame(
        [[1, 0, 0, 40], [0, 1, 0, 30], [0, 0, 1, 20], [1, 1, 0, 6]],
        columns=["A", "B", "C", "count"],
    )
    assert from_dataframe(frame) == artificial
    assert as_table(frame) == artificial


def test_dataframe_errors():
    frame = pd.DataFrame([[1, 0, -2]], columns=["A", "B", "count"])
    with pytest.raises(TableError, match="negative count"):
        from_dataframe(frame)
    with pytest.raises(TableError, match="missing 'count'"):
        from_dataframe(pd.DataFrame([[1, 0]], columns=["A", "B"]))


def test_reading_a_table_does_not_load_numpy():
    # The CLI reports bad input before the heavy imports; keep table.py standard-library.
    import subprocess
    import sys

    code = (
        "import sys, inbeeld.estimation.table as t; "
        "t.parse_csv_text('A,B,count\\n1,0,1\\n0,1,1\\n1,1,1\\n'); "
        "print('numpy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def test_public_names_resolve():
    import inbeeld.estimation as package

    for name in package.__all__:
        assert getattr(package, name) is not None


UK_ROWS = "LA,NG,count\n1,0,54\n0,1,463\n1,1,15\n"


def test_tab_separated_text_is_read(tmp_path):
    path = tmp_path / "lists.tsv"
    path.write_text(UK_ROWS.replace(",", "\t"))
    assert read_csv(path) == parse_csv_text(UK_ROWS)


def test_windows_1252_from_dutch_excel_is_read(tmp_path):
    path = tmp_path / "lijsten.csv"
    path.write_bytes("Politie;Zorgcoördinator;count\n1;0;40\n0;1;30\n1;1;6\n".encode("cp1252"))
    assert read_csv(path).lists == ("Politie", "Zorgcoördinator")


def test_excel_unicode_text_utf16_with_tabs_is_read(tmp_path):
    path = tmp_path / "lijsten.txt"
    path.write_bytes(UK_ROWS.replace(",", "\t").encode("utf-16"))
    assert read_csv(path) == parse_csv_text(UK_ROWS)


def test_text_in_no_known_encoding_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"A;B;count\n1;0;40\n0;1;3\x810\n")
    with pytest.raises(TableError) as caught:
        read_csv(path)
    assert caught.value.line == 3
    assert "CSV UTF-8" in caught.value.problem


def test_space_separated_header_gets_a_hint():
    with pytest.raises(TableError, match="separated by spaces"):
        parse_csv_text("A B count\n1 0 3\n")
