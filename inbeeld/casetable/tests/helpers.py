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
from inbeeld.tasks.models import Task
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


def world_meeting(world: World, letter: str) -> Meeting:
    """A meeting of region ``letter`` chaired by its zorgcoördinator, to which the personas'
    own organisation is invited (so its chain partners see it), with the world's signal on
    its agenda. Made once per world."""
    cache: dict[str, Meeting] = world.__dict__.setdefault("_casetable_meetings", {})
    if letter not in cache:
        from inbeeld.casetable.services import agenda_build

        chair = world.user(Role.ZORGCOORDINATOR, letter)
        staff = world.organisation(letter)
        covenant_signed_by(staff)
        on_the_table(world.signal(letter))
        meeting = meeting_plan(
            by=chair,
            region=staff.region,
            data=MeetingInput(
                date=timezone.localdate(), chair=chair, secretary=chair, organisations=[staff]
            ),
        )
        agenda_build(by=chair, meeting=meeting)
        cache[letter] = meeting
    return cache[letter]


def world_item(world: World, letter: str) -> tuple[int, int]:
    """(meeting id, item id) of the world's signal on the meeting of region ``letter``."""
    meeting = world_meeting(world, letter)
    return meeting.pk, meeting.items.get().pk


def world_action(world: World, letter: str) -> Task:
    """An action on the world's meeting item of region ``letter``, owned by the personas'
    organisation (so every persona of that region has it among its organisation's actions)."""
    from inbeeld.casetable.services import ActionInput, action_add

    meeting = world_meeting(world, letter)
    return action_add(
        by=meeting.chair,
        item=meeting.items.get(),
        data=ActionInput(
            title="Terugkoppelen",
            owner_organisation=world.organisation(letter),
            due=timezone.localdate() + timedelta(days=7),
        ),
    )
