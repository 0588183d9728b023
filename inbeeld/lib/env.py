"""Typed readers for settings that come from the environment.

Modelled on healthchecks' ``envbool``/``envint``: a bad value stops start-up with a message
that names the variable, instead of silently falling back to a default.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """A string from NAME, or from the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def embedded_key_list(data_dir: Path, name: str) -> list[str]:
    """Encryption keys of the embedded mode, one per line, newest first; made on first use.

    The format is Fernet's: urlsafe base64 of 32 random bytes.
    """
    key_file = data_dir / name
    if not key_file.exists():
        embedded_secret_key(data_dir, name, base64.urlsafe_b64encode(os.urandom(32)).decode())
    return key_file.read_text(encoding="ascii").split()


def embedded_secret_key(data_dir: Path, name: str = "secret_key", new: str | None = None) -> str:
    """A secret of the embedded mode: generated once, kept in the (git-ignored) data folder."""
    key_file = data_dir / name
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = new or secrets.token_urlsafe(50)
    # Create the file readable by its owner only; never widen an existing file's mode.
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race; use its key
        return key_file.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key
