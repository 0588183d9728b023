"""The form to record a residence state. Content is validated by services.py (one place,
naming the field); this form parses what the person sent and offers the states that may
follow the current one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from inbeeld.residence.models import EndReason, ResidenceStatus
from inbeeld.residence.services import NOTE_MAX

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _AnyStateField(forms.ChoiceField):
    """Offers the states that may follow, accepts any state: the service refuses one that
    cannot follow with its own message (naming the field), not the form's generic one."""

    def valid_value(self, value: Any) -> bool:
        return value in ResidenceStatus.values


class StateForm(forms.Form):
    status = _AnyStateField(
        label=gettext_lazy("New residence state"),
        choices=[("", gettext_lazy("Choose the state")), *ResidenceStatus.choices],
    )
    start = forms.DateField(
        label=gettext_lazy("From"),
        widget=DATE_WIDGET,
        help_text=gettext_lazy(
            "The day it began: the reflection period's first day, the day of the aangifte, "
            "the day the permit is valid from. Not after today."
        ),
    )
    end_reason = forms.ChoiceField(
        label=gettext_lazy("How it ended (only for “Ended”)"),
        choices=[("", "—"), *EndReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX,
        required=False,
        help_text=gettext_lazy("Optional; stored encrypted."),
    )

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["status"]
        offered = [(value, str(ResidenceStatus(value).label)) for value in allowed]
        field.choices = [("", gettext_lazy("Choose the state")), *offered]
