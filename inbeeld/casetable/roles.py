"""The roles that work at the case table (imported by rules.py and access.py alike)."""

from __future__ import annotations

from inbeeld.accounts.models import Role

# The region's zorgcoördinator prepares and chairs the table.
CHAIR_ROLES = (Role.ZORGCOORDINATOR,)
# The staff of an invited organisation who take part: the signal-handling roles.
TABLE_ROLES = (Role.ZORGCOORDINATOR, Role.KETENPARTNER, Role.AANDACHTSFUNCTIONARIS)
# Who sees the table's figures (statistics.py) of their region: the ketenregisseur, who runs
# the regional programme, and the zorgcoördinator, who chairs the table.
STATISTICS_ROLES = (Role.KETENREGISSEUR, Role.ZORGCOORDINATOR)
