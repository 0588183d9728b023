"""The case table: partners not involved see a pseudonymised item, the involved the signal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.casetable.pending import pseudonym_of
from inbeeld.regions.models import Municipality
from inbeeld.signals.models import Signal, Status
from inbeeld.signals.services import SignalInput, signal_create_partner
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db


def signal_on_the_table(code: str = "GM0664") -> Signal:
    municipality = Municipality.objects.get(code=code)
    shelter = OrganisationFactory.create(type=OrganisationType.SHELTER, region=municipality.region)
    reporter = staff_user(role=Role.KETENPARTNER, organisation=shelter)
    signal, _new = signal_create_partner(
        data=SignalInput(
            municipality=municipality,
            description="Verhaal met details over Anna Testvrouw.",
            place_text="Testlaan 12",
            exploitation_forms=["sexual"],
            victim_name="Anna Testvrouw",
            victim_date_of_birth=None,
            reporter_contact="melder@example.org",
        ),
        by=reporter,
        organisation=shelter,
    )
    Signal.objects.filter(pk=signal.pk).update(status=Status.CASE_TABLE)
    return signal


def test_a_partner_not_involved_sees_no_identifying_data() -> None:
    signal = signal_on_the_table()
    police = OrganisationFactory.create(type=OrganisationType.POLICE, region=region("VR19"))
    officer = staff_user(role=Role.KETENPARTNER, organisation=police)
    page = verified_client(officer).get(reverse("casetable:index")).content.decode()
    assert pseudonym_of(signal) in page
    assert "Goes" in page  # the municipality helps partners prepare
    for secret in ("Anna", "Testvrouw", "Testlaan", "melder@example.org", "Verhaal"):
        assert secret not in page
    assert signal.receipt_code not in page
    assert reverse("signals:detail", kwargs={"signal_id": signal.pk}) not in page
    # One entry for the whole table, naming each signal shown.
    assert AuditEntry.objects.filter(
        action=Action.READ,
        refs__object_type="signals.signal",
        refs__object_id=str(signal.pk),
        purpose="case table (pseudonymised)",
    ).exists()


def test_the_coordinator_can_open_the_signal_from_the_table() -> None:
    signal = signal_on_the_table()
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    page = verified_client(coordinator).get(reverse("casetable:index")).content.decode()
    assert reverse("signals:detail", kwargs={"signal_id": signal.pk}) in page


def test_other_regions_and_other_statuses_stay_off_the_table() -> None:
    elsewhere = signal_on_the_table("GM0193")
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    page = verified_client(coordinator).get(reverse("casetable:index")).content.decode()
    assert pseudonym_of(elsewhere) not in page
    here = signal_on_the_table()
    Signal.objects.filter(pk=here.pk).update(status=Status.NEW)
    page = verified_client(coordinator).get(reverse("casetable:index")).content.decode()
    assert pseudonym_of(here) not in page
