"""Numbers and dates as Dutch readers expect them: 17.590.672 and "30 nov. 2026".

English readers get 17,590,672 and "30 Nov 2026".
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import pgettext_lazy

register = template.Library()

# Django's "M" gives "Nov" in Dutch too (capitalised) and its "N" gives "nov" without the
# full stop; Dutch abbreviates a month with one: "nov.", and "mei" in full.
SHORT_MONTHS = {
    1: pgettext_lazy("short month", "Jan"),
    2: pgettext_lazy("short month", "Feb"),
    3: pgettext_lazy("short month", "Mar"),
    4: pgettext_lazy("short month", "Apr"),
    5: pgettext_lazy("short month", "May"),
    6: pgettext_lazy("short month", "Jun"),
    7: pgettext_lazy("short month", "Jul"),
    8: pgettext_lazy("short month", "Aug"),
    9: pgettext_lazy("short month", "Sep"),
    10: pgettext_lazy("short month", "Oct"),
    11: pgettext_lazy("short month", "Nov"),
    12: pgettext_lazy("short month", "Dec"),
}


@register.filter
def thousands(value: int | None) -> str:
    if value is None:
        return "—"
    return number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def short_date(value: date | datetime | None) -> str:
    """30 nov. 2026 (a moment in InBeeld's time zone); a dash for no date."""
    if value is None:
        return "—"
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {SHORT_MONTHS[value.month]} {value.year}"


@register.filter
def short_datetime(value: datetime | None, seconds: str = "") -> str:
    """30 nov. 2026 14:05 (``short_datetime:"s"`` adds the seconds); a dash for none."""
    if value is None:
        return "—"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{short_date(local)} {clock}"
