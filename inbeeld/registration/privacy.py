"""Registrations with privacy/ (registry.py): they follow their case.

Retention (docs/privacy.md, "CoMensha registrations"): no period of their own; removed with
their case (the case's retention: five years after closing), with their dossier type
history and outbox messages. Data-subject rights go through the case (cases/sections.py):
the case's access export lists every version with what it said; erasing the case removes
drafts that were never sent. Sent versions stay as the record of what was shared with
CoMensha, on which basis and when: they hold no name, no date of birth and no free text.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.cases.sections import CasePrivacyPart, case_privacy_part_register
from inbeeld.privacy.export import when
from inbeeld.privacy.registry import Kept, PersonalDataKind, Related, registry
from inbeeld.registration.comensha_file import as_document
from inbeeld.registration.models import Registration, RegistrationStatus
from inbeeld.registration.services import record_of

REGISTRATIONS = registry.register(
    PersonalDataKind(
        model=Registration,
        label=gettext_lazy("CoMensha registrations"),
        about=gettext_lazy(
            "A case's registration with CoMensha, per version: reporter, police unit, dossier "
            "type, forms of exploitation, sectors, nationality, age, minor or adult, gender, "
            "plaats delict, methods, the legal basis and who signed the consent; no name."
        ),
        kept=(
            Kept(
                gettext_lazy(
                    "Kept as long as their case: removed with it by the case's retention (five "
                    "years after closing). Erasing the case removes drafts; sent versions stay "
                    "as the record of what was shared with CoMensha."
                )
            ),
        ),
        related=(
            Related(
                model="registration.DossierTypeChange",
                label=gettext_lazy("Dossier type history"),
                statement=gettext_lazy("Removed with the registration."),
            ),
            Related(
                model="registration.OutboxMessage",
                label=gettext_lazy("Deliveries to CoMensha's API"),
                statement=gettext_lazy("Removed with the registration; holds no copy of its data."),
            ),
        ),
    )
)


def _text(registration: Registration) -> str:
    return _("Version %(version)d (%(status)s), made %(when)s") % {
        "version": registration.version,
        "status": registration.get_status_display(),
        "when": when(registration.created_at),
    }


def _export(case: Any) -> list[dict[str, Any]]:
    items = []
    for registration in (
        Registration.objects.filter(case=case)
        .select_related("region", "place_municipality")
        .order_by("version")
    ):
        items.append(
            {
                **as_document(record_of(registration)),
                "status": registration.status,
                "sent_at": when(registration.sent_at) if registration.sent_at else "",
                "text": _text(registration),
            }
        )
    return items


def _erase(case: Any) -> int:
    deleted, _rows = Registration.objects.filter(
        case=case, status=RegistrationStatus.DRAFT
    ).delete()
    return int(deleted)


case_privacy_part_register(
    CasePrivacyPart(
        name="registration",
        label=gettext_lazy("CoMensha registrations"),
        export=_export,
        erase=_erase,
    )
)
