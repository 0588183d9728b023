"""API fields for reference data: municipalities by their CBS code, with the codes in the schema."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from inbeeld.regions.models import Municipality


class MunicipalityCodeField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A municipality given and shown as its CBS code, such as ``GM0664`` (Goes)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Municipality.objects.all())
        super().__init__(slug_field="code", **kwargs)


class MunicipalityCodeFieldExtension(OpenApiSerializerFieldExtension):  # type: ignore[misc,no-untyped-call]
    """Lists the valid codes in the OpenAPI schema, so that clients (and fuzzers) know them.

    Read from the database when the schema is generated: the codes are reference data that
    change only with a data migration (municipal mergers), never at run time.
    """

    target_class = "inbeeld.regions.api.MunicipalityCodeField"

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        description = "CBS municipality code, e.g. GM0664 (Goes)."
        try:
            codes = list(Municipality.objects.order_by("code").values_list("code", flat=True))
        except DatabaseError:
            # No tables yet (``check --deploy`` before ``migrate`` generates the schema too):
            # the shape of a code is all that can be said then.
            codes = []
        if not codes:
            return {"type": "string", "pattern": "^GM[0-9]{4}$", "description": description}
        return {"type": "string", "enum": codes, "description": description}
