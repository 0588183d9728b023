"""`inbeeld dedupe`: Splink finds a person's several records in one organisation's list."""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from pathlib import Path

from inbeeld.linkage.synthetic import make_people, render
from inbeeld.linkage.tests.factories import map_arguments, write_csv
from inbeeld.linkage.tests.test_cli import _bad, run


def _list_with_duplicates(people: int = 150) -> tuple[list[dict[str, str]], dict[str, int]]:
    rng = random.Random(11)
    rows: list[dict[str, str]] = []
    person_of: dict[str, int] = {}
    for index, person in enumerate(make_people(people, seed=12)):
        for _ in range(rng.choice((1, 1, 2, 3))):
            record_id = f"r{len(rows) + 1}"
            rows.append({"id": record_id, **render(person, rng, errors=0.3)})
            person_of[record_id] = index
    rng.shuffle(rows)
    return rows, person_of


def test_dedupe_groups_the_records_of_one_person(tmp_path: Path) -> None:
    rows, person_of = _list_with_duplicates()
    plain = write_csv(tmp_path / "zorg.csv", rows, dutch_columns=True)
    out = tmp_path / "clusters.csv"
    result = run("dedupe", plain, "--out", out, "--id-column", "id", *map_arguments())
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert sorted(row["record_id"] for row in table) == sorted(person_of)
    members: dict[str, set[int]] = defaultdict(set)
    for row in table:
        members[row["cluster_id"]].add(person_of[row["record_id"]])
    mixed = [persons for persons in members.values() if len(persons) > 1]
    assert len(mixed) <= 1
    assert len(members) <= len(set(person_of.values())) * 1.05


def test_dedupe_bad_input(tmp_path: Path) -> None:
    rows, _ = _list_with_duplicates(10)
    plain = write_csv(tmp_path / "zorg.csv", rows)
    out = tmp_path / "clusters.csv"
    _bad(
        run("dedupe", plain, "--out", out, "--map", "surname=achternaam"), "zorg.csv", "achternaam"
    )
    _bad(run("dedupe", plain, "--out", out, "--id-column", "bsn"), "zorg.csv", "bsn")
    assert not out.exists()


def test_dedupe_a_list_without_duplicates(tmp_path: Path) -> None:
    """No exact duplicates means Splink estimates λ = 0; dedupe must still answer."""
    rng = random.Random(5)
    rows = [
        {"id": f"r{index}", **render(person, rng, errors=0.0)}
        for index, person in enumerate(make_people(80, seed=6))
    ]
    plain = write_csv(tmp_path / "opvang.csv", rows)
    out = tmp_path / "clusters.csv"
    result = run("dedupe", plain, "--out", out, "--id-column", "id")
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        clusters = {row["cluster_id"] for row in csv.DictReader(handle)}
    assert len(clusters) >= 78
