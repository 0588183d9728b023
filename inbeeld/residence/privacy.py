"""The residence track with privacy/ (registry.py): it follows its case.

Retention (docs/privacy.md, "Residence track"): no period of its own; removed with its case
(the case's retention: five years after closing). Data-subject rights go through the case
(cases/sections.py): the case's access export lists the track's states with their notes, and
erasing the case empties the notes (the states and dates stay: they hold no name).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inbeeld.cases.sections import CasePrivacyPart, case_privacy_part_register
from inbeeld.privacy.export import when
from inbeeld.privacy.registry import Kept, PersonalDataKind, registry
from inbeeld.residence.models import ResidenceState
from inbeeld.tasks.privacy import task_details_erase

ERASED = "[erased]"

STATES = registry.register(
    PersonalDataKind(
        model=ResidenceState,
        label=gettext_lazy("Residence track"),
        about=gettext_lazy(
            "A case's residence states (reflection period, aangifte, B8/3 permit, its end, "
            "continued residence; Dublin, EU/EEA): the state, from which day, who recorded it, "
            "and an optional note (encrypted)."
        ),
        kept=(
            Kept(
                gettext_lazy(
                    "Kept as long as their case: removed with it by the case's retention (five "
                    "years after closing); the notes are emptied when the case is erased."
                )
            ),
        ),
    )
)


def _text(state: ResidenceState) -> str:
    text = _("From %(start)s: %(state)s") % {
        "start": state.start.isoformat(),
        "state": state.get_status_display(),
    }
    if state.end_reason:
        text += f" ({state.get_end_reason_display()})"
    text += " — " + _("recorded %(when)s") % {"when": when(state.recorded_at)}
    if state.note:
        text += "\n" + _("Note: %(note)s") % {"note": state.note}
    return text


def _export(case: Any) -> list[dict[str, Any]]:
    return [
        {
            "status": state.status,
            "start": state.start.isoformat(),
            "end_reason": state.end_reason,
            "note": state.note,
            "recorded_at": when(state.recorded_at),
            "text": _text(state),
        }
        for state in ResidenceState.objects.filter(case=case).order_by("start", "pk")
    ]


def _erase(case: Any) -> int:
    states = list(ResidenceState.objects.filter(case=case))
    for state in states:
        if state.note:
            state.note = ERASED
            state.save(update_fields=["note"])
        task_details_erase(state)
    return len(states)


case_privacy_part_register(
    CasePrivacyPart(
        name="residence", label=gettext_lazy("Residence track"), export=_export, erase=_erase
    )
)
