"""The seven-day rule (capacity.py): figures not confirmed for seven days show as unknown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from inbeeld.shelter.capacity import is_stale, shown_free

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@dataclass
class Entry:
    capacity: int
    occupied: int
    confirmed_at: datetime | None


def test_free_is_capacity_minus_occupied_when_confirmed_today() -> None:
    assert shown_free(Entry(12, 9, NOW - timedelta(hours=3)), NOW) == 3


def test_exactly_seven_days_after_confirming_the_places_still_show() -> None:
    entry = Entry(12, 9, NOW - timedelta(days=7))
    assert not is_stale(entry, NOW)
    assert shown_free(entry, NOW) == 3


def test_a_moment_past_seven_days_the_places_are_unknown() -> None:
    entry = Entry(12, 9, NOW - timedelta(days=7, microseconds=1))
    assert is_stale(entry, NOW)
    assert shown_free(entry, NOW) is None


def test_a_full_location_shows_zero_not_unknown() -> None:
    assert shown_free(Entry(6, 6, NOW - timedelta(days=6, hours=23)), NOW) == 0


def test_never_confirmed_places_are_unknown() -> None:
    assert shown_free(Entry(8, 0, None), NOW) is None
