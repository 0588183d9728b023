"""Referrals and services with privacy/ (registry.py): they follow their case.

Retention (docs/privacy.md, "Referrals and services"): no period of their own; removed with
their case (its retention: five years after closing), since a referral and a service are
part of the case's record of care. The referral's share stays in privacy/'s record of shares
with its own handling. Data-subject rights go through the case (cases/sections.py): the
case's access export lists its referrals and services, and erasing the case empties the
referrals' message and reason.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.cases.sections import CasePrivacyPart, case_privacy_part_register
from inbeeld.privacy.export import when
from inbeeld.privacy.registry import Kept, PersonalDataKind, Related, registry
from inbeeld.referrals.models import Referral, ServiceDelivered
from inbeeld.tasks.privacy import task_details_erase

ERASED = "[erased]"
WITH_CASE = gettext_lazy(
    "Kept as long as their case: removed with it by the case's retention (five years after "
    "closing), and emptied when the case is erased."
)

REFERRALS = registry.register(
    PersonalDataKind(
        model=Referral,
        label=gettext_lazy("Referrals"),
        about=gettext_lazy(
            "A case's person referred to an organisation of the region for a service: the "
            "message (encrypted), what was shared, the legal basis, the answer and its reason."
        ),
        kept=(Kept(WITH_CASE),),
        related=(
            Related(
                "referrals.ProgrammePhase",
                gettext_lazy("Phases of an exit programme"),
                gettext_lazy(
                    "Which phase from which date, no free text: in the case's export, removed "
                    "with their referral."
                ),
            ),
        ),
    )
)
SERVICES = registry.register(
    PersonalDataKind(
        model=ServiceDelivered,
        label=gettext_lazy("Services delivered"),
        about=gettext_lazy("Which service a case's person got, from whom and when."),
        kept=(Kept(gettext_lazy("Kept as long as their case: removed with it.")),),
    )
)


def _referral_text(referral: Referral) -> str:
    lines = [
        _("%(when)s: referred to %(organisation)s for %(service)s (%(status)s)")
        % {
            "when": when(referral.created_at),
            "organisation": referral.to_organisation,
            "service": referral.get_service_display(),
            "status": referral.get_status_display(),
        },
        _("Legal basis: %(basis)s") % {"basis": referral.get_legal_basis_display()},
        _("Shared: %(fields)s") % {"fields": ", ".join(referral.shared_field_labels) or "—"},
        _("Message: %(message)s") % {"message": referral.message},
    ]
    if referral.reason:
        lines.append(_("Reason: %(reason)s") % {"reason": referral.reason})
    for phase in referral.phases.all():
        lines.append(
            _("Phase %(phase)s from %(day)s")
            % {"phase": phase.get_phase_display(), "day": phase.started_on.isoformat()}
        )
    return "\n".join(lines)


def _export_referrals(case: Any) -> list[dict[str, Any]]:
    return [
        {
            "reference": referral.reference,
            "to_organisation": str(referral.to_organisation),
            "service": referral.service,
            "status": referral.status,
            "legal_basis": referral.legal_basis,
            "shared_fields": list(referral.shared_fields),
            "message": referral.message,
            "reason": referral.reason,
            "requested_at": when(referral.created_at),
            "phases": [
                {"phase": phase.phase, "started_on": phase.started_on.isoformat()}
                for phase in referral.phases.all()
            ],
            "text": _referral_text(referral),
        }
        for referral in Referral.objects.filter(case=case)
        .select_related("to_organisation")
        .prefetch_related("phases")
    ]


def _erase_referrals(case: Any) -> int:
    referrals = list(Referral.objects.filter(case=case))
    for referral in referrals:
        referral.message = ERASED
        referral.reason = ERASED if referral.reason else ""
        referral.save(update_fields=["message", "reason"])
        task_details_erase(referral)
    return len(referrals)


def _export_services(case: Any) -> list[dict[str, Any]]:
    return [
        {
            "service": service.service,
            "provider": str(service.provider),
            "start": service.start.isoformat(),
            "end": service.end.isoformat() if service.end else "",
            "text": f"{service.get_service_display()}, {service.provider}: "
            f"{service.start.isoformat()} – {service.end.isoformat() if service.end else '…'}",
        }
        for service in ServiceDelivered.objects.filter(case=case).select_related("provider")
    ]


case_privacy_part_register(
    CasePrivacyPart(
        name="referrals",
        label=gettext_lazy("Referrals"),
        export=_export_referrals,
        erase=_erase_referrals,
    )
)
# Services hold no free text: nothing to empty on erasure; they go with the case.
case_privacy_part_register(
    CasePrivacyPart(
        name="services",
        label=gettext_lazy("Services delivered"),
        export=_export_services,
        erase=lambda case: 0,
    )
)
