"""The demo's CoMensha registrations, made through the services: every value is invented.

Of the five open demo cases of Zeeland (cases/demo.py), oldest first:

- the case opened from the acute signal: a draft, prefilled from the case (its legal basis
  still to give: sending it is refused until then);
- the Bulgarian woman: sent as a file, on her written consent;
- the Romanian-Moldovan man (the police invited): reported by the police (obligation),
  acknowledged by CoMensha;
- the man without a known nationality: acknowledged, then corrected: the dossier type became
  "registration and shelter" (version 2 sent, version 1 replaced);
- the Dutch minor (15): no registration yet; parents or guardian must sign.

Called by ``inbeeld demo`` (accounts/demo.py) after the residence tracks, in the same
transaction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.utils import timezone

from inbeeld.accounts.models import User
from inbeeld.cases.demo import COORDINATOR
from inbeeld.cases.models import Case, CaseStatus
from inbeeld.registration.models import (
    ConsentSigner,
    DossierType,
    LegalBasis,
    Registration,
    ReporterType,
)
from inbeeld.registration.services import (
    prefill,
    registration_acknowledge,
    registration_download,
    registration_save,
)


def demo_registrations_create() -> list[Registration]:
    coordinator = User.objects.filter(username=COORDINATOR).first()
    if coordinator is None:
        return []
    cases = list(
        Case.objects.filter(region__code="VR19", status=CaseStatus.OPEN).order_by("created_at")
    )
    if len(cases) < 4:
        return []
    today = timezone.localdate()
    made: list[Registration] = []

    def complete(case: Case, **changes: Any) -> Registration:
        data = prefill(case)
        if not data.exploitation_forms:
            data = replace(data, exploitation_forms=["other"])
        if data.place_municipality is None and not data.place_country:
            data = replace(data, place_municipality=case.municipality)
        return registration_save(by=coordinator, case=case, data=replace(data, **changes))

    draft = registration_save(by=coordinator, case=cases[0], data=prefill(cases[0]))
    made.append(draft)
    consent = complete(
        cases[1],
        minority="adult",
        legal_basis=LegalBasis.CONSENT,
        consent_signed_by=ConsentSigner.PERSON,
        consent_date=today - timedelta(days=3),
    )
    registration_download(by=coordinator, registration=consent)
    made.append(consent)
    police = complete(
        cases[2], reporter_type=ReporterType.POLICE, legal_basis=LegalBasis.OBLIGATION
    )
    registration_download(by=coordinator, registration=police)
    registration_acknowledge(by=coordinator, registration=police, reference="CM-DEMO-0417")
    made.append(police)
    first = complete(
        cases[3],
        minority="adult",
        legal_basis=LegalBasis.CONSENT,
        consent_signed_by=ConsentSigner.PERSON,
        consent_date=today - timedelta(days=40),
        registration_date=today - timedelta(days=30),
    )
    registration_download(by=coordinator, registration=first)
    registration_acknowledge(by=coordinator, registration=first, reference="CM-DEMO-0388")
    correction = registration_save(
        by=coordinator,
        case=cases[3],
        data=replace(
            prefill(cases[3]),
            **{
                name: getattr(first, name)
                for name in (
                    "exploitation_forms",
                    "place_municipality",
                    "place_country",
                    "minority",
                    "legal_basis",
                    "consent_signed_by",
                    "consent_date",
                )
            },
            dossier_type=DossierType.SHELTER,
        ),
    )
    registration_download(by=coordinator, registration=correction)
    made.extend([first, correction])
    return made
