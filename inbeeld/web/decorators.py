"""The page gates, kept under their old name: they live in accounts/decorators.py, on the
base floor, so that base-floor apps (privacy) can gate their pages without importing web."""

from __future__ import annotations

from inbeeld.accounts.decorators import permission_required, role_required

__all__ = ["permission_required", "role_required"]
