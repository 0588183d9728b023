"""A possible victim's age band from a date of birth: a 16-year-old is a minor, whatever
else the form said. Pure functions, shared by intake (signals/services.py) and the data
migration that gave older signals their age band."""

from __future__ import annotations

from datetime import date

MINOR, YOUNG_ADULT, ADULT, OLDER = "minor", "18-23", "24-49", "50+"


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years of age on ``day`` (negative when born after it)."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def age_band_of(age: int) -> str:
    """The AgeBand value of an age in whole years."""
    if age < 18:
        return MINOR
    if age < 24:
        return YOUNG_ADULT
    if age < 50:
        return ADULT
    return OLDER
