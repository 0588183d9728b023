"""Encryption of identifying fields at rest, and keyed hashes to search them (blind index).

Built on `cryptography`'s MultiFernet (AES-128-CBC with HMAC-SHA256, authenticated): the
first key encrypts, every key decrypts, and ``rotate`` re-encrypts under the first key. The
small Django wrapper packages derive their keys from SECRET_KEY; here the keys come from
their own setting (FIELD_ENCRYPTION_KEYS) so that they can be rotated on their own.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds no key")
    try:
        return MultiFernet([Fernet(key.encode("ascii")) for key in keys])
    except (ValueError, UnicodeEncodeError) as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be Fernet keys (urlsafe base64 of 32 bytes)"
        ) from error


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "an encrypted value does not open with any key in FIELD_ENCRYPTION_KEYS "
            "(a key was removed before `inbeeld keys rotate` re-encrypted everything)"
        ) from error


def rotate(token: str) -> str:
    """The same value encrypted under the current (first) key."""
    return cipher().rotate(token.encode("ascii")).decode("ascii")


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash to find equal values without decrypting: same input, same index.

    ``purpose`` separates indexes (a name's index cannot be compared with a phone's).
    Normalise ``value`` before calling (case, spaces) as the search needs.
    """
    key = str(settings.BLIND_INDEX_KEY).encode("utf-8")
    message = f"{purpose}\n{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text that is encrypted before it reaches the database and decrypted when read.

    Equality lookups cannot work on ciphertext (every encryption differs); search through a
    blind-index field next to it instead. Empty values stay empty.
    """

    description = "Text encrypted at rest"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in {"isnull"}:
            raise NotImplementedError(
                f"an encrypted field cannot be searched with '{lookup_name}'; use a blind index"
            )
        return super().get_lookup(lookup_name)


def encrypted_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) that is encrypted at rest, for key rotation."""
    from django.apps import apps

    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    ]
