"""The staff intake form: the meldpunt's core plus the checklist, methods and attachments."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Organisation, User
from inbeeld.lib.forms import limit_choices
from inbeeld.regions.models import Municipality
from inbeeld.signals import access, attachments
from inbeeld.signals.forms import MunicipalityChoiceField
from inbeeld.signals.indicators import Catalogue, Indicator
from inbeeld.signals.models import AgeBand, ExploitationForm, Gender
from inbeeld.signals.nationality import nationality_choices
from inbeeld.signals.scoring import current_catalogue
from inbeeld.signals.services import SignalInput

GENERAL = "general"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by ``attachments.attachments_check``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": attachments.ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        uploads = data if isinstance(data, list | tuple) else [data]
        return [upload for upload in uploads if upload]


@dataclass(frozen=True)
class IndicatorGroup:
    """One fieldset of the checklist: a form of exploitation and its checkboxes."""

    code: str
    label: str
    options: list[Any]


def _english() -> bool:
    return (get_language() or "nl").startswith("en")


def _label(item: Any) -> str:
    return str(item.en if _english() else item.nl)


def indicator_groups(catalogue: Catalogue) -> list[tuple[str, str, list[Indicator]]]:
    """(code, label, indicators) per group; each indicator shown once.

    Indicators that belong to every form come first, in a group of their own; any other one
    is listed under the first form of exploitation it names, its home form.
    """
    every = {form.code for form in catalogue.forms}
    general = [i for i in catalogue.indicators if set(i.forms) == every]
    groups = [(GENERAL, str(_("Indicators for every form of exploitation")), general)]
    for form in catalogue.forms:
        own = [
            i
            for i in catalogue.indicators_for(form.code)
            if i not in general and i.forms[0] == form.code
        ]
        groups.append((form.code, _label(form), own))
    return groups


class IntakeForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("On behalf of (source organisation)"), queryset=None, empty_label=None
    )
    acute = forms.BooleanField(
        label=_("Acute danger: someone is in danger right now"),
        required=False,
        help_text=_("Call 112 first. Then enter the signal and tick this box."),
    )
    description = forms.CharField(
        label=_("What was noticed?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
    )
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = forms.MultipleChoiceField(
        label=_("Indicators"), required=False, widget=forms.CheckboxSelectMultiple
    )
    methods = forms.MultipleChoiceField(
        label=_("Methods of control"), required=False, widget=forms.CheckboxSelectMultiple
    )
    municipality = MunicipalityChoiceField(
        label=_("Place of the crime (municipality)"),
        queryset=Municipality.objects.order_by("name"),
        empty_label=_("Choose a municipality"),
        help_text=_("The municipality where the exploitation is suspected to take place."),
    )
    place_text = forms.CharField(
        label=_("Where exactly? (optional)"),
        required=False,
        max_length=500,
        help_text=_("For example a street, an address or the name of a business."),
    )
    incident_date = forms.DateField(
        label=_("Date of the incident (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    people_count = forms.IntegerField(
        label=_("Number of people (optional)"), required=False, min_value=1, max_value=500
    )
    victim_name = forms.CharField(
        label=_("Name of the possible victim (optional)"), required=False, max_length=200
    )
    victim_date_of_birth = forms.DateField(
        label=_("Date of birth (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    victim_age_band = forms.ChoiceField(
        label=_("Age (optional)"), choices=AgeBand.choices, required=False
    )
    victim_gender = forms.ChoiceField(
        label=_("Gender (optional)"), choices=Gender.choices, required=False
    )
    victim_nationality = forms.ChoiceField(
        label=_("Nationality (optional)"), choices=nationality_choices, required=False
    )
    phone_numbers = forms.CharField(
        label=_("Phone numbers involved (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Phone numbers of the possible victim or others involved, one per line."),
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_("At most 5 files of at most 5 MB each: PDF, JPEG, PNG or plain text."),
    )
    # One token per opened form: sending it twice (a double click) makes one signal.
    form_token = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        validators=[RegexValidator(r"^[A-Za-z0-9_-]{16,64}$")],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["organisation"], access.intake_organisations(user))
        catalogue = current_catalogue()
        self._groups = indicator_groups(catalogue)
        indicator_field: Any = self.fields["indicators"]
        indicator_field.choices = [
            (item.code, _label(item)) for _code, _title, items in self._groups for item in items
        ]
        method_field: Any = self.fields["methods"]
        method_field.choices = [(item.code, _label(item)) for item in catalogue.methods]
        if not self.is_bound:
            self.initial.setdefault("form_token", secrets.token_urlsafe(24))

    def indicator_groups(self) -> list[IndicatorGroup]:
        """The indicator checkboxes per group, for the template's fieldsets."""
        boxes = {box.data["value"]: box for box in self["indicators"].subwidgets}
        return [
            IndicatorGroup(code, title, [boxes[item.code] for item in items])
            for code, title, items in self._groups
            if items
        ]

    def clean_attachments(self) -> list[Any]:
        # Checked here too so that every problem shows at once; the service checks again.
        files: list[Any] = self.cleaned_data["attachments"]
        try:
            attachments.attachments_check(files)
        except ValidationError as error:
            raise ValidationError(error.error_dict[attachments.FIELD]) from None
        return files

    def _not_in_future(self, name: str) -> None:
        value = self.cleaned_data.get(name)
        if value is not None and value > timezone.localdate():
            self.add_error(name, _("This date lies in the future."))

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        self._not_in_future("incident_date")
        self._not_in_future("victim_date_of_birth")
        return cleaned

    def signal_input(self) -> SignalInput:
        data = self.cleaned_data
        return SignalInput(
            municipality=data["municipality"],
            description=data["description"],
            place_text=data["place_text"],
            incident_date=data["incident_date"],
            exploitation_forms=data["exploitation_forms"],
            indicators=data["indicators"],
            methods=data["methods"],
            acute=data["acute"],
            people_count=data["people_count"],
            victim_name=data["victim_name"],
            victim_date_of_birth=data["victim_date_of_birth"],
            victim_age_band=data["victim_age_band"],
            victim_gender=data["victim_gender"],
            victim_nationality=data["victim_nationality"],
            phone_numbers=data["phone_numbers"],
        )
