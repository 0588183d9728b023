"""Small helpers for Django forms shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
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


def form_errors_add(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: each message on its field when the form shows that
    field, else on top of the form (a hidden field, or a rule of the whole action)."""
    if not hasattr(error, "error_dict"):
        for text in error.messages:
            form.add_error(None, text)
        return
    for key, texts in error.message_dict.items():
        visible = key in form.fields and not form.fields[key].widget.is_hidden
        for text in texts:
            form.add_error(key if visible else None, text)
