from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from inbeeld.lib.forms import limit_choices
from inbeeld.privacy.retention import RULES
from inbeeld.regions.models import Region


class RetentionPeriodForm(forms.Form):
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), label=_("Region"), to_field_name="code"
    )
    kind = forms.ChoiceField(label=_("Kind of record"), choices=[(r.kind, r.label) for r in RULES])
    keep_days = forms.IntegerField(
        label=_("Keep for (days)"),
        min_value=1,
        max_value=36500,
        help_text=_("Records older than this are removed in the next nightly run."),
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self.fields["region"], regions)
