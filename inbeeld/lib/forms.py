"""Small helpers for Django forms shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy


def limit_choices(field: forms.Field, queryset: QuerySet[Any]) -> None:
    """Offer only ``queryset``; preselect it when there is just one option to choose."""
    choice_field: Any = field
    choice_field.queryset = queryset
    if queryset.count() == 1:
        choice_field.initial = queryset.first()


# Django's own message for an empty required field, in InBeeld's words. The catalogue in
# LOCALE_PATHS comes before Django's, so its Dutch ("Vul dit veld in.") replaces Django's
# stock "Dit veld is vereist." on every form; it is named here so that makemessages keeps
# it. Fields whose emptiness has a better sentence say it themselves (error_messages).
REQUIRED_MESSAGE = gettext_lazy("This field is required.")
