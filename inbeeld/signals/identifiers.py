"""Keyed hashes of the names and phone numbers in a signal, to find likely duplicates.

How a name or number becomes a hash is the same for every kind of personal data, so that the
FG finds a person everywhere with one search: that lives in privacy/identifiers.py.
"""

from __future__ import annotations

from inbeeld.privacy.identifiers import name_index, phone_index, phone_numbers_in
from inbeeld.signals.models import IdentifierKind, Signal, SignalIdentifier

__all__ = ["identifiers_record", "name_index"]


def identifiers_record(signal: Signal, *, new: bool = False) -> None:
    """(Re)write the signal's keyed hashes from its current name and phone numbers."""
    wanted: set[tuple[str, str]] = set()
    if signal.victim_name_index:
        wanted.add((IdentifierKind.NAME, signal.victim_name_index))
    for number in phone_numbers_in(signal.phone_numbers or ""):
        wanted.add((IdentifierKind.PHONE, phone_index(number)))
    if not new:  # a signal just created has none yet: skip the query on the hot path
        signal.identifiers.all().delete()
    SignalIdentifier.objects.bulk_create(
        SignalIdentifier(signal=signal, kind=kind, index=index) for kind, index in sorted(wanted)
    )
