"""Whether a kind of place's figures are still believed: the one rule, used by every page,
the API and the home block.

Figures not confirmed for ``STALE_AFTER`` (seven days) are shown as unknown ("onbekend"),
never as free: a coordinator who phones for a bed must not be sent to a place that was free
last month. Exactly seven days after the confirmation the figures are still shown; a moment
later they are not.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

STALE_AFTER = timedelta(days=7)


class Confirmed(Protocol):
    capacity: int
    occupied: int
    confirmed_at: datetime | None


def is_stale(entry: Confirmed, now: datetime) -> bool:
    """Not confirmed for more than seven days, or never confirmed at all."""
    return entry.confirmed_at is None or now - entry.confirmed_at > STALE_AFTER


def shown_free(entry: Confirmed, now: datetime) -> int | None:
    """The free places to show, or None ("onbekend") when not confirmed for seven days."""
    if is_stale(entry, now):
        return None
    return entry.capacity - entry.occupied
