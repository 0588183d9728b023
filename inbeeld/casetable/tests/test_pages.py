"""The case table's pages, attacked from every side: who sees a meeting, and how much."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.audit.models import AuditEntry
from inbeeld.casetable.agenda import case_pseudonym
from inbeeld.casetable.models import AgendaItem, MinutesSent, Outcome
from inbeeld.casetable.pending import pseudonym_of
from inbeeld.casetable.services import (
    ActionInput,
    DecisionInput,
    action_add,
    agenda_build,
    decision_record,
    item_add_case,
    item_notes_save,
)
from inbeeld.casetable.tests.helpers import Table, table
from inbeeld.testing.clients import verified_client

pytestmark = pytest.mark.django_db
CANARY_NOTES = "KANARIE-NOTITIE-7731"
CANARY_SHARED = "KANARIE-GEDEELD-4410"


def _meeting_url(setup: Table) -> str:
    return reverse("casetable:meeting", args=[setup.meeting.pk])


def _decided(world: Any) -> tuple[Table, AgendaItem]:
    """The world's signal on the agenda, given to Inspectie A as lead partner, with notes."""
    setup = table(world)
    agenda_build(by=setup.chair, meeting=setup.meeting)
    item = AgendaItem.objects.get()
    item_notes_save(by=setup.chair, item=item, notes=CANARY_NOTES)
    decision_record(
        by=setup.chair,
        item=item,
        data=DecisionInput(
            outcome=Outcome.LEAD_PARTNER, lead=setup.inspectorate, shared=CANARY_SHARED
        ),
    )
    action_add(
        by=setup.chair,
        item=item,
        data=ActionInput(
            title="Gesprek voeren",
            owner_organisation=setup.inspectorate,
            due=timezone.localdate() + timedelta(days=3),
        ),
    )
    return setup, item


def test_the_chair_sees_every_item_whole(world: Any) -> None:
    setup, _item = _decided(world)
    page = verified_client(setup.chair).get(_meeting_url(setup)).content.decode()
    assert reverse("signals:detail", args=[setup.signal.pk]) in page
    assert CANARY_NOTES in page and CANARY_SHARED in page and "Gesprek voeren" in page


def test_an_invited_partner_without_a_role_sees_the_item_pseudonymised(world: Any) -> None:
    setup, _item = _decided(world)
    response = verified_client(setup.shelter_worker).get(_meeting_url(setup))
    page = response.content.decode()
    assert response.status_code == 200
    assert pseudonym_of(setup.signal) in page
    for secret in (CANARY_NOTES, CANARY_SHARED, "Testsignaal", setup.signal.receipt_code):
        assert secret not in page
    assert reverse("signals:detail", args=[setup.signal.pk]) not in page
    assert "Gesprek voeren" not in page  # another partner's action
    assert 'data-testid="decision-form"' not in page
    assert AuditEntry.objects.filter(
        refs__object_type="signals.signal",
        refs__object_id=str(setup.signal.pk),
        purpose="case table (pseudonymised)",
    ).exists()


def test_the_partner_given_a_role_sees_what_the_decision_shares(world: Any) -> None:
    setup, _item = _decided(world)
    page = verified_client(setup.inspector).get(_meeting_url(setup)).content.decode()
    assert CANARY_SHARED in page and "Gesprek voeren" in page
    assert CANARY_NOTES not in page and setup.signal.receipt_code not in page
    assert "convenant" in page  # the legal basis it was shared on


@pytest.mark.parametrize(
    "who",
    ["reporter_not_invited", "other_region_coordinator", "other_region_partner", "researcher"],
)
def test_who_is_not_invited_gets_404(world: Any, who: str) -> None:
    setup, _item = _decided(world)
    user = {
        "reporter_not_invited": lambda: world.reporter("A"),
        "other_region_coordinator": lambda: world.user(Role.ZORGCOORDINATOR, "B"),
        "other_region_partner": lambda: world.user(Role.KETENPARTNER, "B"),
        "researcher": lambda: world.user(Role.ONDERZOEKER, "A"),
    }[who]()
    client = verified_client(user)
    for url in (_meeting_url(setup), reverse("casetable:minutes", args=[setup.meeting.pk])):
        assert client.get(url).status_code == 404


