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
    """A string from NAME, or from the file named by NAME_FILE (Docker/Kubernetes secrets).

    An empty value counts as not set (``INBEELD_DATA_DIR=`` as copied from .env.example must
    not mean "the current folder"). A NAME_FILE that cannot be read stops start-up naming it.
    """
    file_name = os.environ.get(f"{name}_FILE", "").strip()
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"{name}_FILE names a file that cannot be read: {file_name} ({error.strerror})"
            ) from error
    value = os.environ.get(name, "")
    return value if value.strip() else default


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
    """Comma-separated values from NAME (or the file NAME_FILE); empty means not set."""
    raw = env_str(name)
    if not raw:
        return default
    return [item.strip() for item in raw.replace("\n", ",").split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of ``choices`` (case-insensitive), or start-up stops naming the variable."""
    value = env_str(name, default).strip()
    if value.upper() not in {choice.upper() for choice in choices}:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value.upper()


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
    private_folder(data_dir)
    key = new or secrets.token_urlsafe(50)
    # Create the file readable by its owner only; never widen an existing file's mode.
    try:
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race; use its key
        return key_file.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def _tighten(path: Path, mode: int) -> None:
    """Narrow ``path``'s permissions to ``mode`` when it is ours; never widen them."""
    info = path.stat()
    if info.st_uid == os.getuid() and info.st_mode & 0o777 & ~mode:
        path.chmod(info.st_mode & 0o777 & mode)


def private_folder(folder: Path) -> Path:
    """The embedded mode's data folder: made readable by its owner only (0700).

    It holds the keys and the SQLite database with victims' data; an existing folder of ours
    is narrowed to 0700, a folder of someone else is left as it is.
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _tighten(folder, 0o700)
    return folder


def private_file(path: Path) -> Path:
    """Create ``path`` empty and owner-only (0600) before anything writes to it.

    SQLite creates its database with the process's umask (usually 0644, readable by every
    account on the machine) and its -wal and -shm files with the database's permissions;
    an empty file made here first gives all three 0600. An existing file of ours is narrowed.
    """
    private_folder(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        _tighten(path, 0o600)
    return path
