"""`/api/v1/signals/`: partner systems submit with an Idempotency-Key; need-to-know on reads."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from inbeeld.accounts.models import OrganisationType, Role
from inbeeld.accounts.tokens import api_token_create
from inbeeld.signals.models import Signal, Source
from inbeeld.testing.factories import OrganisationFactory, region, staff_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/signals/"
BODY = {
    "description": "Minderjarig meisje wordt 's nachts bij een hotel afgezet.",
    "municipality": "GM0664",
    "exploitation_forms": ["sexual"],
    "incident_date": "2026-10-01",
    "victim": {
        "name": "Testpersoon Fictief",
        "date_of_birth": "2009-05-04",
        "gender": "female",
        "age_band": "minor",
    },
}


def police_token(code: str = "VR19") -> str:
    police = OrganisationFactory.create(
        name=f"Politie {code}", type=OrganisationType.POLICE, region=region(code)
    )
    return api_token_create(user=staff_user(role=Role.KETENPARTNER, organisation=police))


def post(token: str, body: object = BODY, key: str | None = None) -> object:
    headers = {"Authorization": f"Token {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return Client().post(URL, body, content_type="application/json", headers=headers)


def test_a_partner_system_creates_a_signal() -> None:
    response = post(police_token())
    assert response.status_code == 201  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    signal = Signal.objects.get(pk=body["id"])
    assert (signal.source, signal.region.code) == (Source.API, "VR19")
    assert signal.victim_name == "Testpersoon Fictief"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM signals_signal WHERE id = %s", [signal.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "Fictief" not in row and "2009-05-04" not in row and "hotel" not in row


def test_the_same_idempotency_key_twice_creates_one_signal() -> None:
    token = police_token()
    first = post(token, {**BODY, "exploitation_forms": ["sexual", "labour"]}, key="abc-123")
    # The same body, its list in another order: the same request.
    second = post(token, {**BODY, "exploitation_forms": ["labour", "sexual"]}, key="abc-123")
    assert second.status_code == 201  # type: ignore[attr-defined]
    assert first.json() == second.json()  # type: ignore[attr-defined]
    assert second["Idempotent-Replayed"] == "true"  # type: ignore[index]
    assert Signal.objects.count() == 1
    post(token, key="abc-124")
    assert Signal.objects.count() == 2


def test_a_reused_idempotency_key_with_another_body_is_refused_and_changes_nothing() -> None:
    token = police_token()
    first = post(token, key="abc-123").json()  # type: ignore[attr-defined]
    before = list(Signal.objects.values())
    changed = post(token, {**BODY, "acute": True}, key="abc-123")
    assert changed.status_code == 422  # type: ignore[attr-defined]
    body = changed.json()  # type: ignore[attr-defined]
    assert body["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in body["detail"]
    assert "Idempotent-Replayed" not in changed  # type: ignore[operator]
    assert list(Signal.objects.values()) == before
    assert not Signal.objects.get(pk=first["id"]).acute


def test_the_schema_documents_the_idempotency_conflict() -> None:
    schema = Client().get(reverse("schema"), HTTP_ACCEPT="application/json").json()
    post_signal = schema["paths"]["/api/v1/signals/"]["post"]
    assert set(post_signal["responses"]) >= {"201", "422"}
    conflict = post_signal["responses"]["422"]["content"]["application/json"]
    assert conflict["examples"]["KeyReused"]["value"]["code"] == "idempotency_key_reused"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"municipality": "GM9999"}, "municipality"),
        ({"exploitation_forms": ["slavery"]}, "exploitation_forms"),
        ({"description": ""}, "description"),
        ({"indicators": ["NOT-A-CODE"]}, "indicators"),
        # A read-only field (the region follows from the municipality) or an unknown one is
        # refused by name, not silently ignored.
        ({"region": "VR04"}, "region"),
        ({"victim_name_typo": "x"}, "victim_name_typo"),
        ({"victim": {"age_band": "adult", "nickname": "x"}}, "victim"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    change: dict[str, object], field: str
) -> None:
    response = post(police_token(), {**BODY, **change})
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert field in response.json()  # type: ignore[attr-defined]
    assert not Signal.objects.exists()


def test_reads_follow_need_to_know() -> None:
    token = police_token("VR19")
    signal_id = post(token).json()["id"]  # type: ignore[attr-defined]
    assert (
        Client().get(f"{URL}{signal_id}/", headers={"Authorization": f"Token {token}"}).status_code
        == 200
    )
    other = police_token("VR04")
    assert (
        Client().get(f"{URL}{signal_id}/", headers={"Authorization": f"Token {other}"}).status_code
        == 404
    )
    listing = Client().get(URL, headers={"Authorization": f"Token {other}"}).json()
    assert listing["count"] == 0
    coordinator = staff_user(role=Role.ZORGCOORDINATOR, region_code="VR19")
    coordinator_token = api_token_create(user=coordinator)
    assert (
        Client()
        .get(f"{URL}{signal_id}/", headers={"Authorization": f"Token {coordinator_token}"})
        .status_code
        == 200
    )
