"""The file CoMensha receives for a registration, and the same document for its API.

Framework-free (an import-linter contract): it takes plain values (``ComenshaRecord``) and
writes them; services.py builds the record from a registration version. The format is
InBeeld's documented decision (docs/registration.md), since CoMensha publishes no form
field list (../shared/specs/registration.md, "Not found"):

- CSV as Dutch Excel opens it: UTF-8 with a byte order mark, ``;`` between cells, one
  header row and one row per registration version, through lib/safe_csv.py (no formula
  injection);
- codes, not labels: InBeeld's code lists (cases/codes.py, the registration's models),
  several values of one field joined by ``|``; an unknown value is an empty cell;
- dates as ISO 8601 (``2026-11-30``); plaats delict as a CBS municipality code
  (``GM0664``) or an ISO 3166-1 alpha-2 country code, with ``plaats_delict_type`` saying
  which;
- no name, no date of birth, no free text. ``registration_id`` is a random key of the
  registration (the same for its corrections), never the case's reference.

The API document (``as_document``) has the same keys, with lists as JSON arrays.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from inbeeld.lib.safe_csv import SafeWriter

FORMAT_VERSION = "inbeeld-comensha-1"
LIST_SEPARATOR = "|"
DELIMITER = ";"
BOM = "\ufeff"

COLUMNS: tuple[str, ...] = (
    "format",
    "registration_id",
    "version",
    "corrects_version",
    "registration_date",
    "reporter_type",
    "police_unit",
    "region",
    "dossier_type",
    "exploitation_forms",
    "sectors",
    "nationalities",
    "age",
    "minor",
    "gender",
    "plaats_delict",
    "plaats_delict_type",
    "recruitment_methods",
    "control_methods",
    "legal_basis",
    "consent_signed_by",
    "consent_date",
)


@dataclass(frozen=True)
class ComenshaRecord:
    registration_id: str
    version: int
    registration_date: date
    reporter_type: str
    police_unit: str
    region: str  # the safety region's code, e.g. VR19
    dossier_type: str
    legal_basis: str
    corrects_version: int | None = None
    exploitation_forms: Sequence[str] = ()
    sectors: Sequence[str] = ()
    nationalities: Sequence[str] = ()
    age: int | None = None
    minor: str = ""  # "minor", "adult" or "" (unknown)
    gender: str = ""
    place_municipality: str = ""  # CBS code
    place_country: str = ""  # ISO 3166-1 alpha-2
    recruitment_methods: Sequence[str] = ()
    control_methods: Sequence[str] = ()
    consent_signed_by: str = ""
    consent_date: date | None = None


def as_document(record: ComenshaRecord) -> dict[str, Any]:
    """The record as the API's JSON document (and the CSV's row, before joining lists)."""
    if record.place_municipality:
        place, place_type = record.place_municipality, "municipality"
    elif record.place_country:
        place, place_type = record.place_country, "country"
    else:
        place, place_type = "", ""
    return {
        "format": FORMAT_VERSION,
        "registration_id": record.registration_id,
        "version": record.version,
        "corrects_version": record.corrects_version,
        "registration_date": record.registration_date.isoformat(),
        "reporter_type": record.reporter_type,
        "police_unit": record.police_unit,
        "region": record.region,
        "dossier_type": record.dossier_type,
        "exploitation_forms": list(record.exploitation_forms),
        "sectors": list(record.sectors),
        "nationalities": list(record.nationalities),
        "age": record.age,
        "minor": record.minor,
        "gender": record.gender,
        "plaats_delict": place,
        "plaats_delict_type": place_type,
        "recruitment_methods": list(record.recruitment_methods),
        "control_methods": list(record.control_methods),
        "legal_basis": record.legal_basis,
        "consent_signed_by": record.consent_signed_by,
        "consent_date": record.consent_date.isoformat() if record.consent_date else "",
    }


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return value


def write_csv(records: Iterable[ComenshaRecord]) -> str:
    """The CSV file's text (with its byte order mark): the header and a row per record."""
    handle = io.StringIO()
    handle.write(BOM)
    writer = SafeWriter(handle, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for record in records:
        document = as_document(record)
        writer.writerow([_cell(document[column]) for column in COLUMNS])
    return handle.getvalue()
