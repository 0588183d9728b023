"""The forms of the referral pages. Content is validated by services.py (one place); these
forms parse what the person sent and offer only the region's directory."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from inbeeld.accounts.models import Organisation
from inbeeld.cases.models import Case
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.referrals.models import ExitPhase, Referral, ServiceType, SharedField
from inbeeld.referrals.services import MESSAGE_MAX, REASON_MAX

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def directory_of(case: Case) -> Any:
    """The partner directory of the case's region: its active organisations."""
    return Organisation.objects.filter(region_id=case.region_id, active=True).order_by("name")


class ReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=gettext_lazy("From the partner directory of the case's region."),
    )
    service = forms.ChoiceField(
        label=gettext_lazy("Service"),
        choices=[("", gettext_lazy("Choose the service")), *ServiceType.choices],
    )
    shared_fields = forms.MultipleChoiceField(
        label=gettext_lazy("What the organisation may see of the case"),
        choices=SharedField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Only what you tick, with your message; never the whole case."),
    )
    message = forms.CharField(
        label=gettext_lazy("Message to the organisation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_MAX,
    )
    legal_basis = forms.ChoiceField(
        label=gettext_lazy("Legal basis"),
        choices=[("", gettext_lazy("Choose the legal basis")), *LegalBasis.choices],
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        # Every organisation may be posted; the service refuses one outside the directory
        # with its own message, naming the field.
        field.queryset = Organisation.objects.order_by("name")
        field.choices = [("", "—"), *((o.pk, str(o)) for o in directory_of(case))]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejecting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
    )


class ServiceForm(forms.Form):
    service = forms.ChoiceField(
        label=gettext_lazy("Service"),
        choices=[("", gettext_lazy("Choose the service")), *ServiceType.choices],
    )
    provider = forms.ModelChoiceField(
        label=gettext_lazy("Provided by"), queryset=Organisation.objects.none()
    )
    start = forms.DateField(label=gettext_lazy("Start"), widget=DATE_WIDGET)
    end = forms.DateField(label=gettext_lazy("End"), widget=DATE_WIDGET, required=False)
    referral = forms.ModelChoiceField(
        label=gettext_lazy("Following the referral"),
        queryset=Referral.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider: Any = self.fields["provider"]
        provider.queryset = Organisation.objects.order_by("name")
        provider.choices = [("", "—"), *((o.pk, str(o)) for o in directory_of(case))]
        referral: Any = self.fields["referral"]
        referral.queryset = Referral.objects.filter(case=case)


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(
        label=gettext_lazy("Phase"),
        choices=[("", gettext_lazy("Choose the phase")), *ExitPhase.choices],
    )
    started_on = forms.DateField(label=gettext_lazy("Started on"), widget=DATE_WIDGET)
