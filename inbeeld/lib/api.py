"""What every API endpoint shares: paging, JSON answers for unknown URLs, documented errors.

The OpenAPI schema must describe every answer the API can give (schemathesis checks it in
the test suite): besides each endpoint's success, 401 without a valid token, 404 for a
record outside need-to-know or an unknown page, 429 when throttled, and 400 with the fields
at fault wherever a request carries input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

API_PREFIX = "/api/"

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "required": ["detail"],
}
# DRF's validation errors: each field at fault with its messages; nested objects (victim)
# as an object of their own fields; "non_field_errors" for the request as a whole. A body
# that is not JSON at all answers with one "detail", like the other errors.
VALIDATION_ERROR_SCHEMA = {
    "oneOf": [
        {"$ref": "#/components/schemas/Error"},
        {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "oneOf": [
                    {"type": "array", "items": {"type": "string"}},
                    {"type": "object", "additionalProperties": {}},
                ]
            },
        },
    ]
}
_ERRORS = {
    "400": ("The input was refused; the answer names each field and what is wrong.", "Invalid"),
    "401": ("No valid token (or verified session) was given.", "Error"),
    "404": ("Not found, or outside your need-to-know (the two look the same).", "Error"),
    "429": ("Too many requests; try again after the time in Retry-After.", "Error"),
}


# DRF's fields accept neighbouring JSON types (0 or "true" for a boolean, "3" or 3.0 for a
# whole number, 1.5 for text). The schema promises one type each; these fields hold the API
# to it, so that a client's mistake is named instead of silently converted.


class RefuseUnknownFields:
    """A request that sets a field the endpoint does not take — unknown, or read-only like a
    signal's region — is refused naming that field (400), not silently half-read: the client's
    mistake shows, and what was stored is exactly what was sent. Mixed into every serializer
    that reads a request body, before DRF's Serializer."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            fields: Mapping[str, Any] = getattr(self, "fields", {})
            writable = {name for name, field in fields.items() if not field.read_only}
            refused = [key for key in data if key not in writable]
            if refused:
                message = _("This field cannot be set here.")
                raise ValidationError({key: [message] for key in refused})
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return int(super().to_internal_value(data))


class Pagination(PageNumberPagination):
    """DRF's page numbers, checked strictly: a page is a whole number from 1.

    DRF itself reads ``?page=`` (empty) as page 1 and ``?page=true`` as a missing page
    (404); here anything but one positive whole number is refused with 400 naming ``page``,
    as the schema says.
    """

    last_page_strings = ()

    def get_page_number(self, request: Any, paginator: Any) -> int:
        values = request.query_params.getlist(self.page_query_param)
        if not values:
            return 1
        if len(values) == 1 and values[0].isascii() and values[0].isdigit() and int(values[0]):
            return int(values[0])
        raise ValidationError({self.page_query_param: [_("Give one page number, from 1.")]})

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = (
                    "A page number, from 1; a page past the last answers 404."
                )
        return parameters


def _takes_input(operation: dict[str, Any]) -> bool:
    query = [p for p in operation.get("parameters", []) if p.get("in") in {"query", "path"}]
    return "requestBody" in operation or bool(query)


def _refs(node: Any) -> set[str]:
    """The names of the components that ``node`` refers to, directly or nested in it."""
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node))
    return set()


def _closed_request_bodies(result: dict[str, Any]) -> None:
    """Every object a request body holds says ``additionalProperties: false``: the API
    refuses a field it does not take (RefuseUnknownFields), and the schema says so."""
    schemas = result.get("components", {}).get("schemas", {})
    todo = set().union(
        *(
            _refs(operation.get("requestBody", {}))
            for path_item in result.get("paths", {}).values()
            for operation in path_item.values()
            if isinstance(operation, dict)
        )
    )
    done: set[str] = set()
    while todo:
        name = todo.pop()
        done.add(name)
        schema = schemas.get(name, {})
        if "properties" in schema:
            schema["additionalProperties"] = False
        todo |= _refs(schema) - done


def document_errors(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: add the shared error answers to every operation,
    and close the request bodies to fields the API does not take."""
    _closed_request_bodies(result)
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    schemas.setdefault("Invalid", VALIDATION_ERROR_SCHEMA)
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status, (description, schema) in _ERRORS.items():
                if status == "400" and not _takes_input(operation):
                    continue
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{schema}"}
                            }
                        },
                    },
                )
    return result


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 page, except under /api/, where a client expects JSON like DRF's own."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
