"""Demo referrals and services among the demo cases (every person and story invented).

Made through the services, after cases/demo.py, in the demo's transaction: one referral to
the shelter that waits for an answer (with its task), one accepted by the shelter's demo
account (opvang.zeeland, accounts/demo.py), and the shelter as a service delivered; and an
exit programme at the same organisation, in its second phase. That
account sees both in "Inkomende verwijzingen".
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from inbeeld.accounts.models import Organisation, User
from inbeeld.cases.models import Case, CaseStatus
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.referrals.models import ExitPhase, Referral, ServiceType, SharedField
from inbeeld.referrals.services import (
    ReferralInput,
    ServiceInput,
    programme_phase_record,
    referral_accept,
    referral_create,
    service_add,
)

COORDINATOR = "zorgcoordinator.zeeland"
SHELTER = "Leger des Heils"
SHELTER_STAFF = "opvang.zeeland"
MARK = "DEMO, verzonnen: "


def demo_referrals_create() -> list[Referral]:
    coordinator = User.objects.filter(username=COORDINATOR).first()
    if coordinator is None:
        return []
    cases = list(
        Case.objects.filter(region__code="VR19", status=CaseStatus.OPEN).order_by("created_at")
    )
    if len(cases) < 3:
        return []
    shelter = Organisation.objects.get(region__code="VR19", name=SHELTER)
    shelter_staff = User.objects.get(username=SHELTER_STAFF)
    pending = referral_create(
        by=coordinator,
        case=cases[0],
        data=ReferralInput(
            organisation=shelter,
            service=ServiceType.SHELTER,
            message=MARK + "Veilige opvang gezocht, liefst buiten de eigen gemeente.",
            shared_fields=[SharedField.AGE_BAND, SharedField.GENDER, SharedField.NATIONALITIES],
            legal_basis=LegalBasis.VITAL_INTEREST,
        ),
    )
    accepted = referral_create(
        by=coordinator,
        case=cases[1],
        data=ReferralInput(
            organisation=shelter,
            service=ServiceType.SHELTER,
            message=MARK + "Opvang na aangifte; tolk Roemeens nodig.",
            shared_fields=[SharedField.NAME, SharedField.EXPLOITATION_FORMS],
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
    )
    referral_accept(by=shelter_staff, referral=accepted)
    service_add(
        by=coordinator,
        case=cases[1],
        data=ServiceInput(
            service=ServiceType.SHELTER,
            provider=shelter,
            start=timezone.localdate() - timedelta(days=3),
            referral=accepted,
        ),
    )
    programme = _exit_programme_create(coordinator, cases[2], shelter, shelter_staff)
    return [pending, accepted, programme]


def _exit_programme_create(
    coordinator: User, case: Case, provider: Organisation, provider_staff: User
) -> Referral:
    """An exit programme running for two months: intake, now in stabilisation."""
    referral = referral_create(
        by=coordinator,
        case=case,
        data=ReferralInput(
            organisation=provider,
            service=ServiceType.EXIT_PROGRAMME,
            message=MARK + "Wil stoppen met het werk in de prostitutie; hulp bij schulden.",
            shared_fields=[SharedField.NAME, SharedField.AGE_BAND],
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
    )
    referral_accept(by=provider_staff, referral=referral)
    # The demo tells a story that began two months ago: its acceptance is dated then, so
    # that the phases recorded through the service may start after it.
    today = timezone.localdate()
    Referral.objects.filter(pk=referral.pk).update(answered_at=timezone.now() - timedelta(days=65))
    referral.refresh_from_db()
    programme_phase_record(
        by=provider_staff,
        referral=referral,
        phase=ExitPhase.INTAKE,
        started_on=today - timedelta(days=60),
    )
    programme_phase_record(
        by=provider_staff,
        referral=referral,
        phase=ExitPhase.STABILISATION,
        started_on=today - timedelta(days=21),
    )
    return referral
