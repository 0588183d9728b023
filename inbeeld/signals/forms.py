"""Every form of the signal pages, by channel: the public meldpunt, staff intake, the
queue's filters, and the panels of a signal's page (status, notes, assignment, tip, consent,
merge). Plain Dutch first, errors tied to their fields; validation that needs the database
or a rule lives in the services, which every channel (form and API) shares.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from inbeeld.accounts.access import regions_where
from inbeeld.accounts.models import Membership, Organisation, User
from inbeeld.lib.forms import limit_choices
from inbeeld.privacy.consent import HOW_MAX_LENGTH
from inbeeld.privacy.legal_bases import LegalBasis
from inbeeld.privacy.models import ConsentScope
from inbeeld.privacy.sharing import PURPOSE_MAX_LENGTH
from inbeeld.regions.models import Municipality
from inbeeld.signals import access, attachments, triage
from inbeeld.signals.indicators import Catalogue, Indicator
from inbeeld.signals.models import (
    AgeBand,
    ExploitationForm,
    Gender,
    NoteKind,
    Outcome,
    Signal,
    Status,
    labelled_forms,
)
from inbeeld.signals.nationality import nationality_choices
from inbeeld.signals.queue import QueueFilter
from inbeeld.signals.scoring import current_catalogue
from inbeeld.signals.services import SignalInput

# --- the public meldpunt --------------------------------------------------------------------

MINIMUM_FILL_SECONDS = 3
STARTED_SALT = "inbeeld.meldpunt.started"

# The forms of exploitation in the public's words; the codes come from indicators.FORMS.
PUBLIC_FORM_CHOICES = labelled_forms(
    {
        "sexual": _("Sex for money, prostitution"),
        "labour": _("Work"),
        "criminal": _("Crime, for example drugs or theft"),
        "organ_removal": _("Organs"),
        "other": _("Something else (for example begging), or I do not know"),
    }
)


class MunicipalityChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def not_in_future(form: forms.Form, name: str, message: StrOrPromise) -> None:
    """The date in ``name`` must not lie after today: ``message`` names the field."""
    value = form.cleaned_data.get(name)
    if value is not None and value > timezone.localdate():
        form.add_error(name, message)


FUTURE_INCIDENT = _("The date of the incident lies in the future. Give a date up to today.")
FUTURE_BIRTH = _("The date of birth lies in the future. Give a date up to today.")
CHOOSE_MUNICIPALITY = {
    "required": _("Choose the municipality."),
    "invalid_choice": _("Choose the municipality."),
}


class PublicSignalForm(forms.Form):
    description = forms.CharField(
        label=_("What did you notice?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text=_("Describe it in your own words. Everything helps."),
        error_messages={"required": _("Describe what you noticed.")},
    )
    exploitation_forms = forms.MultipleChoiceField(
        label=_("What does it look like? (optional)"),
        choices=PUBLIC_FORM_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = forms.MultipleChoiceField(
        label=_("Did you see any of these? (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipality = MunicipalityChoiceField(
        label=_("In which municipality?"),
        queryset=Municipality.objects.select_related("region").order_by("name"),
        empty_label=_("Choose a municipality"),
        error_messages=CHOOSE_MUNICIPALITY,
    )
    place_text = forms.CharField(
        label=_("Where exactly? (optional)"),
        required=False,
        max_length=500,
        help_text=_("For example a street, an address or the name of a business."),
    )
    incident_date = forms.DateField(
        label=_("When? (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    people_count = forms.IntegerField(
        label=_("How many people is it about? (optional)"),
        required=False,
        min_value=1,
        max_value=500,
    )
    victim_age_band = forms.ChoiceField(
        label=_("How old do they seem? (optional)"), choices=AgeBand.choices, required=False
    )
    victim_gender = forms.ChoiceField(
        label=_("Gender (optional)"), choices=Gender.choices, required=False
    )
    # A code from a list (names in the visitor's language), never free text: see nationality.py.
    victim_nationality = forms.ChoiceField(
        label=_("Nationality, if you know it (optional)"),
        choices=nationality_choices,
        required=False,
        help_text=_(
            "Choose the country. If you only know which language they speak, write that in "
            "your description."
        ),
    )
    reporter_contact = forms.CharField(
        label=_("Your phone number or e-mail (optional)"),
        required=False,
        max_length=200,
        help_text=_("Leave this empty to stay anonymous. We only use it to ask you questions."),
    )
    form_token = forms.CharField(widget=forms.HiddenInput)
    started = forms.CharField(widget=forms.HiddenInput)
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english = (get_language() or "nl").startswith("en")
        questions = current_catalogue().public_questions()
        field: Any = self.fields["indicators"]
        field.choices = [
            (item.code, item.public_question.en if english else item.public_question.nl)
            for item in questions
            if item.public_question is not None
        ]
        if not self.is_bound:
            token = self.initial.setdefault("form_token", secrets.token_urlsafe(24))
            self.initial.setdefault("started", started_for(token))

    def clean(self) -> dict[str, Any] | None:
        # Robot checks are hidden fields: their errors go on top of the form, not on a field.
        cleaned = super().clean()
        not_in_future(self, "incident_date", FUTURE_INCIDENT)
        if self.cleaned_data.get("website"):
            self.add_error(None, _("This form could not be sent."))
        problem = _started_problem(
            self.cleaned_data.get("started", ""), self.cleaned_data.get("form_token", "")
        )
        if problem:
            self.add_error(None, problem)
        return cleaned


def _started_signer(form_token: str) -> signing.TimestampSigner:
    # The token is part of the signing key: a start time is valid only with its own form's
    # token, so one old start time cannot be replayed on fresh forms to skip the wait.
    return signing.TimestampSigner(salt=f"{STARTED_SALT}\n{form_token}")


def started_for(form_token: str) -> str:
    """The signed start time of the form with this token: now."""
    return _started_signer(form_token).sign("meldpunt")


def _started_problem(value: str, form_token: str) -> str:
    """Why the form's start time is not acceptable, or "" when it is."""
    signer = _started_signer(form_token)
    try:
        signer.unsign(value, max_age=24 * 3600)
    except signing.SignatureExpired:
        return str(_("The form was open for more than a day. Please send it again."))
    except signing.BadSignature:
        return str(_("This form could not be sent."))
    try:
        signer.unsign(value, max_age=MINIMUM_FILL_SECONDS)
    except signing.SignatureExpired:
        return ""  # older than the minimum: a person took their time
    return str(_("That was very fast. Please check the form and send it again."))


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=16,
        error_messages={"required": _("Fill in the receipt code.")},
    )
    secret = forms.CharField(
        label=_("Secret"), max_length=20, error_messages={"required": _("Fill in the secret.")}
    )


