"""The forms of the placement pages. Content is validated by services.py (one place); these
forms parse what the person sent and offer only what the person may choose."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from inbeeld.cases.models import Case
from inbeeld.placements.models import (
    OUTFLOW_DESTINATIONS,
    Destination,
    PlacementRequest,
    RefusalReason,
    Urgency,
)
from inbeeld.placements.services import NOTE_MAX, REASON_MAX
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.referrals.models import SharedField
from inbeeld.regions.models import Region
from inbeeld.shelter.models import PlaceKind, ShelterLocation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KIND_CHOICES = [("", gettext_lazy("Choose the kind of place")), *PlaceKind.choices]


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of place"), choices=KIND_CHOICES)
    urgency = forms.ChoiceField(
        label=gettext_lazy("Urgency"),
        choices=[("", gettext_lazy("Choose the urgency")), *Urgency.choices],
    )
    note = forms.CharField(
        label=gettext_lazy("What the person needs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX,
        required=False,
        help_text=gettext_lazy("Short; stored encrypted."),
    )
    note_shared = forms.BooleanField(
        label=gettext_lazy("The shelters may read what the person needs"),
        required=False,
        help_text=gettext_lazy(
            "Without this, shelters see only the kind of place, urgency, age, gender and "
            "waiting time until they accept."
        ),
    )
    shared_fields = forms.MultipleChoiceField(
        label=gettext_lazy("What the accepting shelter may see of the case"),
        choices=SharedField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    legal_basis = forms.ChoiceField(
        label=gettext_lazy("Legal basis"),
        choices=[("", gettext_lazy("Choose the legal basis")), *LegalBasis.choices],
    )


class RefuseForm(forms.Form):
    reason_code = forms.ChoiceField(
        label=gettext_lazy("Reason for refusing"),
        choices=[("", gettext_lazy("Choose the reason")), *RefusalReason.choices],
    )
    reason_text = forms.CharField(
        label=gettext_lazy("Explanation"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX,
        required=False,
        help_text=gettext_lazy("Needed when the reason is “other”."),
    )


class RegionAskForm(forms.Form):
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region to ask"), queryset=Region.objects.none()
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["region"]
        field.queryset = Region.objects.exclude(pk=case.region_id).order_by("name")


class IntakeForm(forms.Form):
    case = forms.ModelChoiceField(label=gettext_lazy("Case"), queryset=Case.objects.none())
    location = forms.ModelChoiceField(
        label=gettext_lazy("Location"), queryset=ShelterLocation.objects.none()
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of place"), choices=KIND_CHOICES)
    intake = forms.DateField(label=gettext_lazy("Intake date"), widget=DATE_WIDGET)
    request = forms.ModelChoiceField(
        label=gettext_lazy("Following the request"),
        queryset=PlacementRequest.objects.none(),
        required=False,
    )
    override_reason = forms.CharField(
        label=gettext_lazy("Reason to take in over capacity"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX,
        required=False,
        help_text=gettext_lazy(
            "Only when the location is full and your shelter takes the person in anyway."
        ),
    )

    def __init__(
        self,
        *args: Any,
        cases: QuerySet[Case],
        locations: QuerySet[ShelterLocation],
        requests: QuerySet[PlacementRequest],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["case"].queryset = cases
        fields["case"].label_from_instance = lambda case: case.reference
        fields["location"].queryset = locations
        fields["request"].queryset = requests
        fields["request"].label_from_instance = lambda request: request.reference


class OutflowForm(forms.Form):
    outflow = forms.DateField(label=gettext_lazy("Outflow date"), widget=DATE_WIDGET)
    destination = forms.ChoiceField(
        label=gettext_lazy("Destination"),
        choices=[
            ("", gettext_lazy("Choose where the person went")),
            *((code, Destination(code).label) for code in OUTFLOW_DESTINATIONS),
        ],
    )


class TransferForm(forms.Form):
    location = forms.ModelChoiceField(
        label=gettext_lazy("To location"), queryset=ShelterLocation.objects.none()
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of place"), choices=KIND_CHOICES)
    day = forms.DateField(label=gettext_lazy("Transfer date"), widget=DATE_WIDGET)
    override_reason = forms.CharField(
        label=gettext_lazy("Reason to take in over capacity"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=REASON_MAX,
        required=False,
    )

    def __init__(self, *args: Any, locations: QuerySet[ShelterLocation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["location"]
        field.queryset = locations
