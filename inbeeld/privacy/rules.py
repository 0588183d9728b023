"""Who may manage privacy settings (django-rules): the FG (functionaris gegevensbescherming)."""

from __future__ import annotations

from inbeeld.accounts.models import Role
from inbeeld.accounts.predicates import holds_role, permission

# Retention periods per region; the regions offered are those in which the user is FG.
permission("privacy.manage_retention", holds_role(Role.FG))
# Data-subject requests (search, access export, erasure, restriction) in the FG's regions.
permission("privacy.handle_subject_requests", holds_role(Role.FG))
