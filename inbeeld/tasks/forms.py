"""The forms of the task pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inbeeld.accounts.models import User
from inbeeld.tasks.models import TaskStatus


def region_people(region_id: int) -> QuerySet[User]:
    """The people who work in a region: who may own a task there."""
    return (
        User.objects.filter(is_active=True, memberships__organisation__region_id=region_id)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class OwnerChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("Task"),
        max_length=120,
        help_text=_("Short, and without names or other personal data: it is shown in lists."),
    )
    due = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    owner = OwnerChoiceField(label=_("Owner"), queryset=User.objects.none())
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only seen by who may see the task; stored encrypted."),
    )

    def __init__(self, *args: Any, region_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = region_people(region_id)  # type: ignore[attr-defined]

    def clean_due(self) -> Any:
        due = self.cleaned_data["due"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("The due date lies in the past."))
        return due


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=TaskStatus.choices)
