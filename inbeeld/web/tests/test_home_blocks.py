"""The home page ("Vandaag") of the administrator and the analysts; the signals' blocks are
tested in signals/tests/test_home.py."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import staff_user
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def home(user: Any) -> str:
    response = verified_client(user).get(reverse("web:home"))
    assert response.status_code == 200
    return str(response.content.decode())


def test_the_administrator_sees_accounts_without_second_factor_and_locked_ones(
    world: World,
) -> None:
    admin = world.user(Role.BEHEERDER)
    newcomer = staff_user(
        role=Role.KETENPARTNER, organisation=world.organisation("A"), with_totp=False
    )
    locked = world.reporter("A")
    AccessAttempt.objects.create(
        username=locked.username,
        ip_address="192.0.2.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/inloggen/",
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        failures_since_start=int(settings.AXES_FAILURE_LIMIT),
    )
    elsewhere = staff_user(role=Role.KETENPARTNER, region_code="VR04", with_totp=False)
    page = home(admin)
    block = page[page.index('data-testid="accounts-attention"') :]
    assert "1 account zonder tweede factor" in block
    assert newcomer.username in block
    assert elsewhere.username not in page
    locked_list = block[block.index('data-testid="locked"') :]
    assert locked.get_full_name() in locked_list


def test_the_researcher_sees_the_latest_runs_of_the_region(world: World) -> None:
    run_a, run_b = world.run("A"), world.run("B")
    page = home(world.user(Role.ONDERZOEKER))
    assert 'data-testid="latest-runs"' in page
    assert reverse("insight:run_detail", kwargs={"run_id": run_a.pk}) in page
    assert reverse("insight:run_detail", kwargs={"run_id": run_b.pk}) not in page


@pytest.mark.parametrize("role", [Role.KETENPARTNER, Role.FG, Role.AANDACHTSFUNCTIONARIS])
def test_others_see_neither_block(world: World, role: str) -> None:
    page = home(world.user(role))
    assert 'data-testid="accounts-attention"' not in page
    assert 'data-testid="latest-runs"' not in page
