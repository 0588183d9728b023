"""Files as partners send them, for the import tests (made-up content only)."""

from __future__ import annotations

from collections.abc import Sequence

SIGNAL_HEADER = [
    "reference",
    "municipality",
    "description",
    "incident_date",
    "exploitation_forms",
    "acute",
    "people_count",
    "victim_name",
    "victim_gender",
    "victim_nationality",
]


def signal_row(number: int, **changes: str) -> list[str]:
    values = {
        "reference": f"P-{number:05d}",
        "municipality": "GM0664",
        "description": f"Voorbeeldmelding {number}: werknemers slapen op het terrein.",
        "incident_date": "01-10-2026",
        "exploitation_forms": "labour",
        "acute": "nee",
        "people_count": "2",
        "victim_name": "",
        "victim_gender": "",
        "victim_nationality": "",
    }
    values.update(changes)
    return [values[name] for name in SIGNAL_HEADER]


def csv_bytes(
    rows: Sequence[Sequence[str]], header: Sequence[str] = SIGNAL_HEADER, encoding: str = "cp1252"
) -> bytes:
    """``;``-separated with CRLF, as Dutch Excel saves "CSV (gescheiden door
    lijstscheidingsteken)"."""
    lines = [";".join(header), *(";".join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


REGISTRATION_HEADER = [
    "reference",
    "case",
    "registration_date",
    "reporter_type",
    "police_unit",
    "dossier_type",
    "exploitation_forms",
    "place_municipality",
    "age",
    "minority",
    "legal_basis",
    "consent_signed_by",
    "consent_date",
]


def registration_row(reference: str, case: str, **changes: str) -> list[str]:
    values = {
        "reference": reference,
        "case": case,
        "registration_date": "01-11-2026",
        "reporter_type": "police",
        "police_unit": "zeeland_west_brabant",
        "dossier_type": "registration",
        "exploitation_forms": "sexual",
        "place_municipality": "GM0664",
        "age": "",
        "minority": "",
        "legal_basis": "obligation",
        "consent_signed_by": "",
        "consent_date": "",
    }
    values.update(changes)
    return [values[name] for name in REGISTRATION_HEADER]
