"""Key fingerprints: a configured key that does not match the data fails loudly, by name.

InBeeld holds four keys outside the database (docs/configuration.md). With a wrong one it
would go wrong quietly: a wrong ``AUDIT_KEY`` makes ``audit verify`` report the first entry
as edited (it reads as tampering), a wrong ``BLIND_INDEX_KEY`` makes every receipt lookup
and duplicate search find nothing, a wrong ``SECRET_KEY`` gives reporters the wrong secret
for a repeated form, and a missing encryption key fails on every read. So the database keeps
a fingerprint of each key (an HMAC of a fixed text under the key: it reveals nothing of the
key), recorded the first time the installation starts, and every start compares.

For ``FIELD_ENCRYPTION_KEYS`` the database keeps the fingerprints of every key that may
have encrypted a stored value: each start adds the configured keys, and ``inbeeld keys
rotate`` (when every value is under the first key) leaves only that one. A stored
fingerprint that no configured key has means values that no longer open.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, transaction

from inbeeld.privacy.models import KeyFingerprint

SINGLE_KEYS = ("SECRET_KEY", "AUDIT_KEY", "BLIND_INDEX_KEY")
FIELD_KEYS = "FIELD_ENCRYPTION_KEYS"


def fingerprint(name: str, key: str) -> str:
    message = f"inbeeld key fingerprint\n{name}".encode()
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()[:32]


def _configured() -> dict[str, set[str]]:
    found = {name: {fingerprint(name, str(getattr(settings, name)))} for name in SINGLE_KEYS}
    found[FIELD_KEYS] = {fingerprint(FIELD_KEYS, key) for key in settings.FIELD_ENCRYPTION_KEYS}
    return found


@dataclass(frozen=True)
class KeyProblem:
    name: str
    message: str

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


def key_problems(only: tuple[str, ...] | None = None) -> list[KeyProblem]:
    """The configured keys that do not match what the database recorded ([] when all do).

    A key the database has no fingerprint of yet (a new installation) is no problem.
    """
    configured = _configured()
    stored: dict[str, set[str]] = {}
    for row in KeyFingerprint.objects.all():
        stored.setdefault(row.name, set()).add(row.fingerprint)
    problems = []
    for name in only or (*SINGLE_KEYS, FIELD_KEYS):
        recorded = stored.get(name, set())
        if not recorded:
            continue
        if name == FIELD_KEYS:
            missing = recorded - configured[name]
            if missing:
                problems.append(KeyProblem(name, _missing_field_key(len(missing))))
        elif not recorded & configured[name]:
            problems.append(KeyProblem(name, _WRONG[name]))
    return problems


_WRONG = {
    "SECRET_KEY": "is not the key this database was used with (reporters' secrets for "
    "repeated forms and signed values would no longer match); set the original key",
    "AUDIT_KEY": "is not the key this database's audit trail was chained with; `inbeeld audit "
    "verify` would report intact entries as edited. Set the original key",
    "BLIND_INDEX_KEY": "is not the key this database's keyed hashes were made with; receipt "
    "codes, duplicate proposals and data-subject searches would find nothing. Set the "
    "original key",
}


def _missing_field_key(count: int) -> str:
    return (
        f"{count} key(s) that encrypted stored values are not configured, so those values "
        "cannot be read. Put the old key(s) back (after the new one), and run `inbeeld keys "
        "rotate` before removing them"
    )


def key_fingerprints_record() -> None:
    """Record the configured keys' fingerprints (first start; new encryption keys)."""
    configured = _configured()
    with transaction.atomic():
        for name, prints in configured.items():
            existing = set(
                KeyFingerprint.objects.filter(name=name).values_list("fingerprint", flat=True)
            )
            if name != FIELD_KEYS and existing:
                continue  # a single key is recorded once; a mismatch is a problem, not news
            KeyFingerprint.objects.bulk_create(
                KeyFingerprint(name=name, fingerprint=value) for value in prints - existing
            )


def field_key_fingerprints_after_rotation() -> None:
    """Every stored value is now under the first key: only its fingerprint remains needed."""
    current = fingerprint(FIELD_KEYS, settings.FIELD_ENCRYPTION_KEYS[0])
    with transaction.atomic():
        KeyFingerprint.objects.filter(name=FIELD_KEYS).exclude(fingerprint=current).delete()
        KeyFingerprint.objects.get_or_create(name=FIELD_KEYS, fingerprint=current)


def key_problems_or_none() -> list[KeyProblem] | None:
    """key_problems(), or None when the table does not exist yet (before migrate)."""
    try:
        return key_problems()
    except DatabaseError:
        return None
