from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import Organisation
from inbeeld.insight.models import EncodedList
from inbeeld.lib.forms import limit_choices
from inbeeld.regions.models import Region


def _year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year, this_year - 10, -1)]


class EncodedListUploadForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation")
    )
    year = forms.TypedChoiceField(coerce=int, choices=_year_choices, label=_("Year"))
    file = forms.FileField(
        label=_("Encoded file"),
        help_text=_(
            "The file made by `inbeeld encode` on your own premises. It holds no names or "
            "dates of birth, only encodings."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    # Shown only once the organisation turns out to have a list for the year already.
    replace = forms.BooleanField(
        required=False,
        label=_("Replace the existing list"),
        label_suffix="",
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["organisation"], organisations)

    def offer_replace(self, existing: EncodedList) -> None:
        """Ask, with a checkbox that names it, whether the new file replaces ``existing``."""
        self.fields["replace"].widget = forms.CheckboxInput()
        # The bound field was made (and its label copied) when the form was validated.
        self["replace"].label = gettext("Replace the list of %(date)s with %(count)s records") % {
            "date": date_format(timezone.localtime(existing.uploaded_at), "j F Y"),
            "count": existing.record_count,
        }


class LinkageRunForm(forms.Form):
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), label=_("Region"), to_field_name="code"
    )
    year = forms.TypedChoiceField(coerce=int, choices=_year_choices, label=_("Year"))

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["region"], regions)


class DashboardFilterForm(forms.Form):
    """The dashboard's filters (GET): region, municipality, year, form of exploitation.
    Only the user's own regions and that region's municipalities are offered or accepted."""

    region = forms.ChoiceField(label=_("Region"))
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    form = forms.ChoiceField(label=_("Form of exploitation"), required=False)

    def __init__(
        self,
        *args: Any,
        regions: Any,
        region: Region,
        first_year: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        from inbeeld.signals.models import ExploitationForm

        self.region_obj = region
        self.fields["region"].choices = [(item.code, item.name) for item in regions]  # type: ignore[attr-defined]
        self.fields["municipality"].choices = [  # type: ignore[attr-defined]
            ("", gettext("The whole region")),
            *region.municipalities.values_list("code", "name"),
        ]
        this_year = timezone.localdate().year
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            ("", gettext("All years")),
            *[(year, year) for year in range(this_year, min(first_year, this_year) - 1, -1)],
        ]
        self.fields["form"].choices = [("", gettext("All forms")), *ExploitationForm.choices]  # type: ignore[attr-defined]

    def municipality_obj(self) -> Any:
        code = (
            self.cleaned_data.get("municipality")
            if self.is_bound
            else self.initial.get("municipality")
        )
        if not code:
            return None
        return self.region_obj.municipalities.filter(code=code).first()


class OperationsFilterForm(forms.Form):
    """The operational figures' filters (GET): one of the user's regions and a year."""

    region = forms.ChoiceField(label=_("Region"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, regions: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(item.code, item.name) for item in regions]  # type: ignore[attr-defined]
        self.fields["year"].choices = [(year, year) for year in years]  # type: ignore[attr-defined]
