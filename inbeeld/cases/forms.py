"""The forms of the case pages. Validation of content is the services' (one place); these
forms only parse what the person sent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet, TextChoices
from django.utils.translation import gettext_lazy

from inbeeld.accounts.models import Organisation
from inbeeld.cases.codes import (
    AGE_AT_EXPLOITATION_MAX,
    CONTEXT_FIELDS,
    ControlMethod,
    OnlineChannel,
    RecruitmentMethod,
    Relationship,
    Sector,
)
from inbeeld.cases.models import Case, CaseStatus, DecidedBy, EventKind, TraffickingStatus
from inbeeld.cases.participants import participant_organisation_ids
from inbeeld.lib.widgets import QuickSelect
from inbeeld.regions.models import Municipality, Region
from inbeeld.signals.forms import SeenVersionForm, ShareGroundForm
from inbeeld.signals.models import AgeBand, ExploitationForm, Gender
from inbeeld.signals.nationality import nationality_choices

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _codes_field(label: Any, choices: type[TextChoices]) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class CaseForm(SeenVersionForm):
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=QuickSelect,
    )
    exploitation_forms = forms.MultipleChoiceField(
        label=gettext_lazy("Forms of exploitation"),
        choices=ExploitationForm.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    trafficking_status = forms.ChoiceField(
        label=gettext_lazy("Trafficking status"), choices=TraffickingStatus.choices
    )
    decided_by = forms.ChoiceField(
        label=gettext_lazy("Status decided by"), choices=DecidedBy.choices, required=False
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    date_of_birth = forms.DateField(
        label=gettext_lazy("Date of birth"), widget=DATE_WIDGET, required=False
    )
    gender = forms.ChoiceField(label=gettext_lazy("Gender"), choices=Gender.choices, required=False)
    nationalities = forms.MultipleChoiceField(
        label=gettext_lazy("Nationalities"), choices=(), required=False
    )
    age_band = forms.ChoiceField(
        label=gettext_lazy("Age"),
        choices=AgeBand.choices,
        required=False,
        help_text=gettext_lazy("Leave empty when the date of birth is known."),
    )
    # How the exploitation worked (HTCDS's victim context, cases/codes.py).
    sectors = _codes_field(gettext_lazy("Sectors"), Sector)
    recruitment_methods = _codes_field(gettext_lazy("Methods of recruitment"), RecruitmentMethod)
    control_methods = _codes_field(gettext_lazy("Methods of control"), ControlMethod)
    recruitment_channels = _codes_field(
        gettext_lazy("Websites and apps used to recruit"), OnlineChannel
    )
    recruiter_relationship = forms.ChoiceField(
        label=gettext_lazy("Relationship to the recruiter"),
        choices=Relationship.choices,
        required=False,
    )
    age_at_exploitation = forms.IntegerField(
        label=gettext_lazy("Age at exploitation"),
        required=False,
        min_value=0,
        max_value=AGE_AT_EXPLOITATION_MAX,
        help_text=gettext_lazy(
            "In years, when it started. Left empty, it is worked out from the date of birth "
            "and the first exploitation event."
        ),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality: Any = self.fields["municipality"]
        municipality.queryset = Municipality.objects.filter(region=case.region).order_by("name")
        nationalities: Any = self.fields["nationalities"]
        nationalities.choices = nationality_choices()

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields under a heading each: the case, the person, how it worked."""
        case_fields = ("municipality", "exploitation_forms", "trafficking_status", "decided_by")
        person_fields = ("name", "date_of_birth", "gender", "nationalities", "age_band")
        return [
            (str(gettext_lazy("Case")), [self[name] for name in case_fields]),
            (str(gettext_lazy("Person")), [self[name] for name in person_fields]),
            (
                str(gettext_lazy("How the exploitation worked")),
                [self[name] for name in CONTEXT_FIELDS],
            ),
        ]


def case_initial(case: Case) -> dict[str, Any]:
    person = getattr(case, "person", None)
    initial: dict[str, Any] = {
        "version": case.version,
        "municipality": case.municipality_id,
        "exploitation_forms": case.exploitation_forms,
        "trafficking_status": case.trafficking_status,
        "decided_by": case.decided_by,
        **{name: getattr(case, name) for name in CONTEXT_FIELDS},
    }
    if person is not None:
        initial |= {
            "name": person.name,
            "date_of_birth": person.date_of_birth or None,
            "gender": person.gender,
            "nationalities": person.nationalities,
            "age_band": person.age_band,
        }
    return initial


class EventForm(SeenVersionForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=EventKind.choices)
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality (in the Netherlands)"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        widget=QuickSelect,
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Or a country abroad"), choices=(), required=False, widget=QuickSelect
    )
    start = forms.DateField(label=gettext_lazy("Date or start"), widget=DATE_WIDGET, required=False)
    end = forms.DateField(label=gettext_lazy("End"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country: Any = self.fields["country"]
        country.choices = [("", "—"), *nationality_choices()]


class CloseForm(SeenVersionForm):
    reason = forms.ChoiceField(
        label=gettext_lazy("How the case ends"),
        choices=[(value, label) for value, label in CaseStatus.choices if value != "open"],
    )
    outcome = forms.CharField(
        label=gettext_lazy("Outcome"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ReopenForm(SeenVersionForm):
    pass


class CaseNoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


def invitable_organisations(case: Case) -> QuerySet[Organisation]:
    """Active organisations of the case's region that do not take part yet."""
    taking_part = {case.owner_organisation_id, *participant_organisation_ids(case)}
    return (
        Organisation.objects.filter(region=case.region, active=True)
        .exclude(pk__in=taking_part)
        .order_by("name")
    )


class InviteForm(ShareGroundForm):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none(), widget=QuickSelect
    )
    field_order = ["organisation", "legal_basis", "purpose"]

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = invitable_organisations(case)


class TransferForm(forms.Form):
    to_region = forms.ModelChoiceField(
        label=gettext_lazy("To region"), queryset=Region.objects.none()
    )
    message = forms.CharField(
        label=gettext_lazy("Why the case should move"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_region"]
        field.queryset = Region.objects.exclude(pk=case.region_id).order_by("name")


class TransferRejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejecting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class LinkSignalForm(forms.Form):
    case = forms.ModelChoiceField(
        label=gettext_lazy("Open case of the region"), queryset=Case.objects.none()
    )

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["case"]
        field.queryset = cases
