"""A case table for the tests: region A's meeting with two invited partners who signed.

Built on the shared personas (world.py): the region's zorgcoördinator is chair and secretary;
Opvang A and Inspectie A signed the covenant and are invited; world.signal("A") (reported by
Politie A, which is not invited) is marked for the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from inbeeld.accounts.models import Organisation, OrganisationType, Role, User
from inbeeld.casetable.models import Meeting
from inbeeld.casetable.services import MeetingInput, meeting_plan
from inbeeld.signals.models import Signal, Status
from inbeeld.testing.factories import OrganisationFactory, covenant_signed_by, region, staff_user
from inbeeld.testing.world import REGION_CODES, World


@dataclass
class Table:
    meeting: Meeting
    chair: User
    shelter: Organisation
    inspectorate: Organisation
    shelter_worker: User
    inspector: User
    signal: Signal


def on_the_table(signal: Signal) -> Signal:
    Signal.objects.filter(pk=signal.pk).update(status=Status.CASE_TABLE)
    signal.refresh_from_db()
    return signal


def partner_organisation(letter: str, name: str, kind: str) -> tuple[Organisation, User]:
    organisation = OrganisationFactory.create(
        region=region(REGION_CODES[letter]), name=name, type=kind
    )
    worker = staff_user(role=Role.KETENPARTNER, organisation=organisation)
    return organisation, worker


def table(world: World, letter: str = "A", on: date | None = None) -> Table:
    chair = world.user(Role.ZORGCOORDINATOR, letter)
    shelter, shelter_worker = partner_organisation(
        letter, f"Opvang {letter}", OrganisationType.SHELTER
    )
    inspectorate, inspector = partner_organisation(
        letter, f"Inspectie {letter}", OrganisationType.LABOUR_INSPECTORATE
    )
    covenant_signed_by(world.organisation(letter), shelter, inspectorate)
    meeting = meeting_plan(
        by=chair,
        region=chair.memberships.get().organisation.region,
        data=MeetingInput(
            date=on or timezone.localdate() + timedelta(days=7),
            chair=chair,
            secretary=chair,
            organisations=[shelter, inspectorate],
        ),
    )
    return Table(
        meeting=meeting,
        chair=chair,
        shelter=shelter,
        inspectorate=inspectorate,
        shelter_worker=shelter_worker,
        inspector=inspector,
        signal=on_the_table(world.signal(letter)),
    )
