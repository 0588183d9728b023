"""The coordinator's triage queue and detail: need-to-know, audited reads, closing rules."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.regions.models import Municipality
from inbeeld.signals.models import Signal, Status
from inbeeld.signals.services import SignalInput, signal_create_partner
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import OrganisationFactory, staff_user

pytestmark = pytest.mark.django_db


def partner_signal(code: str = "GM0664", acute: bool = False) -> Signal:
    municipality = Municipality.objects.get(code=code)
    organisation = OrganisationFactory.create(
        type=OrganisationType.POLICE, region=municipality.region
    )
    user = staff_user(role=Role.KETENPARTNER, organisation=organisation)
    signal, _new = signal_create_partner(
        data=SignalInput(
            municipality=municipality,
            description="Uitbuiting in een kas.",
            exploitation_forms=["labour"],
            acute=acute,
        ),
        by=user,
        organisation=organisation,
    )
    return signal


def test_the_queue_puts_acute_signals_first_and_shows_only_the_region() -> None:
    calm, urgent = partner_signal(), partner_signal(acute=True)
    elsewhere = partner_signal("GM0193")  # Zwolle, IJsselland
    page = (
        verified_client(staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19"))
        .get(reverse("signals:queue"))
        .content.decode()
    )
    assert page.index(urgent.receipt_code) < page.index(calm.receipt_code)
    assert elsewhere.receipt_code not in page


def test_reading_a_signal_is_audited_with_its_purpose() -> None:
    signal = partner_signal()
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    verified_client(coordinator).get(reverse("signals:detail", kwargs={"signal_id": signal.pk}))
    entry = AuditEntry.objects.filter(action=Action.READ, object_id=str(signal.pk)).get()
    assert (entry.actor, entry.purpose) == (coordinator.username, "triage")


def test_outsiders_get_404() -> None:
    signal = partner_signal()
    url = reverse("signals:detail", kwargs={"signal_id": signal.pk})
    other_coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR04")
    other_partner = staff_user(role=Role.KETENPARTNER, region_code="VR19")
    assert verified_client(other_coordinator).get(url).status_code == 404
    assert verified_client(other_partner).get(url).status_code == 404
    reporter = signal.source_organisation.memberships.get().user  # type: ignore[union-attr]
    assert verified_client(reporter).get(url).status_code == 200


def test_closing_needs_an_outcome_and_only_the_coordinator_may_triage() -> None:
    signal = partner_signal()
    url = reverse("signals:detail", kwargs={"signal_id": signal.pk})
    coordinator = verified_client(staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19"))
    seen = {"version": signal.version}
    refused = coordinator.post(url, {"status": Status.CLOSED, "outcome": ""} | seen)
    assert "uitkomst" in refused.content.decode().lower()
    signal.refresh_from_db()
    assert signal.status == Status.NEW
    coordinator.post(url, {"status": Status.CLOSED, "outcome": "geen_mensenhandel"} | seen)
    signal.refresh_from_db()
    assert (signal.status, signal.outcome) == (Status.CLOSED, "geen_mensenhandel")
    reporter = signal.source_organisation.memberships.get().user  # type: ignore[union-attr]
    refused = verified_client(reporter).post(url, {"status": Status.NEW, "version": 2})
    assert refused.status_code == 404


def test_the_queue_filters_by_municipality_acute_and_assignment_and_sorts() -> None:
    goes, vlissingen = partner_signal("GM0664"), partner_signal("GM0718", acute=True)
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    vlissingen.assigned_to.add(coordinator)
    client = verified_client(coordinator)

    def codes(**query: str) -> list[str]:
        page = client.get(reverse("signals:queue"), query).context["page"]
        return [signal.receipt_code for signal in page]

    assert codes(municipality=str(goes.municipality_id)) == [goes.receipt_code]
    assert codes(acute="on") == [vlissingen.receipt_code]
    assert codes(mine="on") == [vlissingen.receipt_code]
    assert codes(sort="oldest") == [goes.receipt_code, vlissingen.receipt_code]
    assert codes(sort="newest") == [vlissingen.receipt_code, goes.receipt_code]
    assert codes(status="nonsense") == [vlissingen.receipt_code, goes.receipt_code]
