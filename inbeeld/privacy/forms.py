from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inbeeld.lib.forms import limit_choices
from inbeeld.privacy.models import ReceivedRequestStatus, RequestKind
from inbeeld.privacy.retention import retention_rules
from inbeeld.regions.models import Region

if TYPE_CHECKING:
    from inbeeld.privacy.subject_rights import SearchHit


class RetentionPeriodForm(forms.Form):
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), label=_("Region"), to_field_name="code"
    )
    # Choices from the registered kinds' rules, read when the form is made (registry.py).
    kind = forms.ChoiceField(label=_("Kind of record"))
    keep_days = forms.IntegerField(
        label=_("Keep for (days)"),
        min_value=1,
        max_value=36500,
        help_text=_("Records older than this are removed in the next nightly run."),
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["region"], regions)
        rules = [(rule.kind, rule.label) for rule in retention_rules()]
        self.fields["kind"].choices = rules  # type: ignore[attr-defined]


class SubjectSearchForm(forms.Form):
    """Find a person's records by name and/or phone number; a date of birth narrows names."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional: leaves out records with another date of birth."),
    )
    phone = forms.CharField(
        label=_("Phone number"), max_length=200, required=False, help_text=_("Optional.")
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("name", "").strip() and not cleaned.get("phone", "").strip():
            self.add_error("name", _("Enter a name or a phone number."))
        return cleaned


class AccessRequestForm(forms.Form):
    """Which of the found records belong to the person, and why the export is made.

    A record is offered by its kind and code only (a signal's receipt code): the choice itself
    shows no content. The value names it as a DataSubjectRequest does: ``key:id``.
    """

    records = forms.MultipleChoiceField(
        label=_("Records about this person"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one record.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: request by letter of 3 March, identity checked at the desk."),
    )

    def __init__(self, *args: Any, hits: Sequence[SearchHit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(hit.ref, hit.label) for hit in hits]
        self.fields["records"].choices = choices  # type: ignore[attr-defined]


class SubjectReasonForm(forms.Form):
    """Restriction and lifting it: the reason is recorded with the request."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ErasureForm(SubjectReasonForm):
    confirm = forms.BooleanField(
        label=_("I understand that erasure cannot be undone."),
        error_messages={"required": _("Confirm that erasure cannot be undone.")},
    )


class ReceivedRequestForm(forms.Form):
    """A data-subject request as it arrives: its due date follows from the day received."""

    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), label=_("Region"), to_field_name="code"
    )
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    received_on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The answer is due one month later (AVG art. 12(3))."),
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=200,
        required=False,
        help_text=_(
            "Where the request can be found, e.g. 'letter 2026-114'. Not the person's name: "
            "that stays in the letter."
        ),
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["region"], regions)


class ReceivedRequestExtendForm(forms.Form):
    due_on = forms.DateField(
        label=_("New due date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most three months after receipt; tell the person within the first month."),
    )
    reason = forms.CharField(
        label=_("Reason for the extension"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReceivedRequestCloseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (ReceivedRequestStatus.ANSWERED, _("Answered")),
            (ReceivedRequestStatus.REFUSED, _("Refused")),
        ],
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label=_("What the person was told"), widget=forms.Textarea(attrs={"rows": 2})
    )
