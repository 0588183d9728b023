"""The API's contract: what the OpenAPI schema promises, the API holds to, and the reverse.

The outside test found answers the schema did not mention (400, 404), `?page=null`
accepted, and no word on which municipality codes or people counts are valid. Each of those
is pinned here; tests/cli/test_api_fuzz.py runs schemathesis over the whole schema.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from inbeeld.regions.models import Municipality
from inbeeld.signals.models import Signal
from inbeeld.signals.tests.test_signals_api import BODY, police_token, post

pytestmark = pytest.mark.django_db

URL = "/api/v1/signals/"


def schema() -> dict[str, Any]:
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def get(token: str, path: str) -> Any:
    return Client().get(path, headers={"Authorization": f"Token {token}"})


def test_every_operation_documents_its_error_answers() -> None:
    paths = schema()["paths"]
    for path, item in paths.items():
        for method, operation in item.items():
            documented = set(operation["responses"])
            assert {"401", "404", "429"} <= documented, (method, path, documented)
    assert "400" in paths[URL]["post"]["responses"]
    assert "400" in paths[URL]["get"]["responses"]  # the page number is input too


def test_the_schema_names_the_valid_municipality_codes_and_people_counts() -> None:
    components = schema()["components"]["schemas"]
    signal_schema = components["Signal"]["properties"]
    # drf-spectacular names enums as components and refers to them.
    reference = signal_schema["municipality"]["allOf"][0]["$ref"]
    codes = components[reference.rsplit("/", 1)[1]]["enum"]
    assert "GM0664" in codes
    assert len(codes) == Municipality.objects.count()
    people = signal_schema["people_count"]
    assert (people["minimum"], people["maximum"]) == (1, 500)
    assert "pattern" in signal_schema["description"]


@pytest.mark.parametrize("page", ["", "0", "-1", "true", "null", "1.5", "²"])
def test_a_page_that_is_not_a_whole_number_from_one_is_refused_by_name(page: str) -> None:
    response = get(police_token(), f"{URL}?page={page}")
    assert response.status_code == 400
    assert "page" in response.json()


def test_a_repeated_page_parameter_is_refused() -> None:
    response = get(police_token(), f"{URL}?page=1&page=2")
    assert response.status_code == 400


def test_a_page_past_the_last_is_404_in_json() -> None:
    response = get(police_token(), f"{URL}?page=99")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_an_unknown_api_address_answers_json_not_a_web_page() -> None:
    response = get(police_token(), "/api/v1/signals/null,null/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("acute", 0),
        ("acute", "true"),
        ("people_count", "3"),
        ("people_count", 3.0),
        ("people_count", 0),
        ("people_count", 501),
        ("description", 5),
        ("description", "  \x1f "),
        ("description", "\x01"),
        ("municipality", "GM9999"),
        ("indicators", ["NOT-A-CODE"]),
    ],
)
def test_a_value_of_the_wrong_type_or_range_is_refused_by_name(field: str, value: object) -> None:
    response = post(police_token(), {**BODY, field: value})
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert field in response.json()  # type: ignore[attr-defined]
    assert not Signal.objects.exists()


def test_text_in_the_victim_object_must_be_text() -> None:
    response = post(police_token(), {**BODY, "victim": {**BODY["victim"], "name": 12}})  # type: ignore[dict-item]
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "name" in response.json()["victim"]  # type: ignore[attr-defined]


def test_the_api_takes_json_only() -> None:
    response = Client().post(
        URL,
        {"description": "tekst", "municipality": "GM0664"},
        headers={"Authorization": f"Token {police_token()}"},
    )
    assert response.status_code == 415
    assert not Signal.objects.exists()
