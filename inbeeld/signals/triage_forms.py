"""The forms on a signal's page: status, notes, assignment, tips, and the version they saw.

Every form that changes the signal carries the version of the signal the page showed
(``SeenVersionForm``); the service refuses the change when the signal changed since
(signals/concurrency.py), and the page is shown again with the form still filled in.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from inbeeld.accounts.models import Organisation, User
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.sharing import PURPOSE_MAX_LENGTH
from inbeeld.signals import triage
from inbeeld.signals.models import NoteKind, Outcome, Signal, Status


class SeenVersionForm(forms.Form):
    """The version of the signal the page showed, sent back with the change."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if any(self.fields[name].widget.is_hidden for name in self.errors if name in self.fields):
            # A hidden field's error would show nowhere: say it on top of the form.
            self.add_error(
                None,
                gettext_lazy(
                    "This page was incomplete or out of date, so nothing was saved. Open the "
                    "signal again and repeat your change."
                ),
            )
        return cleaned


def with_version(data: QueryDict, signal: Signal) -> QueryDict:
    """What the person sent, with the version of the signal as it is now.

    For the page shown after a concurrent change: the person's input stays in the form, and
    saving it again (after looking at the current state) is a change on that state.
    """
    kept = data.copy()
    kept["version"] = str(signal.version)
    return kept


class StatusForm(SeenVersionForm):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Status.choices)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=Outcome.choices, required=False
    )


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=NoteKind.choices, initial=NoteKind.NOTE
    )
    text = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    source = forms.CharField(
        label=gettext_lazy("Source of the information"),
        required=False,
        max_length=triage.NOTE_SOURCE_MAX_LENGTH,
        help_text=gettext_lazy("Needed for enrichment, e.g. an organisation or a register."),
    )


class ShareGroundForm(forms.Form):
    legal_basis = forms.ChoiceField(
        label=gettext_lazy("Legal basis"),
        choices=[("", gettext_lazy("Choose the legal basis")), *LegalBasis.choices],
    )
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=PURPOSE_MAX_LENGTH)


class AssignForm(ShareGroundForm, SeenVersionForm):
    to_user = UserChoiceField(label=gettext_lazy("Assign to"), queryset=User.objects.none())
    field_order = ["to_user", "legal_basis", "purpose"]

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_user"]
        field.queryset = triage.assignable_users(signal)


class TipForm(ShareGroundForm):
    to_organisation = forms.ModelChoiceField(
        label=gettext_lazy("Pass to"), queryset=Organisation.objects.none()
    )
    text = forms.CharField(
        label=gettext_lazy("The tip"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=20000,
        help_text=gettext_lazy(
            "Without the reporter's identity. Check the description for names, addresses or "
            "numbers of the reporter and remove them."
        ),
    )
    field_order = ["to_organisation", "text", "legal_basis", "purpose"]

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_organisation"]
        field.queryset = triage.tip_recipients(signal)
