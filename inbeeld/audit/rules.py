"""Who may read the audit trail (django-rules): the FG (functionaris gegevensbescherming)."""

from __future__ import annotations

from inbeeld.accounts.models import Role
from inbeeld.accounts.predicates import holds_role, permission

# Search and CSV export; the regions searched are those in which the user is FG.
permission("audit.view_trail", holds_role(Role.FG))
