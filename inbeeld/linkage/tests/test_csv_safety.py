"""Formula injection and the linkage files (see the comment in linkage/files.py).

The encoded list is written with the plain csv writer, because a quote in front of a cell
would corrupt a file that InBeeld reads back. These tests guard why that is safe: its
fixed-alphabet columns can call no function, its record ids come back unchanged, and the
files a person opens (LINKS.csv, HIST.csv) neutralise what came from input.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from inbeeld.linkage.files import read_encoded_csv
from inbeeld.linkage.keys import key_generate
from inbeeld.linkage.pipeline import encode_file, link_files
from inbeeld.linkage.tests.factories import three_lists, write_csv

HOSTILE_IDS = ['=HYPERLINK("https://example.org","x")', "+1+1", "-7", "@SUM(1)", "-2.5"]
FIXED_ALPHABET = {
    "schema": re.compile(r"[a-z][a-z0-9-]*"),
    "key_fingerprint": re.compile(r"[0-9a-f]{16}"),
    "blocking": re.compile(r"[0-9a-f]{16}( [0-9a-f]{16})*"),
    # base64 may start with "+", but holds no "(", quote, "!" or "|": no function, no DDE.
    "encoding": re.compile(r"[A-Za-z0-9+/]+=*"),
}


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("key") / "partners.key"
    key_generate(path)
    return path


def encode(folder: Path, key: Path, name: str, ids: list[str] | None = None) -> Path:
    rows = three_lists()[0].rows
    if ids is not None:
        rows = [{**row, "id": record_id} for row, record_id in zip(rows, ids, strict=False)]
        rows = rows[: len(ids)]
    plain = write_csv(folder / f"{name}-plain.csv", rows)
    out = folder / f"{name}.csv"
    encode_file(plain, key_file=key, out=out, field_map={}, id_column="id")
    return out


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_encoded_columns_other_than_the_id_are_fixed_alphabets(
    tmp_path: Path, key: Path
) -> None:
    rows = rows_of(encode(tmp_path, key, "politie"))
    assert len(rows) > 50
    for row in rows:
        for column, alphabet in FIXED_ALPHABET.items():
            assert alphabet.fullmatch(row[column]), (column, row[column])
        assert not row["schema"].startswith(("=", "+", "-", "@"))


def test_record_ids_that_look_like_formulas_survive_the_encoded_file_unchanged(
    tmp_path: Path, key: Path
) -> None:
    path = encode(tmp_path, key, "zorg", HOSTILE_IDS)
    first = read_encoded_csv(path)
    assert first.ids == HOSTILE_IDS
    again = tmp_path / "again.csv"
    path.rename(again)
    second = read_encoded_csv(again)
    assert second.ids == first.ids and second.blocking == first.blocking
    assert np.array_equal(second.filters, first.filters)


def test_links_and_histories_neutralise_what_came_from_input(tmp_path: Path, key: Path) -> None:
    first = encode(tmp_path, key, "-politie", HOSTILE_IDS)
    second = encode(tmp_path, key, "zorg", ["a", "b", "c"])
    links, histories = tmp_path / "links.csv", tmp_path / "hist.csv"
    link_files([first, second], out=links, histories=histories, threshold=None)
    written = rows_of(links)
    ids = {row["record_id"] for row in written if row["source"] == "'-politie"}
    # Plain numbers stay numbers; the rest gets a quote.
    assert ids == {'\'=HYPERLINK("https://example.org","x")', "'+1+1", "-7", "'@SUM(1)", "-2.5"}
    assert next(csv.reader(histories.open(encoding="utf-8"))) == ["'-politie", "zorg", "count"]
