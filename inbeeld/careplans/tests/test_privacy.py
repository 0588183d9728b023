"""Care plans and privacy/: registered, found with their case's person, exported whole,
erased only as the case allows, and removed with their case (and their tasks with them)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.careplans.models import CarePlan, CarePlanAction, CarePlanDomain, CarePlanVersion
from inbeeld.careplans.privacy import CARE_PLANS
from inbeeld.careplans.tests.helpers import action_added, goals_written
from inbeeld.cases import services as case_services
from inbeeld.cases.models import Case, CaseStatus
from inbeeld.cases.privacy import CLOSED_CASE_DAYS
from inbeeld.cases.services import CaseInput, PersonInput
from inbeeld.cases.tests.helpers import world_case
from inbeeld.privacy import subject_rights
from inbeeld.privacy.registry import registry
from inbeeld.privacy.retention import retention_run
from inbeeld.tasks.models import Task
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def planned_case(world: World) -> Case:
    case = world_case(world)
    case_services.case_update(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        case=case,
        version=case.version,
        data=CaseInput(person=PersonInput(name="Demo Planpersoon")),
    )
    goals_written(world, case, "Een eigen kamer.")
    action_added(world, case, due=timezone.localdate() + timedelta(days=3))
    return case


def test_every_model_of_the_plan_is_registered() -> None:
    covered = registry.covered_models()
    for model in (CarePlan, CarePlanDomain, CarePlanAction, CarePlanVersion):
        assert model._meta.label_lower in covered
    assert CARE_PLANS.kept and not CARE_PLANS.retention  # it goes with its case


def test_the_fg_finds_the_plan_with_the_case_and_exports_it_whole(world: World) -> None:
    case = planned_case(world)
    fg = world.user(Role.FG, "A")
    hits = subject_rights.subject_search(user=fg, name="demo planpersoon")
    assert {(hit.kind.key, hit.record.pk) for hit in hits} == {
        ("cases.case", case.pk),
        ("careplans.careplan", case.care_plan.pk),
    }
    exported = CARE_PLANS.subject.export(case.care_plan) if CARE_PLANS.subject else {}
    assert exported["domains"][0]["goals"] == "Een eigen kamer."
    assert exported["actions"][0]["description"] == "Opvang aanvragen."
    assert len(exported["versions"]) == 2
    html = render_to_string("careplans/privacy_export.html", {"record": exported})
    assert "Een eigen kamer." in html and "Opvang aanvragen." in html


def test_an_open_cases_plan_is_erased_only_after_restriction(world: World) -> None:
    case = planned_case(world)
    plan = case.care_plan
    fg = world.user(Role.FG, "A")
    with pytest.raises(ValidationError):
        subject_rights.record_erase(by=fg, kind=CARE_PLANS, record=plan, reason="Verzoek")
    subject_rights.record_restrict(by=fg, kind=CARE_PLANS, record=plan, reason="Verzoek")
    case.refresh_from_db()
    assert case.restricted  # the plan is only reached through its case
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    assert client.get(reverse("careplans:detail", args=[case.pk])).status_code == 404
    subject_rights.record_erase(by=fg, kind=CARE_PLANS, record=plan, reason="Verzoek")
    assert plan.domains.get().goals == "[erased]"
    assert plan.actions.get().description == "[erased]"
    assert plan.versions.count() == 2  # what changed when: no text, kept


def test_the_plan_and_its_tasks_go_with_the_case(world: World) -> None:
    case = planned_case(world)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    case_services.case_close(
        by=coordinator, case=case, version=case.version, reason=CaseStatus.CLOSED, outcome="Klaar"
    )
    assert Task.objects.count() == 1
    Case.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - timedelta(days=CLOSED_CASE_DAYS + 1)
    )
    retention_run()
    assert not CarePlan.objects.exists() and not CarePlanAction.objects.exists()
    assert not CarePlanVersion.objects.exists()
    assert not Task.objects.exists()
