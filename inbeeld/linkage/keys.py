"""The shared secret key of the linkage partners: create, read, fingerprint.

The key is generated once by the partners (not by the hub), travels between partners only
over a secure channel, and never reaches the hub. The hub sees only the fingerprint — an
HMAC of a fixed label, not a hash of the key — which lets it reject files encoded with
different keys without giving anyone a value to test guessed keys against offline more
cheaply than the encodings themselves would.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from inbeeld.linkage.errors import LinkageInputError

KEY_PREFIX = "inbeeld-linkage-key-v1:"
KEY_BYTES = 32
_FINGERPRINT_LABEL = b"inbeeld linkage key fingerprint v1"


def key_fingerprint(key: bytes) -> str:
    """16 hex characters identifying the key; safe to publish."""
    return hmac.digest(key, _FINGERPRINT_LABEL, hashlib.sha256)[:8].hex()


def key_generate(path: Path) -> str:
    """Write a new random key to ``path`` (mode 0600, never overwriting); return its fingerprint."""
    if path.exists():
        raise LinkageInputError("key file already exists; refusing to overwrite it", path=str(path))
    key = secrets.token_bytes(KEY_BYTES)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise LinkageInputError(f"cannot write: {error.strerror}", path=str(path)) from error
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(KEY_PREFIX + key.hex() + "\n")
        # link() fails if the target appeared meanwhile: no race can overwrite a key.
        os.link(temporary, path)
    except FileExistsError as error:
        raise LinkageInputError(
            "key file already exists; refusing to overwrite it", path=str(path)
        ) from error
    finally:
        temporary.unlink(missing_ok=True)
    return key_fingerprint(key)


def key_load(path: Path) -> bytes:
    """Read a key file written by :func:`key_generate`."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError as error:
        raise LinkageInputError("key file not found", path=str(path)) from error
    except (UnicodeDecodeError, IsADirectoryError, PermissionError) as error:
        raise LinkageInputError("not a readable InBeeld key file", path=str(path)) from error
    if not text.startswith(KEY_PREFIX):
        raise LinkageInputError(
            f"not an InBeeld key file (expected a line starting with {KEY_PREFIX!r})",
            path=str(path),
        )
    hex_key = text[len(KEY_PREFIX) :]
    try:
        key = bytes.fromhex(hex_key)
    except ValueError as error:
        raise LinkageInputError("key file is damaged (not hexadecimal)", path=str(path)) from error
    if len(key) != KEY_BYTES:
        raise LinkageInputError(
            f"key file is damaged ({len(key)} bytes, expected {KEY_BYTES})", path=str(path)
        )
    return key
