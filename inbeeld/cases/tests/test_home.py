"""The home page shows the open cases the user works on, minors first."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry, Purpose
from inbeeld.cases.tests.helpers import world_case
from inbeeld.signals.models import AgeBand
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def block_of(page: str) -> str:
    return page.split('data-testid="open-cases"', 1)[1].split("</section>", 1)[0]


def test_the_coordinator_sees_her_open_cases_minors_first(world: World) -> None:
    adult, child, elsewhere = world_case(world, "A"), world_case(world, "A"), world_case(world, "B")
    child.person.age_band = AgeBand.MINOR
    child.person.save()
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    block = block_of(client.get(reverse("web:home")).content.decode())
    assert block.index(child.reference) < block.index(adult.reference)
    assert elsewhere.reference not in block
    assert "2 open dossiers" in block
    read = AuditEntry.objects.filter(action=Action.READ, purpose=Purpose.CASE_WORK).last()
    assert read is not None and {str(adult.pk), str(child.pk)} <= set(read.detail["records"])


def test_a_role_without_cases_gets_no_case_block(world: World) -> None:
    world_case(world, "A")
    page = verified_client(world.user(Role.ONDERZOEKER, "A")).get(reverse("web:home"))
    assert 'data-testid="open-cases"' not in page.content.decode()
