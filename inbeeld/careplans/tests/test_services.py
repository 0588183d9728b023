"""Writing a care plan: versions, tasks made, moved and closed, conflicts, bad input."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.careplans import services
from inbeeld.careplans.concurrency import CarePlanChangedError
from inbeeld.careplans.models import ActionStatus, CarePlan, CarePlanAction, CarePlanVersion
from inbeeld.careplans.services import ActionInput, DomainInput
from inbeeld.careplans.tests.helpers import action_added, goals_written, version_of
from inbeeld.cases.services import case_close, case_invite, case_reopen
from inbeeld.cases.tests.helpers import world_case
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.tasks.models import Task, TaskStatus
from inbeeld.tasks.services import tasks_for_subject
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def today_plus(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def test_every_change_is_a_version_naming_what_changed_when_and_by_whom(world: World) -> None:
    case = world_case(world)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    goals_written(world, case)
    action = action_added(world, case)
    services.action_status_set(
        by=coordinator, case=case, action=action, version=version_of(case), status="done"
    )
    versions = list(CarePlanVersion.objects.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[0].changes == [{"domain": "safety", "field": "goals"}]
    assert versions[1].changes == [{"action": action.pk, "domain": "safety", "field": "added"}]
    assert versions[2].changes == [
        {"action": action.pk, "domain": "safety", "field": "status", "value": "done"}
    ]
    assert {v.by for v in versions} == {coordinator}
    # The text is encrypted in the plan and never in the version or the audit entry.
    entries = AuditEntry.objects.filter(object_type="careplans.careplan", action=Action.UPDATE)
    assert entries.count() == 3
    assert "Veilig wonen" not in str(list(entries.values_list("detail", flat=True)))


def test_saving_the_same_text_again_makes_no_version(world: World) -> None:
    case = world_case(world)
    goals_written(world, case)
    goals_written(world, case)
    assert CarePlanVersion.objects.count() == 1
    assert CarePlan.objects.get().version == 2


def test_an_action_with_a_due_date_is_a_task_moved_with_it_and_closed_when_done(
    world: World,
) -> None:
    case = world_case(world)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    action = action_added(world, case, due=today_plus(7))
    task = Task.objects.get(source="careplan.action")
    assert (task.due, task.owner, task.owner_organisation) == (
        today_plus(7),
        coordinator,
        case.owner_organisation,
    )
    assert "Opvang" not in task.title and case.reference in task.title  # no personal data
    data = ActionInput(
        domain="safety",
        description=action.description,
        owner_organisation=case.owner_organisation,
        owner=coordinator,
        due=today_plus(14),
    )
    services.action_update(
        by=coordinator, case=case, action=action, version=version_of(case), data=data
    )
    task.refresh_from_db()
    assert task.due == today_plus(14) and task.status == TaskStatus.OPEN
    assert Task.objects.count() == 1
    services.action_status_set(
        by=coordinator, case=case, action=action, version=version_of(case), status="done"
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_cancelling_an_action_cancels_its_task_and_reopening_makes_a_new_one(
    world: World,
) -> None:
    case = world_case(world)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    action = action_added(world, case, due=today_plus(3))
    services.action_status_set(
        by=coordinator, case=case, action=action, version=version_of(case), status="cancelled"
    )
    assert list(tasks_for_subject(action).values_list("status", flat=True)) == ["cancelled"]
    services.action_status_set(
        by=coordinator, case=case, action=action, version=version_of(case), status="open"
    )
    assert sorted(tasks_for_subject(action).values_list("status", flat=True)) == [
        "cancelled",
        "open",
    ]


def test_a_review_date_is_a_task_of_the_case_owner_and_clearing_it_cancels_it(
    world: World,
) -> None:
    case = world_case(world)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    services.domain_update(
        by=coordinator,
        case=case,
        domain="health",
        version=1,
        data=DomainInput(goals="Huisarts.", review_date=today_plus(30)),
    )
    task = Task.objects.get(source="case.review")
    assert (task.due, task.owner) == (today_plus(30), case.owner)
    services.domain_update(
        by=coordinator,
        case=case,
        domain="health",
        version=version_of(case),
        data=DomainInput(goals="Huisarts."),
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED


def test_a_second_coordinator_with_the_old_version_gets_a_conflict_and_nothing_is_written(
    world: World,
) -> None:
    case = world_case(world)
    goals_written(world, case, "Eerste versie.")
    seen = version_of(case)
    goals_written(world, case, "Tweede coördinator was eerder.")
    with pytest.raises(CarePlanChangedError):
        services.domain_update(
            by=world.user(Role.ZORGCOORDINATOR, "A"),
            case=case,
            domain="safety",
            version=seen,
            data=DomainInput(goals="Dit zou het andere overschrijven."),
        )
    assert case.care_plan.domains.get().goals == "Tweede coördinator was eerder."
    assert CarePlanVersion.objects.count() == 2


def test_two_first_changes_of_the_same_empty_plan_conflict(world: World) -> None:
    case = world_case(world)
    goals_written(world, case)
    with pytest.raises(CarePlanChangedError):
        action_add_with_version(world, case, 1)
    assert not CarePlanAction.objects.exists()


def action_add_with_version(world: World, case: object, version: int) -> None:
    services.action_add(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        case=case,  # type: ignore[arg-type]
        version=version,
        data=ActionInput(
            domain="housing", description="Woning zoeken.", owner_organisation=world.organisation()
        ),
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"description": "  "}, "description"),
        ({"domain": "holiday"}, "domain"),
        ({"due": timezone.localdate() + timedelta(days=6 * 366)}, "due"),
        ({"status": "maybe"}, "status"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    world: World, changes: dict[str, Any], field: str
) -> None:
    case = world_case(world)
    with pytest.raises(ValidationError) as refused:
        action_added(world, case, **changes)
    assert field in refused.value.message_dict
    assert not CarePlan.objects.exists() and not Task.objects.exists()


def test_an_action_goes_only_to_the_owner_or_an_organisation_taking_part(world: World) -> None:
    case = world_case(world)
    with pytest.raises(ValidationError) as refused:
        action_added(world, case, owner_organisation=world.partner("A"), owner=None)
    assert "owner_organisation" in refused.value.message_dict
    case_invite(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        case=case,
        organisation=world.partner("A"),
        legal_basis=LegalBasis.PUBLIC_TASK,
        purpose="Aangifte",
    )
    action = action_added(world, case, owner_organisation=world.partner("A"), owner=None)
    assert action.owner_organisation == world.partner("A")
    # A person must work for the organisation the action is given to.
    with pytest.raises(ValidationError) as refused:
        action_added(
            world,
            case,
            owner_organisation=world.partner("A"),
            owner=world.user(Role.ZORGCOORDINATOR, "A"),
        )
    assert "owner" in refused.value.message_dict
    # Another region's organisation never.
    with pytest.raises(ValidationError):
        action_added(world, case, owner_organisation=world.organisation("B"), owner=None)


def test_closing_the_case_cancels_the_plans_tasks_and_reopening_brings_them_back(
    world: World,
) -> None:
    case = world_case(world)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    action_added(world, case, due=today_plus(2))
    case_close(by=coordinator, case=case, version=case.version, reason="closed", outcome="Klaar.")
    assert not Task.objects.filter(status=TaskStatus.OPEN).exists()
    with pytest.raises(ValidationError) as refused:
        goals_written(world, case)
    assert "case" in refused.value.message_dict
    case_reopen(by=coordinator, case=case, version=case.version)
    assert Task.objects.filter(status=TaskStatus.OPEN, source="careplan.action").count() == 1


def test_an_action_without_a_due_date_has_no_task(world: World) -> None:
    case = world_case(world)
    action = action_added(world, case)
    assert action.status == ActionStatus.OPEN
    assert not Task.objects.exists()


def test_marking_the_actions_task_done_on_my_tasks_marks_the_action_done(world: World) -> None:
    from django.urls import reverse

    from inbeeld.testing.clients import verified_client

    case = world_case(world)
    action = action_added(world, case, due=today_plus(1))
    seen = version_of(case)
    task = Task.objects.get(source="careplan.action")
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    response = verified_client(coordinator).post(
        reverse("tasks:status", args=[task.pk]), {"status": "done"}
    )
    assert response.status_code in (200, 302)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    last = CarePlanVersion.objects.order_by("-number").first()
    assert last is not None and last.by == coordinator
    assert last.changes == [
        {"action": action.pk, "domain": "safety", "field": "status", "value": "done"}
    ]
    # A coordinator who still had the plan open gets the conflict, not an overwrite.
    with pytest.raises(CarePlanChangedError):
        goals_written_at(world, case, seen)


def goals_written_at(world: World, case: Any, version: int) -> None:
    services.domain_update(
        by=world.user(Role.ZORGCOORDINATOR, "A"),
        case=case,
        domain="safety",
        version=version,
        data=DomainInput(goals="Oud beeld."),
    )


def test_a_review_done_stays_done_when_the_text_or_the_case_changes(world: World) -> None:
    from inbeeld.cases.services import CaseInput, case_update
    from inbeeld.tasks.services import task_complete

    case = world_case(world)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    services.domain_update(
        by=coordinator,
        case=case,
        domain="health",
        version=1,
        data=DomainInput(goals="Huisarts.", review_date=today_plus(1)),
    )
    task_complete(task=Task.objects.get(source="case.review"), by=coordinator)
    services.domain_update(
        by=coordinator,
        case=case,
        domain="health",
        version=version_of(case),
        data=DomainInput(goals="Huisarts en tandarts.", review_date=today_plus(1)),
    )
    case_update(by=coordinator, case=case, version=case.version, data=CaseInput())
    assert list(Task.objects.values_list("status", flat=True)) == ["done"]
