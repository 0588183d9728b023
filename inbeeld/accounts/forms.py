from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.covenants import CovenantInput, SignatureInput
from inbeeld.accounts.directory import ContactInput
from inbeeld.accounts.models import (
    PHONE_VALIDATOR,
    ContactPerson,
    ContactRole,
    Membership,
    Organisation,
    OrganisationType,
    User,
)
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


# --- The regional network ---------------------------------------------------------------------

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def service_errors_to_form(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ValidationError on the form: each message at its field, or above the form."""
    for name, messages in error.message_dict.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class DirectoryFilterForm(forms.Form):
    """The directory's filters; every field is optional and wrong values are ignored."""

    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False, empty_label=_("All")
    )
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All")), *OrganisationType.choices], required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("All"),
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.queryset = regions
        if regions.count() < 2:
            del self.fields["region"]  # nothing to choose
        municipality_field: Any = self.fields["municipality"]
        municipality_field.queryset = Municipality.objects.filter(region__in=regions)


class ContactPersonForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.ChoiceField(label=_("Role in the network"), choices=ContactRole.choices)
    function = forms.CharField(
        label=_("Function"),
        max_length=200,
        required=False,
        help_text=_("The job title, where it says more than the role."),
    )
    phone = forms.CharField(
        label=_("Work phone"), max_length=25, required=False, validators=[PHONE_VALIDATOR]
    )
    email = forms.EmailField(label=_("Work e-mail"), required=False)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Contact for the municipalities"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The municipalities for which this person is the contact (coverage)."),
    )
    listed_publicly = forms.BooleanField(
        label=_("Agreed to be listed publicly"),
        required=False,
        help_text=_("Only contacts who agreed appear on pages outside InBeeld's staff pages."),
    )
    active_from = forms.DateField(label=_("Contact from"), widget=DATE_WIDGET)
    active_until = forms.DateField(
        label=_("Contact until"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("The last day; empty while the person is the contact."),
    )
    user = forms.ModelChoiceField(
        label=_("InBeeld account"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Only when the person has an account; many contacts have none."),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["organisation"], organisations.order_by("region__name", "name"))
        municipalities: Any = self.fields["municipalities"]
        municipalities.queryset = Municipality.objects.filter(
            region__in=organisations.values("region")
        ).order_by("name")
        accounts: Any = self.fields["user"]
        accounts.queryset = (
            User.objects.filter(is_active=True, memberships__organisation__in=organisations)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )

    def input(self) -> ContactInput:
        data = self.cleaned_data
        return ContactInput(
            organisation=data.get("organisation"),
            name=data.get("name", ""),
            role=data.get("role", ""),
            function=data.get("function", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            municipalities=list(data.get("municipalities") or []),
            listed_publicly=bool(data.get("listed_publicly")),
            active_from=data["active_from"],
            active_until=data.get("active_until"),
            user=data.get("user"),
        )

    @staticmethod
    def initial_for(contact: ContactPerson) -> dict[str, Any]:
        return {
            "organisation": contact.organisation_id,
            "name": contact.name,
            "role": contact.role,
            "function": contact.function,
            "phone": contact.phone,
            "email": contact.email,
            "municipalities": list(contact.municipalities.all()),
            "listed_publicly": contact.listed_publicly,
            "active_from": contact.active_from,
            "active_until": contact.active_until,
            "user": contact.user_id,
        }


class NetworkOrganisationForm(forms.ModelForm[Organisation]):
    """A partner the ketenregisseur adds to the region's directory."""

    class Meta:
        model = Organisation
        fields = ["name", "type", "municipality"]

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.region = region
        municipality: Any = self.fields["municipality"]
        municipality.queryset = Municipality.objects.filter(region=region)


class CovenantForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    version = forms.CharField(
        label=_("Version"), max_length=40, help_text=_("How the partners name it, e.g. 2025-1.")
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("The text of the covenant, or attach the signed document below."),
    )
    document = forms.FileField(
        label=_("Document (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    in_force_from = forms.DateField(
        label=_("In force from"),
        widget=DATE_WIDGET,
        help_text=_(
            "A version in force without an end date ends the day before this version starts."
        ),
    )
    in_force_until = forms.DateField(
        label=_("In force until"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("The last day; empty while no end date is known."),
    )

    def input(self) -> CovenantInput:
        data = self.cleaned_data
        return CovenantInput(
            title=data["title"],
            version=data["version"],
            text=data.get("text", ""),
            in_force_from=data["in_force_from"],
            in_force_until=data.get("in_force_until"),
        )


class SignatureForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE_WIDGET)
    signed_by_name = forms.CharField(label=_("Signed by (name)"), max_length=200)
    signed_by_function = forms.CharField(
        label=_("Function of the signatory"),
        max_length=200,
        required=False,
        help_text=_("For example: mayor, director."),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["organisation"], organisations.order_by("name"))

    def input(self) -> SignatureInput:
        data = self.cleaned_data
        return SignatureInput(
            organisation=data["organisation"],
            signed_on=data["signed_on"],
            signed_by_name=data["signed_by_name"],
            signed_by_function=data.get("signed_by_function", ""),
        )


class SignatureWithdrawalForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DATE_WIDGET)