class AdditionForm(ReceiptForm):
    text = forms.CharField(
        label=_("What do you want to add?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={"required": _("Write what you want to add.")},
    )


# --- staff intake ----------------------------------------------------------------------------

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
        error_messages={"required": _("Describe what was noticed.")},
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
        error_messages=CHOOSE_MUNICIPALITY,
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
        label=_("Age (optional)"),
        choices=AgeBand.choices,
        required=False,
        help_text=_("With a date of birth, leave this empty: the age is worked out from it."),
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
        help_text=_(
            "At most 5 files of at most 5 MB each: PDF, JPEG, PNG, plain text, Word "
            "documents without macros (.docx) or Outlook e-mails (.msg)."
        ),
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

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        not_in_future(self, "incident_date", FUTURE_INCIDENT)
        not_in_future(self, "victim_date_of_birth", FUTURE_BIRTH)
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


# --- the queue -------------------------------------------------------------------------------


def queue_assignee_choices(user: User) -> QuerySet[User]:
    """The people the queue can be filtered on: whoever may be assigned a signal in the
    regions where the user handles signals (the assignment form offers the same people),
    and the user.

    Not "everyone assigned to a signal the user sees": at 100,000 signals that question
    hashes the whole region on every queue page (docs/performance.md, issue #22), and it
    answers with the same people, since only the region's signal handlers are assigned.
    """
    handlers = Membership.objects.filter(
        organisation__region__in=regions_where(user, *access.INTAKE_ROLES),
        organisation__active=True,
        role__in=access.INTAKE_ROLES,
    )
    return (
        User.objects.filter(Q(is_active=True, memberships__in=handlers) | Q(pk=user.pk))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class QueueFilterForm(forms.Form):
    """The queue's filters; every field is optional and wrong values are ignored."""

    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All")), *Status.choices],
        required=False,
    )
    form = forms.ChoiceField(
        label=gettext_lazy("Form of exploitation"),
        choices=[("", gettext_lazy("All")), *ExploitationForm.choices],
        required=False,
    )
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=gettext_lazy("All"),
    )
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Assigned to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=gettext_lazy("Anyone"),
    )
    acute = forms.BooleanField(label=gettext_lazy("Only acute"), required=False)
    minor = forms.BooleanField(label=gettext_lazy("Only minors"), required=False)
    mine = forms.BooleanField(label=gettext_lazy("Only assigned to me"), required=False)
    # Chosen with the columns' headers; kept here so that filtering keeps the order.
    sort = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["municipality"]
        field.queryset = Municipality.objects.filter(
            region__in=regions_where(user, *access.INTAKE_ROLES)
        ).order_by("name")
        assignee: Any = self.fields["assignee"]
        assignee.queryset = queue_assignee_choices(user)
        assignee.label_from_instance = lambda person: person.get_full_name() or person.username

    def selection(self) -> QueueFilter:
        values = self.cleaned_data if self.is_valid() else {}
        municipality, assignee = values.get("municipality"), values.get("assignee")
        return QueueFilter(
            status=values.get("status") or "",
            form=values.get("form") or "",
            municipality_id=municipality.pk if municipality else None,
            assignee_id=assignee.pk if assignee else None,
            acute=bool(values.get("acute")),
            minor=bool(values.get("minor")),
            mine=bool(values.get("mine")),
            sort=values.get("sort") or "urgency",
        )


