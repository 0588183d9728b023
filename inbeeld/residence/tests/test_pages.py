"""The residence section of the case page and the page to record a state: in Dutch, exactly
as need-to-know as the case, audited; its timeline entries and its part of the privacy
export and erasure."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.cases.models import CaseStatus
from inbeeld.cases.privacy import CaseRights, case_export
from inbeeld.cases.services import case_close
from inbeeld.cases.tests.helpers import world_case
from inbeeld.residence.deadlines import reflection_end
from inbeeld.residence.models import ResidenceState, ResidenceStatus
from inbeeld.residence.tests.helpers import record
from inbeeld.tasks.models import Task, TaskStatus
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import staff_user
from inbeeld.testing.world import World
from inbeeld.web.templatetags.humanize_nl import short_date

pytestmark = pytest.mark.django_db


def _page(user: Any, case_id: int) -> Any:
    return verified_client(user).get(reverse("cases:detail", args=[case_id]))


def test_the_coordinator_records_a_reflection_period_and_sees_its_end(world: World) -> None:
    case = world_case(world, "A")
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    client = verified_client(coordinator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Verblijf" in page and "De IND beslist" in page
    assert reverse("residence:record", args=[case.pk]) in page
    today = timezone.localdate()
    response = client.post(
        reverse("residence:record", args=[case.pk]),
        {"status": "reflection", "start": today.isoformat(), "note": "Aangeboden door KMar."},
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Bedenktijd aangeboden" in page
    assert short_date(reflection_end(today)) in page
    assert "Bedenktijd eindigt over 4 weken" in page  # the reminder, on the page
    assert "Aangeboden door KMar." in page  # the note, on the timeline
    tasks = client.get(reverse("tasks:mine")).content.decode()
    assert "Bedenktijd eindigt over 2 weken" in tasks and case.reference in tasks
    assert AuditEntry.objects.filter(
        action=Action.READ, object_type="residence.residencestate", actor_id=coordinator.pk
    ).exists()


def test_a_step_that_cannot_follow_is_refused_on_the_form_naming_the_field(
    world: World,
) -> None:
    case = world_case(world, "A")
    record(world, case, ResidenceStatus.DUBLIN, timezone.localdate())
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    response = client.post(
        reverse("residence:record", args=[case.pk]),
        {"status": "reflection", "start": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["status"]
    assert "kan niet volgen op de huidige status" in form.errors["status"][0]
    assert ResidenceState.objects.count() == 1
    # The list offers only what may follow a Dublin claim: no reflection period.
    offered = [value for value, _label in form.fields["status"].choices if value]
    assert "reflection" not in offered and "permit" in offered


def test_a_start_after_today_is_refused_on_the_form(world: World) -> None:
    case = world_case(world, "A")
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("residence:record", args=[case.pk]),
        {"status": "no_issue", "start": tomorrow.isoformat()},
    )
    assert list(response.context["form"].errors) == ["start"]
    assert not ResidenceState.objects.exists()


def test_who_sees_the_case_sees_the_track_and_only_its_editors_record(world: World) -> None:
    case = world_case(world, "A")
    record(world, case, ResidenceStatus.REFLECTION, timezone.localdate(), note="Geheim")
    viewer = world.user(Role.KETENPARTNER, "A")  # of the owner organisation: sees, no edits
    page = _page(viewer, case.pk).content.decode()
    assert 'data-testid="residence-state"' in page and "Geheim" in page
    assert reverse("residence:record", args=[case.pk]) not in page
    url = reverse("residence:record", args=[case.pk])
    assert verified_client(viewer).get(url).status_code == 404
    assert verified_client(viewer).post(url, {"status": "applied"}).status_code == 404


def test_another_region_and_a_non_participant_get_404(world: World) -> None:
    case = world_case(world, "A")
    record(world, case, ResidenceStatus.REFLECTION, timezone.localdate())
    url = reverse("residence:record", args=[case.pk])
    other_region = world.user(Role.ZORGCOORDINATOR, "B")
    outsider = staff_user(role=Role.KETENPARTNER, organisation=world.partner("A"))
    for user in (other_region, outsider):
        client = verified_client(user)
        assert client.get(url).status_code == 404
        today = timezone.localdate().isoformat()
        assert client.post(url, {"status": "applied", "start": today}).status_code == 404
        assert _page(user, case.pk).status_code == 404
    assert ResidenceState.objects.count() == 1
    # Their task lists hold nothing of it either.
    for user in (other_region, outsider):
        page = verified_client(user).get(reverse("tasks:mine")).content.decode()
        assert "Bedenktijd" not in page


def test_a_closed_case_shows_the_track_but_takes_no_new_state(world: World) -> None:
    case = world_case(world, "A")
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    record(world, case, ResidenceStatus.NO_ISSUE, timezone.localdate())
    case_close(
        by=coordinator,
        case=case,
        version=case.version,
        reason=CaseStatus.CLOSED_REFERRED,
        outcome="Klaar.",
    )
    page = _page(coordinator, case.pk).content.decode()
    assert "Geen verblijfskwestie" in page
    assert 'data-testid="residence-record"' not in page


def test_the_track_is_in_the_case_export_and_its_notes_are_erased(world: World) -> None:
    case = world_case(world, "A")
    state = record(world, case, ResidenceStatus.REFLECTION, timezone.localdate(), note="Advocaat X")
    parts = {part["name"]: part for part in case_export(case)["parts"]}
    assert parts["residence"]["items"][0]["note"] == "Advocaat X"
    assert "Advocaat X" in parts["residence"]["items"][0]["text"]
    touched = CaseRights().erase(case)
    assert touched["residence"] == 1
    state.refresh_from_db()
    assert state.note == "[erased]" and state.status == "reflection"


def test_the_track_and_its_tasks_go_with_the_case(world: World) -> None:
    case = world_case(world, "A")
    record(world, case, ResidenceStatus.REFLECTION, timezone.localdate())
    assert Task.objects.filter(status=TaskStatus.OPEN).count() == 2
    case.delete()
    assert not ResidenceState.objects.exists() and not Task.objects.exists()
