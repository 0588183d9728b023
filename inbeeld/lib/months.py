"""Calendar-month arithmetic, one rule for every app: no Django, no database.

``n`` months after a day is the same day of the month ``n`` months later; when that month is
shorter, its last day. So 30 November + 3 months is 28 February (29 February in a leap
year), 31 August + 3 months is 30 November, and 29 February + 12 months is 28 February of
the next year: the usual civil reading (as ``dateutil.relativedelta`` does it), written out
here because it is this small and is tested with the dates the law and the figures need
(residence/deadlines.py: the reflection period and the permit; insight/figures.py: the same
days a year earlier).
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``months`` calendar months after ``day`` (before it when negative); a day that does
    not exist in the target month becomes that month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))
