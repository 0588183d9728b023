"""The home page ("Vandaag"): each role sees the block of its own work, and nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from inbeeld.accounts.models import Role
from inbeeld.audit.models import AuditEntry
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.signals.models import Signal, Status
from inbeeld.signals.tests.test_queue import reported
from inbeeld.signals.triage import tip_pass
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import covenant_signed_by
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def home(user: Any) -> str:
    response = verified_client(user).get(reverse("web:home"))
    assert response.status_code == 200
    return str(response.content.decode())


def tip_to_police(world: World) -> Any:
    signal = world.signal("A")
    covenant_signed_by(world.partner("A"))
    return tip_pass(
        by=world.user(Role.ZORGCOORDINATOR),
        signal=signal,
        to_organisation=world.partner("A"),
        text="Mogelijke uitbuiting in een kas.",
        legal_basis=LegalBasis.POLICE_DATA,
        purpose="opsporing",
    )


def test_the_coordinator_sees_acute_and_minors_first_and_counts_per_status(
    world: World,
) -> None:
    calm = reported(world)
    minor = reported(world, victim_age_band="minor")
    acute = reported(world, acute=True)
    closed = reported(world)
    Signal.objects.filter(pk=closed.pk).update(status=Status.CLOSED, outcome="geen_mensenhandel")
    elsewhere = reported(world, "B", acute=True)
    page = home(world.user(Role.ZORGCOORDINATOR))
    block = page[page.index('data-testid="coordinator-today"') :]
    order = [block.index(s.receipt_code) for s in (acute, minor, calm)]
    assert order == sorted(order)
    assert closed.receipt_code not in block
    assert elsewhere.receipt_code not in page
    assert "Nieuw: 3" in block and "Afgesloten: 1" in block
    entry = AuditEntry.objects.get(purpose="signal queue")
    assert sorted(entry.detail["records"]) == sorted(str(s.pk) for s in (acute, minor, calm))


def test_a_chain_partner_sees_where_the_organisations_reports_stand(world: World) -> None:
    mine = reported(world)
    Signal.objects.filter(pk=mine.pk).update(status=Status.IN_PROGRESS)
    others = reported(world, "B")
    page = home(world.reporter("A"))
    assert 'data-testid="organisation-reports"' in page
    assert mine.receipt_code in page and "In behandeling" in page
    assert others.receipt_code not in page
    assert 'data-testid="coordinator-today"' not in page


def test_the_police_see_the_tips_received(world: World) -> None:
    tip_to_police(world)
    page = home(world.reporter("A"))
    block = page[page.index('data-testid="tips-today"') :]
    assert "Uw organisatie ontving 1 tip." in block
    assert AuditEntry.objects.filter(purpose="tip received").count() == 1
    # The tip went to region A's police; the chain partner of another organisation sees none.
    assert 'data-testid="tips-today"' in home(world.user(Role.KETENPARTNER))
    assert "ontving 0 tips" in home(world.user(Role.KETENPARTNER))


@pytest.mark.parametrize("role", [Role.FG, Role.BEHEERDER, Role.ONDERZOEKER, Role.KETENREGISSEUR])
def test_roles_without_signal_work_see_no_signal_blocks(world: World, role: str) -> None:
    reported(world, acute=True)
    page = home(world.user(role))
    for block in ("coordinator-today", "organisation-reports", "tips-today"):
        assert f'data-testid="{block}"' not in page


def test_two_regions_see_only_what_each_role_allows(world: World) -> None:
    in_a, in_b = reported(world, "A"), reported(world, "B")
    page = home(world.two_regions)
    block = page[page.index('data-testid="coordinator-today"') :]
    assert in_a.receipt_code in block
    assert in_b.receipt_code not in page


def test_the_fg_sees_the_restricted_signals_of_her_region(world: World) -> None:
    restricted, open_signal = reported(world), reported(world)
    elsewhere = reported(world, "B")
    Signal.objects.filter(pk__in=[restricted.pk, elsewhere.pk]).update(restricted=True)
    page = home(world.user(Role.FG))
    block = page[page.index('data-testid="restricted-signals"') :]
    assert restricted.receipt_code in block
    assert open_signal.receipt_code not in page
    assert elsewhere.receipt_code not in page
    assert "1 signaal is beperkt" in block
    entry = AuditEntry.objects.get(purpose="data-subject request")
    assert entry.detail["records"] == [str(restricted.pk)]
    assert 'data-testid="restricted-signals"' not in home(world.user(Role.ZORGCOORDINATOR))
