"""Pseudonymised views: what a partner not (yet) involved may see of a record.

The rule is a list of fields that may be shown, not a list of fields to hide: a field added
to a model later stays hidden until someone decides it is safe to show. Names, dates of
birth, addresses, contact details and free-text narratives are never on such a list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class PseudonymisedItem:
    """A record reduced to a pseudonym and the fields that identify no one."""

    pseudonym: str
    fields: dict[str, Any]


def pseudonymised(
    record: models.Model, *, pseudonym: str, shown: Iterable[str]
) -> PseudonymisedItem:
    """The record with only the ``shown`` fields, choice fields as their display text."""
    values: dict[str, Any] = {}
    for name in shown:
        display = getattr(record, f"get_{name}_display", None)
        values[name] = display() if callable(display) else getattr(record, name)
    return PseudonymisedItem(pseudonym=pseudonym, fields=values)
