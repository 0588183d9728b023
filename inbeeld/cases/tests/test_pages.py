"""The case pages as the zorgcoördinator and a partner use them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.cases.models import Case, CaseStatus
from inbeeld.cases.tests.helpers import world_case
from inbeeld.testing.clients import verified_client
from inbeeld.testing.world import World

pytestmark = pytest.mark.django_db


def test_the_coordinator_opens_a_case_from_the_signal_page(world: World) -> None:
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    signal = world.signal("A")
    page = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert reverse("cases:open_from_signal", args=[signal.pk]) in page
    response = client.post(reverse("cases:open_from_signal", args=[signal.pk]))
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:edit", args=[case.pk])
    page = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert case.reference in page  # the signal shows its case
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert signal.receipt_code in detail  # and the case its signal, on the timeline too


def test_the_list_shows_only_visible_cases_and_audits_the_read(world: World) -> None:
    case_a, case_b = world_case(world, "A"), world_case(world, "B")
    client = verified_client(world.user(Role.KETENPARTNER, "A"))
    page = client.get(reverse("cases:list")).content.decode()
    assert case_a.reference in page and case_b.reference not in page
    entry = AuditEntry.objects.filter(action=Action.READ, object_type="cases.case").last()
    assert entry is not None and str(case_a.pk) in str(entry.detail)


def test_a_stale_close_shows_the_current_case_with_a_message(world: World) -> None:
    case = world_case(world)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    stale = case.version
    client.post(reverse("cases:note_add", args=[case.pk]), {"text": "Eerst een notitie."})
    response = client.post(
        reverse("cases:close", args=[case.pk]),
        {"version": stale, "reason": CaseStatus.CLOSED, "outcome": "Klaar."},
    )
    assert response.status_code == 200
    assert b'data-testid="conflict"' in response.content
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_an_event_in_the_future_is_refused_naming_the_field(world: World) -> None:
    case = world_case(world)
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    response = client.post(
        reverse("cases:event_add", args=[case.pk]),
        {"version": case.version, "kind": "exploitation", "country": "RO", "start": "2999-01-01"},
    )
    assert response.status_code == 200
    assert not case.events.exists()
    assert b"2999" in response.content  # the input is shown again with its error


def test_a_partner_sees_the_case_but_not_the_edit_forms(world: World) -> None:
    case = world_case(world)
    page = (
        verified_client(world.user(Role.KETENPARTNER, "A"))
        .get(reverse("cases:detail", args=[case.pk]))
        .content.decode()
    )
    assert case.reference in page
    assert 'data-testid="close-form"' not in page
    assert 'data-testid="invite-form"' not in page


def test_a_date_of_birth_after_an_event_is_refused_saying_which_event(world: World) -> None:
    from datetime import date

    from inbeeld.cases import services
    from inbeeld.cases.services import CaseInput, EventInput

    case = world_case(world)
    coordinator = world.user(Role.ZORGCOORDINATOR, "A")
    services.case_update(
        by=coordinator,
        case=case,
        version=case.version,
        data=CaseInput(events=[EventInput(kind="transit", country="DE", start=date(2020, 1, 1))]),
    )
    response = verified_client(coordinator).post(
        reverse("cases:edit", args=[case.pk]),
        {"version": case.version, "trafficking_status": "possible", "date_of_birth": "2021-01-01"},
    )
    assert response.status_code == 200
    assert "Gebeurtenis 1: Deze datum ligt vóór de geboortedatum" in response.content.decode()
    case.refresh_from_db()
    assert case.person.date_of_birth == ""


def test_the_persons_nationalities_are_named_in_dutch_not_coded(world: World) -> None:
    case = world_case(world, "A")
    case.person.nationalities = ["NG", "NL"]
    case.person.save()
    client = verified_client(world.user(Role.ZORGCOORDINATOR, "A"))
    url = reverse("cases:detail", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Nigeria, Nederland" in page