class SearchForm(forms.Form):
    """The search page: one term, narrowed by municipality and status if wished."""

    q = forms.CharField(
        label=gettext_lazy("Search for"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "A receipt code, a municipality, a name, a phone number or words from the description."
        ),
    )
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=gettext_lazy("All"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All")), *Status.choices],
        required=False,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["municipality"]
        field.queryset = Municipality.objects.filter(
            region__in=regions_where(user, *access.INTAKE_ROLES)
        ).order_by("name")


# --- the panels of a signal's page -----------------------------------------------------------


class SeenVersionForm(forms.Form):
    """The version of the signal the page showed, sent back with the change."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if any(self.fields[name].widget.is_hidden for name in self.errors if name in self.fields):
            # A hidden field's error would show nowhere: say it on top of the form.
            self.add_error(
                None,
                gettext_lazy(
                    "This page was incomplete or out of date, so nothing was saved. Open the "
                    "signal again and repeat your change."
                ),
            )
        return cleaned


def with_version(data: QueryDict, signal: Signal) -> QueryDict:
    """What the person sent, with the version of the signal as it is now.

    For the page shown after a concurrent change: the person's input stays in the form, and
    saving it again (after looking at the current state) is a change on that state.
    """
    kept = data.copy()
    kept["version"] = str(signal.version)
    return kept


class StatusForm(SeenVersionForm):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Status.choices)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=Outcome.choices, required=False
    )


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return triage.assignable_label(obj)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=NoteKind.choices, initial=NoteKind.NOTE
    )
    text = forms.CharField(
        label=gettext_lazy("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    source = forms.CharField(
        label=gettext_lazy("Source of the information"),
        required=False,
        max_length=triage.NOTE_SOURCE_MAX_LENGTH,
        help_text=gettext_lazy("Needed for enrichment, e.g. an organisation or a register."),
    )


class ShareGroundForm(forms.Form):
    legal_basis = forms.ChoiceField(
        label=gettext_lazy("Legal basis"),
        choices=[("", gettext_lazy("Choose the legal basis")), *LegalBasis.choices],
    )
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=PURPOSE_MAX_LENGTH)


class AssignForm(ShareGroundForm, SeenVersionForm):
    to_user = UserChoiceField(label=gettext_lazy("Assign to"), queryset=User.objects.none())
    field_order = ["to_user", "legal_basis", "purpose"]

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_user"]
        field.queryset = triage.assignable_users(signal)


class TipForm(ShareGroundForm):
    to_organisation = forms.ModelChoiceField(
        label=gettext_lazy("Pass to"), queryset=Organisation.objects.none()
    )
    text = forms.CharField(
        label=gettext_lazy("The tip"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=20000,
        help_text=gettext_lazy(
            "Without the reporter's identity. Check the description for names, addresses or "
            "numbers of the reporter and remove them."
        ),
    )
    field_order = ["to_organisation", "text", "legal_basis", "purpose"]

    def __init__(self, *args: Any, signal: Signal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to_organisation"]
        field.queryset = triage.tip_recipients(signal)


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=gettext_lazy("Consent for"), choices=ConsentScope.choices)
    given_on = forms.DateField(
        label=gettext_lazy("Given on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    how = forms.CharField(
        label=gettext_lazy("How it was given"),
        max_length=HOW_MAX_LENGTH,
        help_text=gettext_lazy("For example: signed form, orally."),
    )


class WithdrawalForm(forms.Form):
    withdrawn_on = forms.DateField(
        label=gettext_lazy("Withdrawn on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class MergeForm(SeenVersionForm):
    other = forms.IntegerField(label=gettext_lazy("Signal to merge into this one"))
    # The version of the proposed signal as the panel listed it.
    other_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("Why these are the same"), required=False, max_length=1000
    )
