"""The demo shows registrations in each state: a draft, sent, acknowledged, and one
corrected by a second version with another dossier type."""

from __future__ import annotations

import pytest

from inbeeld.accounts.demo import demo_create
from inbeeld.registration.models import DossierTypeChange, Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_registrations_in_every_state() -> None:
    demo_create()
    assert set(Registration.objects.values_list("status", flat=True)) == set(
        RegistrationStatus.values
    )
    corrected = Registration.objects.get(status=RegistrationStatus.CORRECTED)
    correction = Registration.objects.get(case=corrected.case, version=2)
    assert correction.lineage == corrected.lineage and correction.status == "sent"
    history = DossierTypeChange.objects.filter(registration__case=corrected.case)
    assert list(history.values_list("dossier_type", flat=True)) == [
        "registration",
        "registration_shelter",
    ]
    # Every sent version has a legal basis: the police's obligation or a signed consent.
    for sent in Registration.objects.exclude(status=RegistrationStatus.DRAFT):
        assert sent.legal_basis in {"obligation", "consent"}
