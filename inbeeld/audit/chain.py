"""The hash chain: how an entry's hash is computed from its content and its predecessor."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor",
    "organisations",
    "action",
    "object_type",
    "object_id",
    "region",
    "purpose",
    "detail",
)


def audit_key() -> bytes:
    """The HMAC key: without it nobody can recompute a consistent chain after tampering."""
    return str(settings.AUDIT_KEY).encode("utf-8")


def canonical(values: dict[str, Any]) -> bytes:
    payload = {name: values[name] for name in CHAINED_FIELDS}
    occurred = payload["occurred_at"]
    if isinstance(occurred, datetime):
        payload["occurred_at"] = occurred.astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(previous_hash: str, values: dict[str, Any]) -> str:
    message = previous_hash.encode("ascii") + b"\n" + canonical(values)
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def value_digest(value: object) -> str:
    """A keyed digest of a changed value: shows *that* it changed, never what it was."""
    text = json.dumps(value, sort_keys=True, default=str).encode("utf-8")
    return hmac.new(audit_key(), b"value\n" + text, hashlib.sha256).hexdigest()[:16]
