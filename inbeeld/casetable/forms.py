"""The forms of the case table's pages. They only parse; services.py validates the content and
names the field in each message (a meeting without chair, an action without owner or date),
so fields the services check are not required here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from inbeeld.accounts.models import Membership, Organisation, User
from inbeeld.cases.models import Case, CaseStatus
from inbeeld.casetable.models import Meeting, Outcome
from inbeeld.casetable.roles import CHAIR_ROLES
from inbeeld.casetable.services import CONFIDENTIALITY_STATEMENT
from inbeeld.lib.forms import limit_choices
from inbeeld.regions.models import Region

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


def _people(regions: QuerySet[Region], roles: tuple[str, ...] = ()) -> QuerySet[User]:
    memberships = Membership.objects.filter(organisation__region__in=regions)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return User.objects.filter(pk__in=memberships.values("user"), is_active=True).order_by(
        "last_name", "first_name", "username"
    )


class MeetingForm(forms.Form):
    region = forms.ModelChoiceField(label=gettext_lazy("Region"), queryset=Region.objects.none())
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET, required=False)
    chair = PersonChoiceField(
        label=gettext_lazy("Chair"), queryset=User.objects.none(), required=False
    )
    secretary = PersonChoiceField(
        label=gettext_lazy("Secretary"), queryset=User.objects.none(), required=False
    )
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Invited organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Only organisations that signed the covenant in force take part."),
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["region"], regions)
        limit_choices(self.fields["chair"], _people(regions, CHAIR_ROLES))
        limit_choices(self.fields["secretary"], _people(regions))
        organisations: Any = self.fields["organisations"]
        organisations.queryset = Organisation.objects.filter(
            region__in=regions, active=True
        ).order_by("name")


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = (
            Organisation.objects.filter(region=meeting.region, active=True)
            .exclude(pk__in=meeting.invitations.values("organisation"))
            .order_by("name")
        )


class AttendanceForm(forms.Form):
    users = PersonMultipleChoiceField(
        label=gettext_lazy("Present"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["users"]
        members = Membership.objects.filter(
            organisation__in=meeting.invitations.values("organisation")
        ).values("user")
        field.queryset = User.objects.filter(
            pk__in=[*members.values_list("user", flat=True), meeting.chair_id, meeting.secretary_id]
        ).order_by("last_name", "first_name", "username")


class GuestForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    affiliation = forms.CharField(
        label=gettext_lazy("Organisation or capacity"), max_length=200, required=False
    )
    accepted = forms.BooleanField(
        label=gettext_lazy("The attendee accepted the confidentiality statement"),
        required=False,
        help_text=CONFIDENTIALITY_STATEMENT,
    )


class CaseItemForm(forms.Form):
    case = forms.ModelChoiceField(label=gettext_lazy("Case"), queryset=Case.objects.none())

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["case"]
        field.queryset = (
            Case.objects.filter(region=meeting.region, status=CaseStatus.OPEN, restricted=False)
            .exclude(pk__in=meeting.items.filter(case__isnull=False).values("case"))
            .order_by("reference")
        )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("", gettext_lazy("Choose the decision")), *Outcome.choices],
        required=False,
    )
    lead = forms.ModelChoiceField(
        label=gettext_lazy("Lead partner (best placed)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    supporting = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Supporting partners"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    shared = forms.CharField(
        label=gettext_lazy("What the table shares with these partners"),
        help_text=gettext_lazy(
            "Only what they need for their role; it is shared on the basis of the covenant."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (no further action, or back to the reporter)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invited = Organisation.objects.filter(
            pk__in=meeting.invitations.values("organisation")
        ).order_by("name")
        for name in ("lead", "supporting"):
            field: Any = self.fields[name]
            field.queryset = invited


class ActionForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Agreed action"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("No names: the action is shown in lists."),
    )
    owner_organisation = forms.ModelChoiceField(
        label=gettext_lazy("Owner organisation"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    owner = PersonChoiceField(
        label=gettext_lazy("Owner (person)"), queryset=User.objects.none(), required=False
    )
    due = forms.DateField(label=gettext_lazy("Due date"), widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(
            pk__in=[
                *meeting.invitations.values_list("organisation", flat=True),
                *Membership.objects.filter(
                    user=meeting.chair, organisation__region=meeting.region
                ).values_list("organisation", flat=True),
            ]
        ).order_by("name")
        owner_organisation: Any = self.fields["owner_organisation"]
        owner_organisation.queryset = organisations
        owner: Any = self.fields["owner"]
        owner.queryset = User.objects.filter(
            pk__in=Membership.objects.filter(organisation__in=organisations).values("user"),
            is_active=True,
        ).order_by("last_name", "first_name", "username")


class StatisticsForm(forms.Form):
    """The period of the table's figures, and the region when the user has more than one."""

    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
    )
    start = forms.DateField(label=gettext_lazy("From"), widget=DATE_WIDGET, required=False)
    end = forms.DateField(
        label=gettext_lazy("Up to and including"), widget=DATE_WIDGET, required=False
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["region"]
        field.queryset = regions
        field.empty_label = None
        if regions.count() < 2:
            field.widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        if start and end and start > end:
            self.add_error("end", gettext_lazy("The end of the period is before its start."))
        return cleaned
