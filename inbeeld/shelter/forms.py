"""The forms of the shelter pages. The rules of the figures are in services.py (one place);
these forms parse what the person sent and offer only what they may choose."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from inbeeld.accounts.models import Organisation
from inbeeld.lib.forms import limit_choices
from inbeeld.regions.models import Municipality
from inbeeld.shelter.models import PlaceKind

NUMBER_ATTRS = {"inputmode": "numeric", "class": "number"}


def _number(label: Any, *, required: bool = True, help_text: Any = "") -> forms.IntegerField:
    # No min_value/max_value: the service names what is wrong in its own words, one place.
    return forms.IntegerField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.NumberInput(attrs=NUMBER_ATTRS),
        error_messages={"invalid": gettext_lazy("Give a whole number.")},
    )


class FreePlacesForm(forms.Form):
    """The one-click update: how many places of this kind are free now (and, on the full
    form, how many there are)."""

    free = _number(gettext_lazy("Free places"))
    capacity = _number(
        gettext_lazy("Capacity"),
        required=False,
        help_text=gettext_lazy("Only when the number of places itself changed."),
    )


class LocationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Shelter"), queryset=Organisation.objects.none()
    )
    name = forms.CharField(label=gettext_lazy("Name of the location"), max_length=200)
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"), queryset=Municipality.objects.none()
    )
    admission_criteria = forms.CharField(
        label=gettext_lazy("Admission criteria"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Who the location takes in; never about a person."),
    )
    active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        shelters: QuerySet[Organisation],
        municipalities: QuerySet[Municipality],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["organisation"], shelters)
        limit_choices(self.fields["municipality"], municipalities)


class PlaceForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of place"),
        choices=[("", gettext_lazy("Choose the kind of place")), *PlaceKind.choices],
    )
    capacity = _number(
        gettext_lazy("Capacity"),
        help_text=gettext_lazy("The contracted number of places."),
    )
