"""The privacy officer (FG) searches and exports the audit trail of their own regions."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from inbeeld.accounts.models import Role
from inbeeld.audit.models import Action, AuditEntry
from inbeeld.audit.services import audit_record
from inbeeld.testing.clients import verified_client
from inbeeld.testing.factories import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail() -> dict[str, object]:
    zeeland = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19", username="zc.zeeland")
    ijssel = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR04", username="zc.ijssel")
    audit_record(
        actor=zeeland,
        action=Action.READ,
        object_type="cases.case",
        object_id="7",
        region="VR19",
        purpose="care coordination",
    )
    audit_record(
        actor=ijssel,
        action=Action.READ,
        object_type="cases.case",
        object_id="9",
        region="VR04",
        purpose="care coordination",
    )
    return {"fg": staff_user(role=Role.FG, region_code="VR19", username="fg.zeeland")}


def test_the_fg_finds_who_read_a_record(trail: dict[str, object]) -> None:
    client = verified_client(trail["fg"])  # type: ignore[arg-type]
    page = client.get(reverse("audit:search"), {"object_type": "cases.case", "object_id": "7"})
    html = page.content.decode()
    assert "zc.zeeland" in html and "care coordination" in html


def test_the_fg_sees_only_their_own_regions(trail: dict[str, object]) -> None:
    client = verified_client(trail["fg"])  # type: ignore[arg-type]
    html = client.get(reverse("audit:search")).content.decode()
    assert "zc.zeeland" in html
    assert "zc.ijssel" not in html


def test_a_reversed_period_is_refused_with_a_field_error(trail: dict[str, object]) -> None:
    client = verified_client(trail["fg"])  # type: ignore[arg-type]
    response = client.get(reverse("audit:search"), {"since": "2026-02-01", "until": "2026-01-01"})
    assert 'id="id_until_error"' in response.content.decode()


def test_the_export_holds_the_selection_and_is_itself_recorded(trail: dict[str, object]) -> None:
    client = verified_client(trail["fg"])  # type: ignore[arg-type]
    response = client.get(reverse("audit:export"), {"person": "zc."})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["actor"] for row in rows] == ["zc.zeeland"]
    export = AuditEntry.objects.filter(action=Action.EXPORT).get()
    assert export.actor == "fg.zeeland"
    assert export.detail == {"filter": {"person": "zc."}}
