"""The registration's form. Content is validated by services.py (one place, naming the
field); this form parses what the person sent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import TextChoices
from django.utils.translation import gettext_lazy

from inbeeld.cases.codes import ControlMethod, RecruitmentMethod, Sector
from inbeeld.lib.widgets import QuickSelect
from inbeeld.regions.models import Municipality
from inbeeld.registration.models import (
    ConsentSigner,
    DossierType,
    LegalBasis,
    Minority,
    PoliceUnit,
    ReporterType,
)
from inbeeld.registration.services import AGE_MAX, INPUT_FIELDS, RegistrationInput
from inbeeld.signals.models import ExploitationForm, Gender
from inbeeld.signals.nationality import nationality_choices

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EMPTY = [("", "—")]


def _codes(label: Any, choices: type[TextChoices]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


def _choice(label: Any, choices: type[TextChoices], help_text: Any = "") -> forms.ChoiceField:
    offered = list(choices.choices)
    if "" not in choices.values:
        offered = EMPTY + offered
    return forms.ChoiceField(label=label, choices=offered, required=False, help_text=help_text)


class RegistrationForm(forms.Form):
    registration_date = forms.DateField(
        label=gettext_lazy("Date of the registration"), widget=DATE_WIDGET, required=False
    )
    reporter_type = _choice(
        gettext_lazy("Reporter (aanmelder)"),
        ReporterType,
        gettext_lazy("Police, KMar and NLA are obliged to report; others need consent."),
    )
    police_unit = _choice(gettext_lazy("Police unit of the region"), PoliceUnit)
    dossier_type = _choice(
        gettext_lazy("Dossier type"),
        DossierType,
        gettext_lazy("The type may change later; every change is kept."),
    )
    exploitation_forms = _codes(gettext_lazy("Forms of exploitation"), ExploitationForm)
    sectors = _codes(gettext_lazy("Sectors"), Sector)
    nationalities = forms.MultipleChoiceField(
        label=gettext_lazy("Nationalities"), choices=(), required=False
    )
    age = forms.IntegerField(
        label=gettext_lazy("Age"),
        required=False,
        min_value=0,
        max_value=AGE_MAX,
        help_text=gettext_lazy("In years, on the date of the registration."),
    )
    minority = _choice(gettext_lazy("Minor or adult"), Minority)
    gender = _choice(gettext_lazy("Gender"), Gender)
    place_municipality = forms.ModelChoiceField(
        label=gettext_lazy("Plaats delict: municipality"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=QuickSelect,
        help_text=gettext_lazy("Where the exploitation took place, in the Netherlands."),
    )
    place_country = forms.ChoiceField(
        label=gettext_lazy("Plaats delict: country abroad"),
        choices=(),
        required=False,
        help_text=gettext_lazy("Only when the exploitation took place abroad."),
    )
    recruitment_methods = _codes(gettext_lazy("Methods of recruitment"), RecruitmentMethod)
    control_methods = _codes(gettext_lazy("Methods of control"), ControlMethod)
    legal_basis = _choice(gettext_lazy("Legal basis"), LegalBasis)
    consent_signed_by = _choice(
        gettext_lazy("Written consent signed by"),
        ConsentSigner,
        gettext_lazy("A minor of 16 or 17 signs themselves; under 16 the parents or guardian."),
    )
    consent_date = forms.DateField(
        label=gettext_lazy("Consent signed on"), widget=DATE_WIDGET, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = nationality_choices()
        nationalities: Any = self.fields["nationalities"]
        nationalities.choices = countries
        place_country: Any = self.fields["place_country"]
        place_country.choices = EMPTY + [(c, n) for c, n in countries if c != "NL"]

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        groups = {
            gettext_lazy("The registration"): (
                "registration_date",
                "reporter_type",
                "police_unit",
                "dossier_type",
            ),
            gettext_lazy("The person"): ("nationalities", "age", "minority", "gender"),
            gettext_lazy("The exploitation"): (
                "exploitation_forms",
                "sectors",
                "place_municipality",
                "place_country",
                "recruitment_methods",
                "control_methods",
            ),
            gettext_lazy("Legal basis"): ("legal_basis", "consent_signed_by", "consent_date"),
        }
        return [(str(title), [self[name] for name in names]) for title, names in groups.items()]

    def input(self) -> RegistrationInput:
        values = self.cleaned_data
        return RegistrationInput(**{name: values[name] for name in INPUT_FIELDS})


def initial_of(data: RegistrationInput) -> dict[str, Any]:
    return {name: getattr(data, name) for name in INPUT_FIELDS}


class AcknowledgeForm(forms.Form):
    comensha_reference = forms.CharField(
        label=gettext_lazy("CoMensha's reference"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("The dossier number CoMensha gave, if any."),
    )
