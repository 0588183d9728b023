"""The environment readers: an empty value is not set, secrets may come from files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from inbeeld.lib.env import env_list, env_str


def test_an_empty_value_means_not_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """INBEELD_DATA_DIR= as copied from .env.example must not mean the current folder."""
    monkeypatch.setenv("INBEELD_DATA_DIR", "")
    assert env_str("INBEELD_DATA_DIR", "/srv/inbeeld") == "/srv/inbeeld"
    monkeypatch.setenv("ALLOWED_HOSTS", "  ")
    assert env_list("ALLOWED_HOSTS", ["localhost"]) == ["localhost"]


def test_a_list_can_come_from_a_file_one_per_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    keys = tmp_path / "keys"
    keys.write_text("new-key\nold-key\n", encoding="ascii")
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS_FILE", str(keys))
    assert env_list("FIELD_ENCRYPTION_KEYS", []) == ["new-key", "old-key"]


def test_an_unreadable_secret_file_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SECRET_KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_FILE names a file"):
        env_str("SECRET_KEY")
