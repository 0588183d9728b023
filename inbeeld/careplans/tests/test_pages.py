"""The care plan's pages as the zorgcoördinator and a partner use them, and need-to-know."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.careplans.models import CarePlan, CarePlanVersion
from inbeeld.careplans.tests.helpers import action_added, goals_written, version_of
from inbeeld.cases.services import case_invite
from inbeeld.cases.tests.helpers import world_case
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.tasks.models import Task
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def url(name: str, case: Any, *extra: Any) -> str:
    return reverse(f"careplans:{name}", args=[case.pk, *extra])


def test_the_coordinator_writes_goals_and_an_action_and_sees_them_everywhere(
    world: World,
) -> None:
    case = world_case(world)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    client = verified_client(coordinator)
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="careplan"' in case_page and url("detail", case) in case_page

    response = client.post(
        url("domain_edit", case, "safety"),
        {"version": 1, "situation": "Woont bij de uitbuiter.", "goals": "Veilige opvang."},
    )
    assert response.status_code == 302
    due = timezone.localdate() + timedelta(days=5)
    response = client.post(
        url("action_add", case),
        {
            "version": version_of(case),
            "domain": "safety",
            "description": "Opvangplek aanvragen.",
            "owner_organisation": case.owner_organisation_id,
            "owner": coordinator.pk,
            "due": due.isoformat(),
        },
    )
    assert response.status_code == 302
    plan = client.get(url("detail", case)).content.decode()
    assert "Veilige opvang." in plan and "Opvangplek aanvragen." in plan
    mine = client.get(reverse("tasks:mine")).content.decode()
    assert f"Zorgplan {case.reference}: actie voor veiligheid en opvang" in mine
    assert url("detail", case) + "#domain-safety" in mine
    timeline = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Zorgplan gewijzigd (versie 2)" in timeline
    history = client.get(url("history", case)).content.decode()
    assert "Veiligheid en opvang: actie 1 toegevoegd" in history
    printed = client.get(url("print", case)).content.decode()
    assert "Opvangplek aanvragen." in printed and "main-nav" not in printed


def test_marking_an_action_done_on_the_plan_closes_its_task(world: World) -> None:
    case = world_case(world)
    action = action_added(world, case, due=timezone.localdate() - timedelta(days=1))
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    assert "verlopen" in client.get(url("detail", case)).content.decode()
    response = client.post(
        url("action_status", case, action.pk), {"version": version_of(case), "status": "done"}
    )
    assert response.status_code == 302
    assert Task.objects.get().status == "done"


def test_a_stale_form_shows_the_current_plan_and_keeps_the_input(world: World) -> None:
    case = world_case(world)
    goals_written(world, case, "Eerste.")
    stale = version_of(case)
    goals_written(world, case, "Van een collega.")
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    response = client.post(
        url("domain_edit", case, "safety"), {"version": stale, "goals": "Mijn tekst."}
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="conflict"' in page
    assert "Van een collega." in page and "Mijn tekst." in page
    assert case.care_plan.domains.get().goals == "Van een collega."
    # Saved again from the page, the person's text goes in: nothing was lost unseen.
    version = CarePlan.objects.get().version
    assert f'name="version" value="{version}"' in page


def test_a_bad_date_is_refused_naming_the_field(world: World) -> None:
    case = world_case(world)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    response = client.post(
        url("domain_edit", case, "health"), {"version": 1, "review_date": "2199-01-01"}
    )
    assert response.status_code == 200
    assert "vijf jaar" in response.content.decode()
    assert not CarePlan.objects.exists()


def test_reading_the_plan_is_audited(world: World) -> None:
    case = world_case(world)
    goals_written(world, case)
    verified_client(world.user(Role.KETENPARTNER, "A")).get(url("detail", case))
    assert AuditEntry.objects.filter(
        object_type="careplans.careplan",
        action=Action.READ,
        actor_id=world.user(Role.KETENPARTNER).pk,
    ).exists()


def test_a_partner_of_the_owner_reads_the_plan_but_changes_nothing(world: World) -> None:
    case = world_case(world)
    goals_written(world, case, "Zichtbaar voor de partner.")
    client = verified_client(world.user(Role.KETENPARTNER, "A"))
    page = client.get(url("detail", case)).content.decode()
    assert "Zichtbaar voor de partner." in page
    assert url("domain_edit", case, "safety") not in page
    assert client.get(url("domain_edit", case, "safety")).status_code == 404
    assert client.post(url("action_add", case), {"version": 2}).status_code == 404
    assert CarePlanVersion.objects.count() == 1


@pytest.mark.parametrize("name", ["detail", "history", "print"])
def test_need_to_know_for_reading(world: World, name: str) -> None:
    case = world_case(world)
    goals_written(world, case, "Geheim.")
    other_region = verified_client(world.user(Role.ZORGCOORDINATOR, "B"))
    assert other_region.get(url(name, case)).status_code == 404
    # The reporting partner, not invited to the case.
    assert verified_client(world.reporter("A")).get(url(name, case)).status_code == 404
    anonymous = Client().get(url(name, case))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(
        reverse("accounts:login")
    )


def test_the_two_region_account_changes_plans_only_where_it_coordinates(world: World) -> None:
    """Coordinator in A, chain partner in B: it writes A's plans, and only reads B's (its
    organisation in B owns that case)."""
    case_a, case_b = world_case(world, "A"), world_case(world, "B")
    client = verified_client(world.two_regions)
    assert client.get(url("domain_edit", case_a, "safety")).status_code == 200
    assert client.get(url("detail", case_b)).status_code == 200
    assert client.get(url("domain_edit", case_b, "safety")).status_code == 404
    response = client.post(url("domain_edit", case_b, "safety"), {"version": 1, "goals": "x"})
    assert response.status_code == 404 and not CarePlan.objects.exists()


def test_an_invited_partner_sees_the_plan_and_its_task_but_not_the_forms(world: World) -> None:
    case = world_case(world)
    case_invite(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        case=case,
        organisation=world.partner("A"),
        legal_basis=LegalBasis.PUBLIC_TASK,
        purpose="Aangifte",
    )
    action_added(
        world,
        case,
        due=timezone.localdate() + timedelta(days=2),
        owner_organisation=world.partner("A"),
        owner=None,
    )
    reporter = verified_client(world.reporter("A"))
    assert reporter.get(url("detail", case)).status_code == 200
    assert f"Zorgplan {case.reference}" in reporter.get(reverse("tasks:mine")).content.decode()
    assert reporter.get(url("domain_edit", case, "safety")).status_code == 404


def test_an_unknown_domain_is_not_found(world: World) -> None:
    case = world_case(world)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    assert client.get(url("domain_edit", case, "holiday")).status_code == 404


def test_another_cases_action_is_not_found_through_this_case(world: World) -> None:
    case, other = world_case(world), world_case(world)
    action = action_added(world, other)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    assert client.get(url("action_edit", case, action.pk)).status_code == 404
    assert client.get(url("action_edit", other, action.pk)).status_code == 200
