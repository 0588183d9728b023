from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inbeeld.integrations.models import WebhookEvent
from inbeeld.integrations.scopes import SCOPE_CHOICES
from inbeeld.integrations.tokens import MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("The system that uses the token, e.g. the shelter's registration system."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), choices=SCOPE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=90
    )


class WebhookForm(forms.Form):
    url = forms.CharField(
        label=_("Address (https)"), max_length=500, help_text=_("For example https://…/inbeeld")
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
