"""Counters of attempts per key and time window, shared by every server process.

A key is never an address or a name: callers pass a keyed hash (signals/throttle.py).
"""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Attempts counted under one key in the window that started with its first attempt."""

    key = models.CharField(max_length=100, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_end = models.DateTimeField(db_index=True)  # the purge deletes rows past this

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
