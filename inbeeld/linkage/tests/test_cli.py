"""The real `inbeeld keygen|encode|link` commands, run as subprocesses."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from inbeeld.linkage.tests.factories import map_arguments, three_lists, write_csv

INBEELD = str(Path(sys.executable).with_name("inbeeld"))


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [INBEELD, *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )


def _has_estimate() -> bool:
    return run("estimate", "--help").returncode == 0


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("key") / "partners.key"
    assert run("keygen", "--out", path).returncode == 0
    return path


@pytest.fixture(scope="module")
def encoded(tmp_path_factory: pytest.TempPathFactory, key: Path) -> list[Path]:
    """Three partner lists with Dutch column names, encoded with --map."""
    folder = tmp_path_factory.mktemp("partners")
    paths = []
    for name, synthetic in zip(("politie", "zorg", "opvang"), three_lists(), strict=True):
        plain = write_csv(folder / f"{name}-plain.csv", synthetic.rows, dutch_columns=True)
        out = folder / f"{name}.csv"
        result = run(
            "encode", plain, "--key-file", key, "--out", out, "--id-column", "id", *map_arguments()
        )
        assert result.returncode == 0, result.stderr
        paths.append(out)
    return paths


def test_keygen_writes_a_private_key_and_never_prints_it(tmp_path: Path) -> None:
    path = tmp_path / "new.key"
    result = run("keygen", "--out", path)
    assert result.returncode == 0
    assert path.stat().st_mode & 0o777 == 0o600
    secret = path.read_text().strip().split(":")[1]
    assert secret not in result.stdout + result.stderr


def test_keygen_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "existing.key"
    path.write_text("precious")
    result = run("keygen", "--out", path)
    assert result.returncode == 2
    assert "already exists" in result.stderr
    assert path.read_text() == "precious"


def test_link_writes_every_record_once_and_histories(encoded: list[Path], tmp_path: Path) -> None:
    links, histories = tmp_path / "links.csv", tmp_path / "hist.csv"
    result = run("link", *encoded, "--out", links, "--histories", histories)
    assert result.returncode == 0, result.stderr
    rows = _read(links)
    assert list(rows[0]) == ["cluster_id", "source", "record_id", "score"]
    seen = Counter((row["source"], row["record_id"]) for row in rows)
    expected = sum(len(_read(path)) for path in encoded)
    assert len(seen) == expected and set(seen.values()) == {1}
    per_cluster = Counter((row["cluster_id"], row["source"]) for row in rows)
    assert set(per_cluster.values()) == {1}  # never two records of one list in a cluster
    table = _read(histories)
    assert list(table[0]) == ["politie", "zorg", "opvang", "count"]
    assert sum(int(row["count"]) for row in table) == len({row["cluster_id"] for row in rows})


def test_link_finds_the_true_pairs(encoded: list[Path], tmp_path: Path) -> None:
    links = tmp_path / "links.csv"
    assert run("link", *encoded, "--out", links).returncode == 0
    lists = three_lists()
    person = {
        (name, record_id): index
        for name, synthetic in zip(("politie", "zorg", "opvang"), lists, strict=True)
        for record_id, index in synthetic.person_of.items()
    }
    clusters: dict[str, set[int]] = {}
    for row in _read(links):
        clusters.setdefault(row["cluster_id"], set()).add(person[(row["source"], row["record_id"])])
    wrong = [members for members in clusters.values() if len(members) > 1]
    assert wrong == []
    assert len(clusters) <= len(set(person.values())) * 1.05


@pytest.mark.skipif(not _has_estimate(), reason="`inbeeld estimate` is not there yet")
def test_histories_feed_inbeeld_estimate(encoded: list[Path], tmp_path: Path) -> None:
    links, histories = tmp_path / "links.csv", tmp_path / "hist.csv"
    assert run("link", *encoded, "--out", links, "--histories", histories).returncode == 0
    result = run("estimate", histories, "--format", "json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["observed"] == len({row["cluster_id"] for row in _read(links)})
    assert answer["estimate"] >= answer["observed"]


def test_link_result_does_not_depend_on_file_order(encoded: list[Path], tmp_path: Path) -> None:
    forward, backward = tmp_path / "f.csv", tmp_path / "b.csv"
    assert run("link", *encoded, "--out", forward).returncode == 0
    assert run("link", *encoded[::-1], "--out", backward).returncode == 0
    assert forward.read_text() == backward.read_text()


# Bad input: exit code 2, one line naming the problem, and no output file.


def _bad(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    for word in words:
        assert word in message


def test_encode_missing_column(tmp_path: Path, key: Path) -> None:
    plain = write_csv(tmp_path / "p.csv", three_lists()[0].rows)
    out = tmp_path / "out.csv"
    _bad(run("encode", plain, "--key-file", key, "--out", out, "--map", "surname=achternaam"),
         "p.csv", "achternaam")  # fmt: skip
    assert not out.exists()


def test_encode_unknown_field(tmp_path: Path, key: Path) -> None:
    plain = write_csv(tmp_path / "p.csv", three_lists()[0].rows)
    _bad(
        run("encode", plain, "--key-file", key, "--out", tmp_path / "o.csv", "--map", "bsn=id"),
        "bsn",
    )


def test_encode_wrong_key_file(tmp_path: Path) -> None:
    plain = write_csv(tmp_path / "p.csv", three_lists()[0].rows)
    wrong = tmp_path / "wrong.key"
    wrong.write_text("hunter2\n")
    out = tmp_path / "o.csv"
    _bad(run("encode", plain, "--key-file", wrong, "--out", out), "wrong.key", "key file")
    assert not out.exists()


def test_encode_bad_date_names_line_and_field(tmp_path: Path, key: Path) -> None:
    rows = three_lists()[0].rows[:5]
    rows[1] = dict(rows[1], date_of_birth="gisteren")
    plain = write_csv(tmp_path / "p.csv", rows)
    out = tmp_path / "o.csv"
    _bad(run("encode", plain, "--key-file", key, "--out", out), "p.csv:3", "date_of_birth")
    assert not out.exists()


@pytest.mark.parametrize("content", ["", "id,surname\n"])
def test_encode_empty_file(tmp_path: Path, key: Path, content: str) -> None:
    plain = tmp_path / "empty.csv"
    plain.write_text(content)
    _bad(run("encode", plain, "--key-file", key, "--out", tmp_path / "o.csv"), "empty.csv")


def test_link_refuses_mixed_keys(encoded: list[Path], tmp_path: Path) -> None:
    other_key = tmp_path / "other.key"
    assert run("keygen", "--out", other_key).returncode == 0
    plain = write_csv(tmp_path / "plain.csv", three_lists()[1].rows)
    other = tmp_path / "other.csv"
    assert run("encode", plain, "--key-file", other_key, "--out", other).returncode == 0
    links = tmp_path / "links.csv"
    _bad(run("link", encoded[0], other, "--out", links), "other.csv", "key")
    assert not links.exists()


def test_link_refuses_other_schema(encoded: list[Path], tmp_path: Path) -> None:
    changed = tmp_path / "changed.csv"
    changed.write_text(encoded[1].read_text().replace("inbeeld-clk-v1", "inbeeld-clk-v0"))
    links, histories = tmp_path / "links.csv", tmp_path / "hist.csv"
    _bad(run("link", encoded[0], changed, "--out", links, "--histories", histories),
         "changed.csv", "schema")  # fmt: skip
    assert not links.exists() and not histories.exists()


def test_link_refuses_plaintext_and_empty_files(encoded: list[Path], tmp_path: Path) -> None:
    plain = write_csv(tmp_path / "plain.csv", three_lists()[0].rows)
    _bad(run("link", encoded[0], plain, "--out", tmp_path / "l.csv"), "plain.csv", "header")
    empty = tmp_path / "empty.csv"
    empty.write_text("record_id,schema,key_fingerprint,encoding,blocking\n")
    _bad(run("link", encoded[0], empty, "--out", tmp_path / "l.csv"), "empty.csv", "no records")


def test_link_refuses_damaged_encoding(encoded: list[Path], tmp_path: Path) -> None:
    lines = encoded[0].read_text().splitlines()
    fields = lines[2].split(",")
    fields[3] = fields[3][:20]
    lines[2] = ",".join(fields)
    damaged = tmp_path / "damaged.csv"
    damaged.write_text("\n".join(lines) + "\n")
    _bad(run("link", damaged, encoded[1], "--out", tmp_path / "l.csv"), "damaged.csv:3", "encoding")


def test_link_needs_two_lists(encoded: list[Path], tmp_path: Path) -> None:
    _bad(run("link", encoded[0], "--out", tmp_path / "l.csv"), "two")


def test_outputs_into_a_missing_folder_fail_cleanly(encoded: list[Path], tmp_path: Path) -> None:
    missing = tmp_path / "missing" / "out.csv"
    _bad(run("keygen", "--out", missing), "missing")
    _bad(run("link", *encoded[:2], "--out", missing), "missing", "cannot write")


def test_link_refuses_damaged_blocking_values(encoded: list[Path], tmp_path: Path) -> None:
    lines = encoded[0].read_text().splitlines()
    lines[1] = lines[1] + "; DROP TABLE"
    damaged = tmp_path / "damaged.csv"
    damaged.write_text("\n".join(lines) + "\n")
    _bad(run("link", damaged, encoded[1], "--out", tmp_path / "l.csv"), "damaged.csv:2", "blocking")


def test_map_takes_several_pairs_after_one_flag(tmp_path: Path, key: Path) -> None:
    from inbeeld.linkage.tests.factories import DUTCH_COLUMNS

    plain = write_csv(tmp_path / "p.csv", three_lists()[0].rows, dutch_columns=True)
    pairs = [f"{field}={column}" for field, column in DUTCH_COLUMNS.items()]
    out = tmp_path / "o.csv"
    result = run("encode", plain, "--map", *pairs, "--key-file", key, "--out", out)
    assert result.returncode == 0, result.stderr
    assert out.exists()


def test_encode_reads_semicolon_csv_from_dutch_excel(tmp_path: Path, key: Path) -> None:
    rows = three_lists()[0].rows
    plain = tmp_path / "excel.csv"
    with plain.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "o.csv"
    result = run("encode", plain, "--key-file", key, "--out", out, "--id-column", "id")
    assert result.returncode == 0, result.stderr
    assert len(_read(out)) == len(rows)
