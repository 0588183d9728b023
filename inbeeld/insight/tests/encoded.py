"""Encoded lists made the way a partner makes them: fake people, `encode_file`, one key."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from inbeeld.linkage.keys import key_generate
from inbeeld.linkage.pipeline import encode_file
from inbeeld.linkage.synthetic import make_lists, make_people


@dataclass(frozen=True)
class EncodedLists:
    files: list[bytes]
    distinct_people: int  # how many different people the lists hold together


def encoded_lists(
    folder: Path,
    *,
    coverage: tuple[float, ...] = (0.6, 0.5, 0.4),
    people: int = 150,
    seed: int = 7,
    key_file: Path | None = None,
) -> EncodedLists:
    if key_file is None:
        key_file = folder / "region.key"
        key_generate(key_file)
    persons = make_people(people, seed)
    lists = make_lists(persons, coverage, seed=seed, errors=0.05)
    files = []
    for item in lists:
        plain = folder / f"{item.name}-{seed}.csv"
        with plain.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(item.rows[0]))
            writer.writeheader()
            writer.writerows(item.rows)
        out = folder / f"{item.name}-{seed}-encoded.csv"
        encode_file(plain, key_file=key_file, out=out, field_map={}, id_column="id")
        files.append(out.read_bytes())
    distinct = len({person for item in lists for person in item.person_of.values()})
    return EncodedLists(files, distinct)
