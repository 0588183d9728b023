"""The forms of the network's pages. They only parse and offer what the person may choose;
services.py checks the content and names the field at fault (one place)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from inbeeld.accounts.models import Organisation
from inbeeld.lib.forms import limit_choices
from inbeeld.network.models import Activity, ActivityKind, TargetGroup, Topic
from inbeeld.network.services import ActivityInput, ParticipantInput
from inbeeld.regions.models import Municipality, Region

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
NUMBER_ATTRS = {"inputmode": "numeric", "class": "number"}


def _at(day: Any, moment: time | None) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, moment or time(0, 0)))


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of activity"),
        choices=[("", gettext_lazy("Choose the kind")), *ActivityKind.choices],
        required=False,
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE_WIDGET, required=False)
    start = forms.TimeField(label=gettext_lazy("Start time"), widget=TIME_WIDGET, required=False)
    end = forms.TimeField(label=gettext_lazy("End time"), widget=TIME_WIDGET, required=False)
    place = forms.CharField(
        label=gettext_lazy("Place"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("The venue and address, or 'online'."),
    )
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    organiser = forms.ModelChoiceField(
        label=gettext_lazy("Organiser"), queryset=Organisation.objects.none(), required=False
    )
    target_groups = forms.MultipleChoiceField(
        label=gettext_lazy("Target groups"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topics = forms.MultipleChoiceField(
        label=gettext_lazy("Topics"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Shown on the agenda (on the public agenda too when public); never about a person."
        ),
    )
    materials = forms.CharField(
        label=gettext_lazy("Materials"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Capacity"),
        required=False,
        widget=forms.NumberInput(attrs=NUMBER_ATTRS),
        help_text=gettext_lazy("Empty when there is no maximum."),
        error_messages={"invalid": gettext_lazy("Give a whole number.")},
    )
    public = forms.BooleanField(
        label=gettext_lazy("Public (on the public agenda and the calendar feed)"), required=False
    )
    grants_certificate = forms.BooleanField(
        label=gettext_lazy("Grants a certificate of attendance"), required=False
    )
    cancelled = forms.BooleanField(label=gettext_lazy("Cancelled"), required=False)

    def __init__(
        self,
        *args: Any,
        organisers: QuerySet[Organisation],
        municipalities: QuerySet[Municipality],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["organiser"], organisers)
        limit_choices(self.fields["municipality"], municipalities)

    def input(self) -> ActivityInput:
        data = self.cleaned_data
        return ActivityInput(
            kind=data["kind"] or "",
            title=data["title"] or "",
            starts_at=_at(data["date"], data["start"]),
            ends_at=_at(data["date"], data["end"]) if data["end"] else None,
            place=data["place"] or "",
            municipality=data["municipality"],
            organiser=data["organiser"],
            target_groups=data["target_groups"],
            topics=data["topics"],
            description=data["description"] or "",
            materials=data["materials"] or "",
            capacity=data["capacity"],
            public=data["public"],
            grants_certificate=data["grants_certificate"],
            cancelled=data["cancelled"],
        )

    @staticmethod
    def initial_for(activity: Activity) -> dict[str, Any]:
        starts = timezone.localtime(activity.starts_at)
        ends = timezone.localtime(activity.ends_at) if activity.ends_at else None
        return {
            "kind": activity.kind,
            "title": activity.title,
            "date": starts.date(),
            "start": starts.time(),
            "end": ends.time() if ends else None,
            "place": activity.place,
            "municipality": activity.municipality,
            "organiser": activity.organiser,
            "target_groups": activity.target_groups,
            "topics": activity.topics,
            "description": activity.description,
            "materials": activity.materials,
            "capacity": activity.capacity,
            "public": activity.public,
            "grants_certificate": activity.grants_certificate,
            "cancelled": activity.cancelled,
        }


class ParticipantForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.none(), required=False
    )
    function = forms.CharField(label=gettext_lazy("Function"), max_length=200, required=False)
    target_group = forms.ChoiceField(
        label=gettext_lazy("Professional group"),
        choices=[
            ("", gettext_lazy("Choose the group")),
            *[(c, label) for c, label in TargetGroup.choices if c != TargetGroup.GENERAL_PUBLIC],
        ],
        required=False,
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["organisation"], organisations)

    def input(self) -> ParticipantInput:
        data = self.cleaned_data
        return ParticipantInput(
            organisation=data["organisation"],
            name=data["name"] or "",
            function=data["function"] or "",
            target_group=data["target_group"] or "",
        )


class PublicAttendeesForm(forms.Form):
    public_attendees = forms.IntegerField(
        label=gettext_lazy("Members of the public attending"),
        required=False,
        widget=forms.NumberInput(attrs=NUMBER_ATTRS),
        help_text=gettext_lazy("Counted, never named."),
        error_messages={"invalid": gettext_lazy("Give a whole number.")},
    )


# --- The newsletter ----------------------------------------------------------------------------


class SubscribeForm(forms.Form):
    """The public form: a region's newsletter and an address. The address is checked by the
    service (newsletter.subscriber_add), which names the field."""

    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"), queryset=Region.objects.none(), required=False
    )
    email = forms.CharField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["region"], regions)

    def clean_region(self) -> Region:
        region = self.cleaned_data.get("region")
        if region is None:
            raise forms.ValidationError(gettext_lazy("Choose the region of the newsletter."))
        return region  # type: ignore[no-any-return]


class IssueForm(forms.Form):
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"), queryset=Region.objects.none(), required=False
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    introduction = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Shown above the agenda; public once sent. Never about a person or a case."
        ),
    )

    def __init__(self, *args: Any, regions: QuerySet[Region] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if regions is None:
            del self.fields["region"]
        else:
            limit_choices(self.fields["region"], regions)

    def clean_region(self) -> Region:
        region = self.cleaned_data.get("region")
        if region is None:
            raise forms.ValidationError(gettext_lazy("Choose the region of the newsletter."))
        return region  # type: ignore[no-any-return]
