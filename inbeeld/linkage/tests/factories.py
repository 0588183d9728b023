"""Small factory-made lists for the linkage tests (seeded; no real personal data)."""

from __future__ import annotations

import csv
from pathlib import Path

from inbeeld.linkage.synthetic import SyntheticList, make_lists, make_people

DUTCH_COLUMNS = {
    "given_name": "voornaam",
    "surname": "achternaam",
    "date_of_birth": "geboortedatum",
    "gender": "geslacht",
    "street": "straat",
    "house_number": "huisnummer",
    "postcode": "postcode",
    "place": "woonplaats",
    "phone": "telefoon",
}


def three_lists(people: int = 120, seed: int = 7) -> list[SyntheticList]:
    return make_lists(make_people(people, seed), [0.6, 0.5, 0.4], seed=seed + 1, errors=0.3)


def write_csv(path: Path, rows: list[dict[str, str]], *, dutch_columns: bool = False) -> Path:
    renamed = [
        {
            DUTCH_COLUMNS.get(name, name) if dutch_columns else name: value
            for name, value in row.items()
        }
        for row in rows
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(renamed[0]))
        writer.writeheader()
        writer.writerows(renamed)
    return path


def map_arguments() -> list[str]:
    arguments = []
    for field, column in DUTCH_COLUMNS.items():
        arguments += ["--map", f"{field}={column}"]
    return arguments
