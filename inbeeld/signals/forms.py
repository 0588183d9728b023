"""Forms of the public meldpunt; plain Dutch first, errors tied to their fields."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from inbeeld.regions.models import Municipality
from inbeeld.signals.models import AgeBand, Gender, labelled_forms
from inbeeld.signals.nationality import nationality_choices
from inbeeld.signals.scoring import current_catalogue

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


class PublicSignalForm(forms.Form):
    description = forms.CharField(
        label=_("What did you notice?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        help_text=_("Describe it in your own words. Everything helps."),
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
    code = forms.CharField(label=_("Receipt code"), max_length=16)
    secret = forms.CharField(label=_("Secret"), max_length=20)


class AdditionForm(ReceiptForm):
    text = forms.CharField(
        label=_("What do you want to add?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
    )
