"""A person's name and phone numbers as keyed hashes (blind index), the same in every app.

Every kind of personal data that the FG must find by a person's name or phone number (a
signal now, a case later) stores these hashes, so that one search (subject_rights.py) finds
the person everywhere without decrypting anything. Normalisation decides what counts as
"the same": names ignore case, accents and extra spaces; Dutch phone numbers are compared in
international form (06... = +316...).
"""

from __future__ import annotations

import re
import unicodedata

from inbeeld.privacy.encryption import blind_index


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
    # The purpose names the victim because signals were first; every kind uses the same one,
    # so that a person's name has one hash everywhere.
    normalised = normalised_name(name)
    return blind_index(normalised, purpose="victim-name") if normalised else ""


def phone_index(normalised: str) -> str:
    return blind_index(normalised, purpose="phone")
