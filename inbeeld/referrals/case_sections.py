"""Referrals and services on the case page and its timeline (cases/sections.py)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from inbeeld.cases.models import Case
from inbeeld.cases.sections import CaseSection, case_section_register, case_timeline_source_register
from inbeeld.cases.timeline import TimelineItem
from inbeeld.referrals.models import ExitPhase, Referral, ServiceDelivered, ServiceType


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def referrals_of(case: Case) -> list[Referral]:
    return list(
        Referral.objects.filter(case=case)
        .select_related("to_organisation", "created_by")
        .prefetch_related("phases")
    )


def _context(request: Any, user: Any, case: Case, editable: bool) -> dict[str, Any]:
    referrals = referrals_of(case)
    today = timezone.localdate()
    for referral in referrals:
        referral.late = referral.is_waiting and referral.answer_due < today  # type: ignore[attr-defined]
        phases = list(referral.phases.all())  # ordered by start: the last is the current one
        referral.current_phase = phases[-1] if phases else None  # type: ignore[attr-defined]
    return {
        "case": case,
        "referrals": referrals,
        "waiting": [r for r in referrals if r.is_waiting],
        "services": ServiceDelivered.objects.filter(case=case).select_related("provider"),
        "may_edit": editable,
    }


def _referral_items(referral: Referral) -> list[TimelineItem]:
    names = {
        "organisation": str(referral.to_organisation),
        "service": str(ServiceType(referral.service).label).lower(),
        "reference": referral.reference,
    }
    items = [
        TimelineItem(
            referral.created_at,
            "referral",
            _("Referred to %(organisation)s for %(service)s (%(reference)s)") % names,
        )
    ]
    if referral.answered_at is not None:
        if referral.status == "rejected":
            items.append(
                TimelineItem(
                    referral.answered_at,
                    "referral",
                    _("Referral %(reference)s rejected by %(organisation)s") % names,
                    referral.reason,
                )
            )
        else:
            items.append(
                TimelineItem(
                    referral.answered_at,
                    "referral",
                    _("Referral %(reference)s accepted by %(organisation)s") % names,
                )
            )
    if referral.ended_at is not None:
        title = (
            _("Referral %(reference)s revoked")
            if referral.status == "revoked"
            else _("Referral %(reference)s completed")
        )
        items.append(TimelineItem(referral.ended_at, "referral", title % names))
    for phase in referral.phases.all():
        title = _("Exit programme %(reference)s: phase %(phase)s") % {
            **names,
            "phase": str(ExitPhase(phase.phase).label).lower(),
        }
        items.append(TimelineItem(_start_of(phase.started_on), "referral", title, dated_only=True))
    return items


def _timeline(case: Case) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    referrals = (
        Referral.objects.filter(case=case)
        .select_related("to_organisation")
        .prefetch_related("phases")
    )
    for referral in referrals:
        items.extend(_referral_items(referral))
    for service in ServiceDelivered.objects.filter(case=case).select_related("provider"):
        text = _("until %(end)s") % {"end": service.end.isoformat()} if service.end else ""
        title = _("Service: %(service)s by %(provider)s") % {
            "service": service.get_service_display(),
            "provider": service.provider,
        }
        items.append(
            TimelineItem(_start_of(service.start), "service", title, text, dated_only=True)
        )
    return items


case_section_register(
    CaseSection(
        name="referrals", template="referrals/_case_section.html", context=_context, order=50
    )
)
case_timeline_source_register("referrals", _timeline)
