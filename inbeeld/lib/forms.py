"""Small helpers for Django forms shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet


def limit_choices(field: forms.Field, queryset: QuerySet[Any]) -> None:
    """Offer only ``queryset``; preselect it when there is just one option to choose."""
    choice_field: Any = field
    choice_field.queryset = queryset
    if queryset.count() == 1:
        choice_field.initial = queryset.first()