def test_a_partner_cannot_change_the_meeting(world: Any) -> None:
    setup, item = _decided(world)
    client = verified_client(setup.inspector)
    url = reverse("casetable:item_decision", args=[setup.meeting.pk, item.pk])
    assert client.post(url, {f"item{item.pk}-outcome": "no_further_action"}).status_code == 404
    assert (
        client.post(reverse("casetable:agenda_build", args=[setup.meeting.pk])).status_code == 404
    )


def test_the_two_region_account_sees_only_the_meetings_of_its_roles(world: Any) -> None:
    here = table(world, "A")
    there = table(world, "B")
    client = verified_client(world.two_regions)  # zorgcoördinator in A, partner in B
    assert client.get(_meeting_url(here)).status_code == 200
    assert client.get(_meeting_url(there)).status_code == 404  # its B organisation not invited


def test_anonymous_visitors_are_sent_to_the_login(world: Any) -> None:
    setup = table(world)
    from django.test import Client

    response = Client().get(_meeting_url(setup))
    assert response.status_code == 302 and "inloggen" in response["Location"]


def test_a_partners_minutes_hold_no_canary_of_other_items(world: Any) -> None:
    setup, _item = _decided(world)
    case = _a_case(world, setup)
    other = item_add_case(by=setup.chair, meeting=setup.meeting, case=case)
    item_notes_save(by=setup.chair, item=other, notes="KANARIE-ANDER-PUNT-9001")
    decision_record(
        by=setup.chair,
        item=other,
        data=DecisionInput(
            outcome=Outcome.LEAD_PARTNER, lead=setup.shelter, shared="KANARIE-OPVANG-5520"
        ),
    )
    url = reverse("casetable:minutes", args=[setup.meeting.pk])
    inspector = verified_client(setup.inspector).get(url).content.decode()
    assert CANARY_SHARED in inspector
    for canary in ("KANARIE-ANDER-PUNT-9001", "KANARIE-OPVANG-5520", CANARY_NOTES, "Anna Test"):
        assert canary not in inspector
    assert case_pseudonym(case) in inspector  # the other item, pseudonymised
    shelter = verified_client(setup.shelter_worker).get(url).content.decode()
    assert "KANARIE-OPVANG-5520" in shelter and CANARY_SHARED not in shelter
    full = verified_client(setup.chair).get(url).content.decode()
    assert all(c in full for c in (CANARY_NOTES, "KANARIE-ANDER-PUNT-9001", "KANARIE-OPVANG-5520"))


def test_sending_the_minutes_is_recorded_per_organisation_and_audited(world: Any) -> None:
    setup, _item = _decided(world)
    client = verified_client(setup.chair)
    client.post(reverse("casetable:minutes_send", args=[setup.meeting.pk]))
    assert set(MinutesSent.objects.values_list("organisation_id", flat=True)) == {
        setup.shelter.pk,
        setup.inspectorate.pk,
    }
    assert AuditEntry.objects.filter(action="share", detail__what="minutes").count() == 2


def test_planning_without_chair_names_the_field(world: Any) -> None:
    chair = world.user(Role.ZORGCOORDINATOR, "A")
    response = verified_client(chair).post(
        reverse("casetable:plan"), {"region": chair.memberships.get().organisation.region_id}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kies de voorzitter van het overleg." in page
    assert "Kies de notulist van het overleg." in page


def test_an_action_without_owner_is_refused_on_the_page(world: Any) -> None:
    setup, item = _decided(world)
    response = verified_client(setup.chair).post(
        reverse("casetable:item_action", args=[setup.meeting.pk, item.pk]),
        {f"item{item.pk}-title": "Bellen"},
    )
    assert response.status_code == 200
    assert "organisatie" in response.content.decode()


def _a_case(world: Any, setup: Table) -> Any:
    from inbeeld.cases.services import CaseInput, PersonInput, case_open

    return case_open(
        by=setup.chair,
        region=setup.meeting.region,
        data=CaseInput(person=PersonInput(name="Anna Test")),
    )


def test_the_home_page_names_the_next_meeting_to_chair_and_invited(world: Any) -> None:
    setup = table(world)
    for user in (setup.chair, setup.inspector):
        page = verified_client(user).get(reverse("web:home")).content.decode()
        assert 'data-testid="next-meeting"' in page
        assert reverse("casetable:meeting", args=[setup.meeting.pk]) in page
    reporter = verified_client(world.reporter("A")).get(reverse("web:home")).content.decode()
    assert reverse("casetable:meeting", args=[setup.meeting.pk]) not in reporter
