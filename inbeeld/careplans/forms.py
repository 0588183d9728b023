"""The forms of the care plan's pages. They parse what the person sent; the services
validate the content (one place, naming the field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy

from inbeeld.accounts.models import Organisation, User
from inbeeld.careplans.models import ActionStatus, LifeDomain
from inbeeld.careplans.services import DESCRIPTION_MAX, TEXT_MAX, action_organisations
from inbeeld.cases.models import Case
from inbeeld.cases.roles import CASE_ROLES
from inbeeld.signals.forms import SeenVersionForm

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DomainForm(SeenVersionForm):
    situation = forms.CharField(
        label=gettext_lazy("Situation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX,
        required=False,
        help_text=gettext_lazy("How things are now in this part of the person's life."),
    )
    goals = forms.CharField(
        label=gettext_lazy("Goals"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX,
        required=False,
        help_text=gettext_lazy("What the person wants to reach, in their own words if possible."),
    )
    review_date = forms.DateField(
        label=gettext_lazy("Review date"),
        widget=DATE_WIDGET,
        required=False,
        help_text=gettext_lazy("Becomes a task for the case owner."),
    )


class _PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class ActionForm(SeenVersionForm):
    domain = forms.ChoiceField(label=gettext_lazy("Life domain"), choices=LifeDomain.choices)
    description = forms.CharField(
        label=pgettext_lazy("care plan", "Action"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=DESCRIPTION_MAX,
    )
    owner_organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=gettext_lazy("The case owner or an organisation taking part in the case."),
    )
    owner = _PersonChoice(
        label=gettext_lazy("Person (optional)"), queryset=User.objects.none(), required=False
    )
    due = forms.DateField(
        label=gettext_lazy("Due date"),
        widget=DATE_WIDGET,
        required=False,
        help_text=gettext_lazy("With a due date the action becomes a task of its organisation."),
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ActionStatus.choices)

    def __init__(self, *args: Any, case: Case, with_status: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = action_organisations(case)
        field: Any = self.fields["owner_organisation"]
        field.queryset = Organisation.objects.filter(pk__in=organisations).order_by("name")
        people: Any = self.fields["owner"]
        people.queryset = (
            User.objects.filter(
                is_active=True,
                memberships__organisation__in=organisations,
                memberships__role__in=CASE_ROLES,
            )
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        if not with_status:
            del self.fields["status"]


class ActionStatusForm(SeenVersionForm):
    status = forms.ChoiceField(choices=ActionStatus.choices)
