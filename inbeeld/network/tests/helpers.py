"""Activities and participants for tests, in the world's regions (inbeeld/testing/world.py),
made through the services as the ketenregisseur of the region."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from inbeeld.accounts.models import Organisation, OrganisationType, Role
from inbeeld.network.models import Activity, ActivityKind, Participant, TargetGroup
from inbeeld.network.services import (
    ActivityInput,
    ParticipantInput,
    activity_create,
    attendance_record,
    participant_register,
)
from inbeeld.regions.models import Municipality
from inbeeld.testing.factories import region
from inbeeld.testing.world import MUNICIPALITY_CODES, REGION_CODES, World


def municipality_of(letter: str = "A", code: str = "") -> Municipality:
    return Municipality.objects.get(code=code or MUNICIPALITY_CODES[letter])


def organisation_in(
    letter: str = "A", name: str = "Gemeente Test", municipality: Municipality | None = None
) -> Organisation:
    organisation, _new = Organisation.objects.get_or_create(
        region=region(REGION_CODES[letter]),
        name=name,
        defaults={"type": OrganisationType.MUNICIPALITY, "municipality": municipality},
    )
    return organisation


def activity_in(
    world: World,
    letter: str = "A",
    *,
    title: str = "Training signalen herkennen",
    when: datetime | None = None,
    kind: str = ActivityKind.TRAINING,
    public: bool = False,
    capacity: int | None = None,
    certificate: bool = False,
    municipality: Municipality | None = None,
    groups: tuple[str, ...] = (TargetGroup.MUNICIPAL_STAFF,),
) -> Activity:
    return activity_create(
        by=world.user(Role.KETENREGISSEUR, letter),
        data=ActivityInput(
            kind=kind,
            title=title,
            starts_at=when or timezone.now() + timedelta(days=10),
            municipality=municipality or municipality_of(letter),
            organiser=world.organisation(letter),
            target_groups=groups,
            place="Stadhuis, zaal 2",
            capacity=capacity,
            public=public,
            grants_certificate=certificate,
        ),
    )


def register(
    world: World,
    activity: Activity,
    name: str,
    organisation: Organisation | None = None,
    group: str = TargetGroup.MUNICIPAL_STAFF,
    letter: str = "A",
) -> Participant:
    return participant_register(
        by=world.user(Role.KETENREGISSEUR, letter),
        activity=activity,
        data=ParticipantInput(
            organisation=organisation or world.organisation(letter),
            name=name,
            target_group=group,
            function="Beleidsmedewerker",
        ),
    )


def attend(
    world: World,
    activity: Activity,
    *present: Participant,
    public: int | None = None,
    letter: str = "A",
) -> None:
    attendance_record(
        by=world.user(Role.KETENREGISSEUR, letter),
        activity=activity,
        present={p.pk: True for p in present},
        public_attendees=public,
    )


def world_participant(world: World, letter: str) -> Participant:
    """An attended participant of a training with a certificate in region ``letter``."""
    activity = activity_in(world, letter, certificate=True)
    participant = register(world, activity, f"Deelnemer {letter}", letter=letter)
    attend(world, activity, participant, letter=letter)
    return participant
