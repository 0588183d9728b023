"""Number formatting as Dutch readers expect it (17.590.672), English as 17,590,672."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def thousands(value: int | None) -> str:
    if value is None:
        return "—"
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)
