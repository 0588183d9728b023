"""Hooks of the API fuzz test: schemathesis loads this file (test_api_fuzz.py names it).

OpenAPI can give a date its format but cannot say "not after today" or "not after another
field". So schemathesis generates, as valid, bodies for POST /api/v1/signals/ with an
incident in the future or a date of birth that contradicts the age band, and the API refuses
them with 400 naming exactly those fields, as their descriptions in the schema say. The same
holds for cases (CASE_RULES), a shelter's occupied places (SHELTER_RULES) and CoMensha
registrations (REGISTRATION_RULES). Only those
refusals are dropped from the check that a valid request is accepted: a 400 that names any
other field, on any operation, still fails the test.
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
# Cases (POST /api/v1/cases/, PATCH /api/v1/cases/{id}/): the municipality or the signals must
# be of a region the caller coordinates (one of the two is needed to open a case), an event
# is in a municipality or a country and not after today nor before the person's birth, and a
# date of birth decides the age band, and the age at exploitation cannot exceed today's age.
# Each is described on its field in the schema.
CASE_RULES: dict[str, set[str] | None] = {
    "municipality": None,
    "signals": None,
    "events": None,
    "person": {"date_of_birth", "age_band"},
    # Not above the person's age today, when the date of birth is known.
    "age_at_exploitation": None,
}
# Shelter places (PUT /api/v1/shelter-capacity/{id}/): occupied may not exceed the capacity,
# the entry's or the one sent with it; described on the field in the schema.
SHELTER_RULES: dict[str, set[str] | None] = {"occupied": None}
# CoMensha registrations (POST /api/v1/registrations/): the case must be one whose region the
# caller coordinates; dates not after today; an age that agrees with minor or adult; one
# plaats delict (a municipality or a country, not NL); the obligation only for police, KMar
# and NLA; and the minors rule for who signed the consent. Each is described on its field.
REGISTRATION_RULES: dict[str, set[str] | None] = {
    "case": None,
    "registration_date": None,
    "consent_date": None,
    "age": None,
    "minority": None,
    "place_country": None,
    "legal_basis": None,
    "consent_signed_by": None,
}


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every failure but a refusal, by the date rules alone, of a new signal."""
    operation = case.operation
    if not (isinstance(failure, RejectedPositiveData) and response.status_code == 400):
        return True
    method, path = operation.method.upper(), operation.path.rstrip("/")
    if method == "POST" and path.endswith("/signals"):
        return not _only_rules(response.content, DATE_RULES)
    if (method, path) in {("POST", "/api/v1/cases"), ("PATCH", "/api/v1/cases/{id}")}:
        return not _only_rules(response.content, CASE_RULES)
    if (method, path) == ("PUT", "/api/v1/shelter-capacity/{id}"):
        return not _only_rules(response.content, SHELTER_RULES)
    if (method, path) == ("POST", "/api/v1/registrations"):
        return not _only_rules(response.content, REGISTRATION_RULES)
    return True


def _only_rules(content: bytes, rules: dict[str, set[str] | None]) -> bool:
    try:
        body = json.loads(content)
    except ValueError:
        return False
    if not isinstance(body, dict) or not body or not set(body) <= set(rules):
        return False
    for name, inner in rules.items():
        if name in body and inner is not None:
            nested = body[name]
            if not isinstance(nested, dict) or not set(nested) <= inner:
                return False
    return True
