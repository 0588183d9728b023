"""Codes that people read aloud and type from paper: a signal's receipt code, a case's
reference. One alphabet and one shape, so that every code in InBeeld reads the same way."""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L: a code is read aloud on the phone and typed from paper.
READABLE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def readable_code(prefix: str) -> str:
    """``PREFIX-XXXX-XXXX`` with eight random letters of the readable alphabet."""
    raw = "".join(secrets.choice(READABLE_ALPHABET) for _position in range(8))
    return f"{prefix}-{raw[:4]}-{raw[4:]}"
