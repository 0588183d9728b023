"""The roles that work with cases (imported by rules.py and access.py alike)."""

from __future__ import annotations

from inbeeld.accounts.models import Role

# The region's zorgcoördinator sees and changes every case of her region.
COORDINATOR_ROLES = (Role.ZORGCOORDINATOR,)
# The signal-handling roles: with these in the owner or an invited organisation, one sees a case.
CASE_ROLES = (Role.ZORGCOORDINATOR, Role.KETENPARTNER, Role.AANDACHTSFUNCTIONARIS)
