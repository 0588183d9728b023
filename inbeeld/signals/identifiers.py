"""Keyed hashes of the names and phone numbers in a signal, to find likely duplicates.

Normalisation decides what counts as "the same": names ignore case, accents and extra
spaces; Dutch phone numbers are compared in international form (06... = +316...).
"""

from __future__ import annotations

import re
import unicodedata

from inbeeld.privacy.encryption import blind_index
from inbeeld.signals.models import IdentifierKind, Signal, SignalIdentifier


def normalised_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", letters).split())


def normalised_phone(number: str) -> str:
    """Digits in international form; "" for text that holds too few digits to be a number."""
    digits = re.sub(r"\D", "", number)
    if not number.strip().startswith("+"):  # "+..." is already international
        if digits.startswith("00"):
            digits = digits[2:]
        elif digits.startswith("0"):
            digits = "31" + digits[1:]  # a Dutch national number
    return digits if len(digits) >= 8 else ""


def phone_numbers_in(text: str) -> list[str]:
    """The phone numbers in free text, one per line or separated by commas or semicolons."""
    parts = re.split(r"[\n,;]+", text)
    return sorted({n for n in (normalised_phone(p) for p in parts) if n})


def name_index(name: str) -> str:
    normalised = normalised_name(name)
    return blind_index(normalised, purpose="victim-name") if normalised else ""


def phone_index(normalised: str) -> str:
    return blind_index(normalised, purpose="phone")


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
