"""Signals marked for the case table (status overlegtafel), waiting for a meeting's agenda.

Every chain partner of the region sees that a signal is on the table, so that they can
prepare; only those already involved (the reporting organisation, the region's
zorgcoördinators, the people it is assigned to) see it whole. Everyone else sees a
pseudonymised item: no names, dates of birth, addresses, contact details or narrative.
"""

from __future__ import annotations

from dataclasses import dataclass

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.privacy.encryption import blind_index
from inbeeld.privacy.pseudonymise import PseudonymisedItem, pseudonymised
from inbeeld.signals import access
from inbeeld.signals.models import Signal, Status

# Safe to show to any partner at the table; see privacy/pseudonymise.py for why a list.
# Nationality as its ISO 3166-1 code (shown by name) is a category like age band and gender,
# which partners need to prepare (interpreter, residence route); never the nationality as
# first written (victim_nationality_text), which is free text.
SHOWN_TO_PARTNERS = (
    "municipality",
    "exploitation_form_labels",
    "risk_score",
    "acute",
    "people_count",
    "victim_age_band",
    "victim_is_minor",  # the age band's "under 18", shown in words on the table
    "victim_gender",
    "victim_nationality",
    "created_at",
)
CASE_TABLE_ROLES = access.INTAKE_ROLES


@dataclass(frozen=True)
class TableItem:
    signal_id: int
    involved: bool
    item: PseudonymisedItem


def pseudonym_of(signal: Signal) -> str:
    """A stable name for the table that partners cannot turn back into the signal."""
    return "T-" + blind_index(str(signal.pk), purpose="case-table")[:8].upper()


def case_table_for(user: User) -> list[TableItem]:
    """The signals on the case table of the user's regions; reading them is audited."""
    regions = regions_where(user, *CASE_TABLE_ROLES)
    on_table = list(
        Signal.objects.filter(region__in=regions, status=Status.CASE_TABLE, restricted=False)
        .select_related("municipality", "region")
        .order_by("-acute", "-risk_score", "created_at")
    )
    # Ask need-to-know only about the signals on the table, not about all the user may see.
    involved = set(
        access.signals_visible_to(user)
        .filter(pk__in=[signal.pk for signal in on_table])
        .values_list("pk", flat=True)
    )
    items = [
        TableItem(
            signal_id=signal.pk,
            involved=signal.pk in involved,
            item=pseudonymised(signal, pseudonym=pseudonym_of(signal), shown=SHOWN_TO_PARTNERS),
        )
        for signal in on_table
    ]
    if on_table:
        audit_record_reads(actor=user, records=on_table, purpose=Purpose.CASE_TABLE)
    return items
