"""The columns of each kind of import, with the code lists they are checked against.

Read with docs/imports.md (the same columns, documented for partners) and the template files
(``template_csv``). Codes are InBeeld's own, as in the API and the CoMensha file.
"""

from __future__ import annotations

import io
import re

from django_countries import countries

from inbeeld.cases.codes import ControlMethod, RecruitmentMethod, Sector
from inbeeld.imports.table import Column, Kind
from inbeeld.lib.safe_csv import SafeWriter
from inbeeld.regions.models import Municipality
from inbeeld.registration.models import (
    ConsentSigner,
    DossierType,
    LegalBasis,
    Minority,
    PoliceUnit,
    ReporterType,
)
from inbeeld.signals.models import AgeBand, ExploitationForm, Gender
from inbeeld.signals.scoring import current_catalogue

REFERENCE_MAX = 80


def municipality_code(text: str) -> str:
    """A CBS code as partners write it: ``GM0664``, ``gm0664``, ``0664`` or ``664``."""
    text = text.strip().upper()
    if re.fullmatch(r"\d{1,4}", text):
        return f"GM{int(text):04d}"
    return text


def _codes(values: list[str]) -> frozenset[str]:
    return frozenset(value for value in values if value)


def _countries() -> frozenset[str]:
    return frozenset(str(code) for code in countries.countries)


def _municipalities() -> frozenset[str]:
    return frozenset(Municipality.objects.values_list("code", flat=True))


def _reference() -> Column:
    return Column("reference", required=True, max_length=REFERENCE_MAX)


def signal_columns() -> list[Column]:
    catalogue = current_catalogue()
    return [
        _reference(),
        Column(
            "municipality",
            Kind.CHOICE,
            required=True,
            choices=_municipalities(),
            clean=municipality_code,
        ),
        Column("description", required=True, max_length=10000),
        Column("place", max_length=200),
        Column("incident_date", Kind.DATE),
        Column("exploitation_forms", Kind.CHOICES, choices=_codes(ExploitationForm.values)),
        Column(
            "indicators",
            Kind.CHOICES,
            choices=frozenset(item.code for item in catalogue.indicators),
        ),
        Column("methods", Kind.CHOICES, choices=frozenset(item.code for item in catalogue.methods)),
        Column("acute", Kind.BOOLEAN),
        Column("people_count", Kind.INTEGER, minimum=1, maximum=500),
        Column("victim_name", max_length=200),
        Column("victim_date_of_birth", Kind.DATE),
        Column("victim_age_band", Kind.CHOICE, choices=_codes(AgeBand.values)),
        Column("victim_gender", Kind.CHOICE, choices=_codes(Gender.values)),
        Column("victim_nationality", Kind.CHOICE, choices=_countries()),
    ]


def registration_columns() -> list[Column]:
    return [
        _reference(),
        Column("case", required=True, max_length=16),
        Column("registration_date", Kind.DATE),
        Column("reporter_type", Kind.CHOICE, choices=_codes(ReporterType.values)),
        Column("police_unit", Kind.CHOICE, choices=_codes(PoliceUnit.values)),
        Column("dossier_type", Kind.CHOICE, choices=_codes(DossierType.values)),
        Column("exploitation_forms", Kind.CHOICES, choices=_codes(ExploitationForm.values)),
        Column("sectors", Kind.CHOICES, choices=_codes(Sector.values)),
        Column("nationalities", Kind.CHOICES, choices=_countries()),
        Column("age", Kind.INTEGER, minimum=0, maximum=100),
        Column("minority", Kind.CHOICE, choices=_codes(Minority.values)),
        Column("gender", Kind.CHOICE, choices=_codes(Gender.values)),
        Column(
            "place_municipality",
            Kind.CHOICE,
            choices=_municipalities(),
            clean=municipality_code,
        ),
        Column("place_country", Kind.CHOICE, choices=_countries()),
        Column("recruitment_methods", Kind.CHOICES, choices=_codes(RecruitmentMethod.values)),
        Column("control_methods", Kind.CHOICES, choices=_codes(ControlMethod.values)),
        Column("legal_basis", Kind.CHOICE, choices=_codes(LegalBasis.values)),
        Column("consent_signed_by", Kind.CHOICE, choices=_codes(ConsentSigner.values)),
        Column("consent_date", Kind.DATE),
    ]


# One made-up example row per kind for the template (no real person: "Voorbeeld").
_EXAMPLES: dict[str, dict[str, str]] = {
    "signals": {
        "reference": "VB-2026-0001",
        "municipality": "GM0664",
        "description": "Voorbeeld: werknemers slapen op het bedrijfsterrein.",
        "incident_date": "01-11-2026",
        "exploitation_forms": "labour",
        "acute": "nee",
        "people_count": "3",
        "victim_gender": "",
    },
    "registrations": {
        "reference": "VB-2026-0001",
        "case": "DS-XXXX-XXXX",
        "registration_date": "01-11-2026",
        "reporter_type": "police",
        "police_unit": "zeeland_west_brabant",
        "dossier_type": "registration",
        "exploitation_forms": "labour",
        "place_municipality": "GM0664",
        "legal_basis": "obligation",
    },
}


def template_csv(kind: str) -> str:
    """The template a partner downloads: the header and one example row, ``;`` separated as
    Dutch Excel opens it (UTF-8 with a byte-order mark, so that Excel reads the accents)."""
    columns = signal_columns() if kind == "signals" else registration_columns()
    names = [column.name for column in columns]
    example = _EXAMPLES[kind]
    out = io.StringIO()
    writer = SafeWriter(out, delimiter=";")
    writer.writerow(names)
    writer.writerow([example.get(name, "") for name in names])
    return "\ufeff" + out.getvalue()
