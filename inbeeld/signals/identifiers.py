"""Keyed hashes in a signal: its names and phone numbers (to find likely duplicates) and the
reporter's receipt secret.

How a name or number becomes a hash is the same for every kind of personal data, so that the
FG finds a person everywhere with one search: that lives in privacy/identifiers.py.
"""

from __future__ import annotations

from inbeeld.privacy.encryption import blind_index
from inbeeld.privacy.identifiers import name_index, phone_index, phone_numbers_in
from inbeeld.signals.models import IdentifierKind, Signal, SignalIdentifier

__all__ = ["NO_SECRET", "identifiers_record", "name_index", "receipt_secret_digest"]


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


# Why a keyed hash and not make_password (Argon2): the secret is not a person's password but
# 12 random letters from 31 (about 59 bits) made by the server, so a deliberately slow hash
# adds nothing against guessing, while Argon2 cost ~100 MB and tens of ms per submission and
# per follow-up. Keyed with its own blind-index purpose, the digests in a stolen database
# cannot even be tried without the key. 128 bits of HMAC-SHA256, compared in constant time.
RECEIPT_DIGEST_PREFIX = "hmac-sha256$"
NO_SECRET = RECEIPT_DIGEST_PREFIX + "-"  # never equal to a digest: hex has no "-"


def receipt_secret_digest(secret: str) -> str:
    """What is stored of a reporter's secret (normalised as the reporter may type it)."""
    return RECEIPT_DIGEST_PREFIX + blind_index(secret.strip().upper(), purpose="receipt")
