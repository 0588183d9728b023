"""Hooks of the API fuzz test: schemathesis loads this file (test_api_fuzz.py names it).

OpenAPI can give a date its format but cannot say "not after today" or "not after another
field". So schemathesis generates, as valid, bodies for POST /api/v1/signals/ with an
incident in the future or a date of birth that contradicts the age band, and the API refuses
them with 400 naming exactly those fields, as their descriptions in the schema say. Only
those refusals are dropped from the check that a valid request is accepted: a 400 that names
any other field, on any operation, still fails the test.
"""

from __future__ import annotations

import json
from typing import Any

import schemathesis
from schemathesis.openapi.checks import RejectedPositiveData

# The fields whose rules the schema can only describe in words.
DATE_RULES: dict[str, set[str] | None] = {
    "incident_date": None,
    "victim": {"date_of_birth", "age_band"},
}


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every failure but a refusal, by the date rules alone, of a new signal."""
    operation = case.operation
    if not (
        isinstance(failure, RejectedPositiveData)
        and operation.method.upper() == "POST"
        and operation.path.rstrip("/").endswith("/signals")
        and response.status_code == 400
    ):
        return True
    return not _only_date_rules(response.content)


def _only_date_rules(content: bytes) -> bool:
    try:
        body = json.loads(content)
    except ValueError:
        return False
    if not isinstance(body, dict) or not body or not set(body) <= set(DATE_RULES):
        return False
    for name, inner in DATE_RULES.items():
        if name in body and inner is not None:
            nested = body[name]
            if not isinstance(nested, dict) or not set(nested) <= inner:
                return False
    return True
