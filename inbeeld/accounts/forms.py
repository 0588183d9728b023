from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Membership, Organisation, User
from inbeeld.lib.forms import limit_choices
from inbeeld.regions.models import Municipality, Region


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        help_text=_("The six digits from your authenticator app, or one of your recovery codes."),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"]
        return token.strip().replace(" ", "")


class EnrolForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class RegionForm(forms.ModelForm[Region]):
    class Meta:
        model = Region
        fields = ["name"]


class OrganisationForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = ["name", "type", "region", "municipality", "active"]

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.queryset = regions
        municipality_field: Any = self.fields["municipality"]
        municipality_field.queryset = Municipality.objects.filter(region__in=regions)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        region = self.cleaned_data.get("region")
        municipality = self.cleaned_data.get("municipality")
        if region and municipality and municipality.region_id != region.pk:
            self.add_error("municipality", _("This municipality is not in the chosen region."))
        return cleaned


class UserForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "organisation", "is_active"]

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations is None:
            # Editing: the home organisation was chosen at creation and follows the last role
            # removed (services.membership_remove); it is not edited by hand.
            del self.fields["organisation"]
            return
        # Required here: an account made on the web belongs to a region from the start, so
        # that its administrators, and only they, manage it before it gets a role.
        self.fields["organisation"].required = True
        limit_choices(self.fields["organisation"], organisations)


class MembershipForm(forms.ModelForm[Membership]):
    class Meta:
        model = Membership
        fields = ["organisation", "role"]

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_field: Any = self.fields["organisation"]
        organisation_field.queryset = organisations
