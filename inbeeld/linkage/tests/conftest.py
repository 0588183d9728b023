"""The linkage tests need no Django: they must also run with ``-p no:django``."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing() -> None:
    """Overrides the suite-wide fixture of the same name, which needs pytest-django's
    ``settings``; nothing here hashes passwords."""
