"""The demo's referrals: one to the shelter waiting for an answer (with its task), one
accepted, a service, and an exit programme in its second phase; the shelter's demo account
sees them and nothing of the cases."""

from __future__ import annotations

import pytest

from inbeeld.accounts.demo import demo_create
from inbeeld.accounts.models import User
from inbeeld.referrals.access import referrals_incoming_for
from inbeeld.referrals.models import Referral, ReferralStatus, ServiceDelivered, ServiceType
from inbeeld.tasks.models import Task, TaskStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_waiting_and_an_accepted_referral() -> None:
    demo_create()
    statuses = sorted(Referral.objects.values_list("status", flat=True))
    assert statuses == [ReferralStatus.ACCEPTED, ReferralStatus.ACCEPTED, ReferralStatus.REQUESTED]
    programme = Referral.objects.get(service=ServiceType.EXIT_PROGRAMME)
    assert [p.phase for p in programme.phases.all()] == ["intake", "stabilisation"]
    assert Task.objects.filter(source="referral.response", status=TaskStatus.OPEN).count() == 1
    assert ServiceDelivered.objects.count() == 1
    shelter = User.objects.get(username="opvang.zeeland")
    assert referrals_incoming_for(shelter).count() == 3
    assert not any(shelter.has_perm("cases.view_case", r.case) for r in Referral.objects.all())
