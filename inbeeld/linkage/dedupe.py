"""Plaintext deduplication within one organisation, on Splink (placeholder, see below)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from inbeeld.linkage.errors import LinkageInputError


def dedupe_file(
    source: Path,
    *,
    out: Path,
    field_map: Mapping[str, str],
    id_column: str | None,
    threshold: float,
) -> int:
    raise LinkageInputError("dedupe is not implemented yet", path=str(source))
