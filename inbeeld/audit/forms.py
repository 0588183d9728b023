from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inbeeld.audit.models import Action
from inbeeld.audit.names import record_type_choices
from inbeeld.audit.selectors import AuditFilter


class AuditSearchForm(forms.Form):
    person = forms.CharField(label=_("Person (user name)"), required=False, max_length=150)
    object_type = forms.ChoiceField(label=_("Record type"), required=False, choices=())
    object_id = forms.CharField(label=_("Record number"), required=False, max_length=64)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", "—"), *Action.choices]
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["object_type"]
        field.choices = [("", _("All kinds")), *record_type_choices()]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period is before its start."))
        return cleaned

    def as_filter(self) -> AuditFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return AuditFilter(**{key: value for key, value in data.items() if value})
