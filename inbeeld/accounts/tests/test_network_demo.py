"""The demo's network: Zeeland's nine municipal contacts (seed 003) and signed covenants."""

from __future__ import annotations

import pytest

from inbeeld.accounts.covenants import covenant_in_force, signatory_ids
from inbeeld.accounts.demo import demo_create
from inbeeld.accounts.directory import coverage
from inbeeld.accounts.models import ContactPerson, Organisation
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import Share
from inbeeld.testing.factories import region

pytestmark = pytest.mark.django_db


def test_the_demo_shows_zeelands_coverage_and_covenant() -> None:
    demo_create()
    zeeland = coverage(region("VR19"))
    assert {row.municipality.name for row in zeeland.covered} == {
        "Goes",
        "Vlissingen",
        "Middelburg (Z.)",
        "Terneuzen",
        "Reimerswaal",
        "Kapelle",
        "Schouwen-Duiveland",
        "Hulst",
        "Noord-Beveland",
    }
    assert {m.name for m in zeeland.gaps} == {"Borsele", "Sluis", "Tholen", "Veere"}
    assert {row.municipality.name for row in coverage(region("VR04")).covered} == {
        "Zwolle",
        "Deventer",
    }
    assert all("(demo)" in contact.name for contact in ContactPerson.objects.all())

    covenant = covenant_in_force(region("VR19"))
    assert covenant is not None
    signed = set(
        Organisation.objects.filter(pk__in=signatory_ids(covenant)).values_list("name", flat=True)
    )
    assert "Politie Zeeland-West-Brabant" in signed
    assert "Koninklijke Marechaussee" not in signed
    # The demo's assignment to the police went through on the covenant basis.
    assert Share.objects.filter(legal_basis=LegalBasis.COVENANT).exists()
    assert covenant_in_force(region("VR04")) is not None
