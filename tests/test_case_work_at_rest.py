"""What the zorgcoördinator and the case table type about a person is encrypted at rest.

A canary string goes into every free-text field of the case work (the case, its person, notes,
outcome, transfer; the care plan; a residence state's note; a referral and its refusal; the
case table's notes, decision, action details and an occasional attendee), through the
services the pages call. Afterwards no column of any table holds it in plain text, the audit
trail included. The signals' own fields have their test in
signals/tests/test_free_text_at_rest.py; its raw dump is reused.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.careplans.models import CarePlanDomain
from inbeeld.careplans.services import ActionInput as CarePlanActionInput
from inbeeld.careplans.services import DomainInput, action_add, domain_update
from inbeeld.careplans.tests.helpers import version_of
from inbeeld.cases import services as cases
from inbeeld.cases.models import Case, CaseNote, CaseStatus
from inbeeld.cases.services import CaseInput, PersonInput
from inbeeld.casetable import services as table
from inbeeld.casetable.models import AgendaItem, Guest, Outcome
from inbeeld.casetable.services import ACTION_SOURCE
from inbeeld.casetable.tests.helpers import table as case_table
from inbeeld.referrals.models import Referral, ReferralStatus
from inbeeld.referrals.services import referral_reject
from inbeeld.referrals.tests.helpers import shelter_staff, world_referral
from inbeeld.regions.models import Region
from inbeeld.residence.models import ResidenceState
from inbeeld.residence.services import StateInput, residence_state_record
from inbeeld.signals.tests.test_free_text_at_rest import rows_holding
from inbeeld.tasks.models import Task
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db
CANARY = "KANARIE8W"


def canary(field: str) -> str:
    return f"{CANARY} {field}"


def case_work_typed(world: World) -> None:
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    case = world_referral(world).case
    case = cases.case_update(
        by=coordinator,
        case=case,
        version=case.version,
        data=CaseInput(person=PersonInput(name=canary("person name"))),
    )
    cases.note_add(by=coordinator, case=case, text=canary("case note"))
    domain_update(
        by=coordinator,
        case=case,
        domain="safety",
        version=version_of(case),
        data=DomainInput(situation=canary("situation"), goals=canary("goals")),
    )
    action_add(
        by=coordinator,
        case=case,
        version=version_of(case),
        data=CarePlanActionInput(
            domain="safety",
            description=canary("care plan action"),
            owner_organisation=case.owner_organisation,
        ),
    )
    residence_state_record(
        by=coordinator,
        case=case,
        data=StateInput(
            status="reflection", start=timezone.localdate(), note=canary("residence note")
        ),
    )
    referral = world_referral(world, case=case)
    referral_reject(by=shelter_staff("A"), referral=referral, reason=canary("refusal"))
    cases.case_transfer_propose(
        by=coordinator,
        case=case,
        to_region=Region.objects.exclude(pk=case.region_id).first(),
        message=canary("transfer"),
    )
    case.refresh_from_db()
    cases.case_close(
        by=coordinator,
        case=case,
        version=case.version,
        reason=CaseStatus.CLOSED,
        outcome=canary("outcome"),
    )


def case_table_typed(world: World) -> None:
    setup = case_table(world)
    table.guest_add(
        by=setup.chair,
        meeting=setup.meeting,
        name=canary("guest"),
        affiliation=canary("affiliation"),
        accepted=True,
    )
    table.agenda_build(by=setup.chair, meeting=setup.meeting)
    item = AgendaItem.objects.get(meeting=setup.meeting)
    table.item_notes_save(by=setup.chair, item=item, notes=canary("item notes"))
    table.decision_record(
        by=setup.chair,
        item=item,
        data=table.DecisionInput(
            outcome=Outcome.LEAD_PARTNER,
            lead=setup.inspectorate,
            reason=canary("decision reason"),
            shared=canary("shared with the lead"),
        ),
    )
    table.action_add(
        by=setup.chair,
        item=item,
        data=table.ActionInput(
            title="Gesprek voeren",
            owner_organisation=setup.inspectorate,
            due=timezone.localdate() + timedelta(days=3),
            details=canary("action details"),
        ),
    )


def test_text_typed_in_the_case_work_is_nowhere_in_plain_text(world: World) -> None:
    case_table_typed(world)  # first: its helper makes the region's shelter, the referral's too
    case_work_typed(world)
    assert rows_holding(CANARY) == []
    # The text is there, encrypted: each model gives it back whole.
    typed = [
        CaseNote.objects.get().text,
        Case.objects.get().outcome,
        CarePlanDomain.objects.get().goals,
        Referral.objects.get(status=ReferralStatus.REJECTED).reason,
        AgendaItem.objects.get().notes,
        Guest.objects.get().name,
        Task.objects.get(source=ACTION_SOURCE).details,
        ResidenceState.objects.get().note,
    ]
    assert all(text.startswith(CANARY) for text in typed), typed
