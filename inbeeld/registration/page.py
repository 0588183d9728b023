"""What the registration's page and the case's section show. Read-only."""

from __future__ import annotations

from typing import Any

from inbeeld.cases.codes import code_labels
from inbeeld.registration.models import DossierTypeChange, OutboxMessage, Registration
from inbeeld.registration.services import api_enabled, registrations_of
from inbeeld.signals.models import ExploitationForm
from inbeeld.signals.nationality import nationality_name


def labels(registration: Registration) -> dict[str, list[str]]:
    return {
        "exploitation_forms": [
            str(ExploitationForm(code).label) for code in registration.exploitation_forms
        ],
        "sectors": code_labels("sectors", registration.sectors),
        "recruitment_methods": code_labels("recruitment_methods", registration.recruitment_methods),
        "control_methods": code_labels("control_methods", registration.control_methods),
        "nationalities": [nationality_name(code) for code in registration.nationalities],
        "place_country": [nationality_name(registration.place_country)]
        if registration.place_country
        else [],
    }


def registration_context(registration: Registration) -> dict[str, Any]:
    case = registration.case
    versions = registrations_of(case)
    latest = versions[0]
    return {
        "case": case,
        "registration": registration,
        "labels": labels(registration),
        "versions": versions,
        "is_latest": latest.pk == registration.pk,
        "may_correct": latest.pk == registration.pk
        and not registration.is_draft
        and registration.status != "corrected"
        and case.is_open,
        "dossier_changes": list(
            DossierTypeChange.objects.filter(registration__case=case)
            .select_related("registration", "changed_by")
            .order_by("changed_at", "pk")
        ),
        "outbox": OutboxMessage.objects.filter(registration=registration).first(),
        "api_enabled": api_enabled(),
    }
