"""Who may manage regions, organisations and accounts (django-rules).

Predicates live in inbeeld/accounts/predicates.py. The functioneel beheerder manages only the
regions in which they hold that role, and the organisations and accounts within them.
"""

from __future__ import annotations

from inbeeld.accounts.models import Role
from inbeeld.accounts.predicates import (
    administers_account,
    holds_role,
    holds_role_in_region,
    is_staff_member,
    permission,
)

administers_region = holds_role_in_region(Role.BEHEERDER)

# A staff member's own pages: the overview, the region pages of their regions, the account.
permission("accounts.use_staff_pages", is_staff_member)
# The administration pages (which records appear on them is decided per object below).
permission("accounts.administer", holds_role(Role.BEHEERDER))
permission("accounts.manage_region", administers_region)
permission("accounts.manage_organisation", administers_region)
permission("accounts.manage_user", administers_account)
