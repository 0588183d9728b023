"""The FG registers requests of data subjects as they arrive and sees their answer dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.privacy import received_requests as service
from inbeeld.privacy.models import ReceivedRequest, ReceivedRequestStatus, RetentionRun
from inbeeld.regions.models import Region
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def region_of(world: World, letter: str) -> Region:
    return Region.objects.get(code=world.region_code(letter))  # type: ignore[arg-type]


def registered(world: World, letter: str = "A", *, days_ago: int = 3) -> ReceivedRequest:
    return service.received_request_register(
        by=world.user(Role.FG, letter),  # type: ignore[arg-type]
        region=region_of(world, letter),
        kind="access",
        received_on=timezone.localdate() - timedelta(days=days_ago),
        reference="letter CANARY-REF-77",
    )


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 3, 3), date(2026, 4, 3)),
        (date(2026, 1, 31), date(2026, 2, 28)),  # one calendar month, not 30 days
        (date(2028, 1, 31), date(2028, 2, 29)),
    ],
)
def test_the_answer_is_due_one_calendar_month_after_receipt(received: date, due: date) -> None:
    assert service.answer_due(received) == due


def test_a_registered_request_is_audited_and_its_reference_encrypted(world: World) -> None:
    received = registered(world)
    assert received.due_on == service.answer_due(received.received_on)
    entry = AuditEntry.objects.filter(action=Action.CREATE, object_type="privacy.receivedrequest")
    assert entry.get().region == world.region_code("A")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reference FROM privacy_receivedrequest")
        (stored,) = cursor.fetchone()
    assert "CANARY-REF-77" not in stored


def test_an_fg_registers_only_in_her_own_regions(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        service.received_request_register(
            by=world.user(Role.FG, "A"),
            region=region_of(world, "B"),
            kind="access",
            received_on=timezone.localdate(),
        )
    assert "region" in refused.value.message_dict
    assert not ReceivedRequest.objects.exists()


def test_a_request_from_the_future_is_refused_by_its_field(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        service.received_request_register(
            by=world.user(Role.FG, "A"),
            region=region_of(world, "A"),
            kind="erasure",
            received_on=timezone.localdate() + timedelta(days=1),
        )
    assert "received_on" in refused.value.message_dict


def test_an_extension_needs_a_reason_and_ends_three_months_after_receipt(world: World) -> None:
    received = registered(world)
    fg = world.user(Role.FG, "A")
    with pytest.raises(ValidationError) as no_reason:
        service.received_request_extend(by=fg, request=received, due_on=received.due_on, reason="")
    assert "reason" in no_reason.value.message_dict
    too_late = received.received_on + timedelta(days=100)
    with pytest.raises(ValidationError) as refused:
        service.received_request_extend(by=fg, request=received, due_on=too_late, reason="many")
    assert "due_on" in refused.value.message_dict
    latest = received.received_on + service.LONGEST
    service.received_request_extend(by=fg, request=received, due_on=latest, reason="many files")
    received.refresh_from_db()
    assert received.due_on == latest
    assert received.extended_because == "many files"


def test_a_closed_request_cannot_be_closed_again(world: World) -> None:
    received = registered(world)
    fg = world.user(Role.FG, "A")
    service.received_request_close(
        by=fg, request=received, status=ReceivedRequestStatus.ANSWERED, outcome="export sent"
    )
    with pytest.raises(ValidationError):
        service.received_request_close(
            by=fg, request=received, status=ReceivedRequestStatus.REFUSED, outcome="again"
        )
    received.refresh_from_db()
    assert received.status == ReceivedRequestStatus.ANSWERED
    assert received.closed_at is not None


def test_the_home_page_shows_open_requests_overdue_first(world: World) -> None:
    overdue = registered(world, days_ago=40)
    recent = registered(world, days_ago=1)
    closed = registered(world, days_ago=2)
    service.received_request_close(
        by=world.user(Role.FG, "A"), request=closed, status="answered", outcome="sent"
    )
    page = verified_client(world.user(Role.FG, "A")).get(reverse("web:home")).content.decode()
    block = page[page.index('data-testid="fg-requests"') :]
    first, second = (
        block.index(reverse("privacy:received_detail", args=[overdue.pk])),
        block.index(reverse("privacy:received_detail", args=[recent.pk])),
    )
    assert first < second
    assert reverse("privacy:received_detail", args=[closed.pk]) not in block
    assert "verlopen" in block.split("</li>")[0]  # the overdue one, in Dutch
    assert "De bewaartermijnen zijn nog nooit toegepast." in block


def test_the_home_page_says_when_retention_stopped_running(world: World) -> None:
    long_ago = timezone.now() - timedelta(days=5)
    RetentionRun.objects.create(started_at=long_ago, finished_at=long_ago, removed={"x": 2})
    page = verified_client(world.user(Role.FG, "A")).get(reverse("web:home")).content.decode()
    block = page[page.index('data-testid="fg-requests"') :]
    assert "2 gegevens verwijderd" in block
    assert "meer dan twee dagen" in block


def test_others_do_not_see_the_requests(world: World) -> None:
    received = registered(world)
    detail = reverse("privacy:received_detail", args=[received.pk])
    other_fg = verified_client(world.user(Role.FG, "B"))
    assert other_fg.get(detail).status_code == 404
    assert "CANARY-REF-77" not in other_fg.get(reverse("privacy:received_list")).content.decode()
    coordinator = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    assert coordinator.get(detail).status_code == 404
    two_regions = verified_client(world.two_regions)
    assert two_regions.get(detail).status_code == 404
    page = verified_client(world.user(Role.FG, "A")).get(detail)
    assert page.status_code == 200 and "CANARY-REF-77" in page.content.decode()
    reads = AuditEntry.objects.filter(action=Action.READ, object_id=str(received.pk))
    assert reads.filter(object_type="privacy.receivedrequest").exists()


def test_the_fg_registers_extends_and_closes_through_the_pages(world: World) -> None:
    client = verified_client(world.user(Role.FG, "A"))
    today = timezone.localdate()
    response = client.post(
        reverse("privacy:received_list"),
        {"region": world.region_code("A"), "kind": "erasure", "received_on": "", "reference": ""},
    )
    assert response.status_code == 200
    assert "received_on" in response.context["form"].errors
    client.post(
        reverse("privacy:received_list"),
        {"region": world.region_code("A"), "kind": "erasure", "received_on": today.isoformat()},
    )
    received = ReceivedRequest.objects.get()
    detail = reverse("privacy:received_detail", args=[received.pk])
    too_late = (today + timedelta(days=200)).isoformat()
    response = client.post(detail, {"action": "extend", "due_on": too_late, "reason": "x"})
    assert response.status_code == 400
    assert "drie maanden" in response.content.decode()
    client.post(detail, {"action": "close", "status": "refused", "outcome": "not identified"})
    received.refresh_from_db()
    assert received.status == ReceivedRequestStatus.REFUSED
