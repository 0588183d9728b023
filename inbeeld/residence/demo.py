"""The demo's residence tracks, recorded through the service: every word here is invented.

The five open demo cases of Zeeland (cases/demo.py; the sixth is closed), oldest first:

- the case opened from the acute signal: a reflection period that ends in a little over
  two weeks: its reminder is due this week (one due today for the passed four-week one);
- the Bulgarian woman: an EU/EEA citizen (other conditions; no deadlines);
- the Romanian-Moldovan man (the police invited; aangifte): reflection period, aangifte,
  and a B8/3 permit whose renewal is due in under three weeks;
- the man without a known nationality: a Dublin claimant whose presence the OM judged
  necessary, on a B8/3 permit for more than three years, ended with a conviction, and now
  continued residence on humanitarian grounds (the whole track in its history);
- the Dutch minor: no residence issue.

Called by ``inbeeld demo`` (accounts/demo.py) after the cases, in the same transaction.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from inbeeld.accounts.models import User
from inbeeld.cases.demo import COORDINATOR, DEMO_MARK
from inbeeld.cases.models import Case, CaseStatus
from inbeeld.lib.months import add_months
from inbeeld.residence.models import EndReason, ResidenceState
from inbeeld.residence.models import ResidenceStatus as S
from inbeeld.residence.services import StateInput, residence_state_record

# The renewal and the reflection period's end fall this many days from the demo's day: the
# two-week reminder is then due within the week.
SOON = 17


def _tracks(today: date) -> list[list[tuple[str, date, str, str]]]:
    """Per open demo case (oldest first): its states as (state, from, end reason, note)."""
    year_ago = add_months(today, -12)
    first_permit = add_months(today, -36) - timedelta(days=200)
    return [
        [(S.REFLECTION, add_months(today + timedelta(days=SOON), -3), "", "aangeboden door KMar")],
        [(S.EU_EEA, today - timedelta(days=20), "", "")],
        [
            (S.REFLECTION, year_ago - timedelta(days=120), "", "aangeboden door de politie"),
            (S.APPLIED, year_ago - timedelta(days=60), "", "aangifte gedaan"),
            (S.PERMIT, add_months(today + timedelta(days=SOON + 28), -12), "", ""),
        ],
        [
            (S.DUBLIN, first_permit - timedelta(days=30), "", "Dublinclaim Italië"),
            *[(S.PERMIT, add_months(first_permit, 12 * n), "", "") for n in range(4)],
            (S.ENDED, today - timedelta(days=30), EndReason.CONVICTED, "verdachte veroordeeld"),
            (S.HUMANITARIAN, today - timedelta(days=5), "", ""),
        ],
        [(S.NO_ISSUE, today - timedelta(days=60), "", "")],
    ]


def demo_residence_create() -> list[ResidenceState]:
    coordinator = User.objects.filter(username=COORDINATOR).first()
    if coordinator is None:
        return []
    cases = list(
        Case.objects.filter(region__code="VR19", status=CaseStatus.OPEN).order_by("created_at")
    )
    states = []
    for case, track in zip(cases, _tracks(timezone.localdate()), strict=False):
        for status, start, end_reason, note in track:
            states.append(
                residence_state_record(
                    by=coordinator,
                    case=case,
                    data=StateInput(
                        status=status,
                        start=start,
                        end_reason=end_reason,
                        note=DEMO_MARK + note if note else "",
                    ),
                )
            )
    return states
