"""Who may manage regions, organisations and accounts, and keep the network (django-rules).

Predicates live in inbeeld/accounts/predicates.py. The functioneel beheerder manages only the
regions in which they hold that role, and the organisations and accounts within them. The
regional network (directory, coverage, covenant) is known to every colleague of the region;
the ketenregisseur keeps it (the product brief: "manages the network (partners, contact
persons, trainings, covenant)"), and so may the region's beheerder, who already decides
which organisations exist and who works for them.
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

NETWORK_KEEPERS = (Role.KETENREGISSEUR, Role.BEHEERDER)
# The network's pages (page gates), and the records they show (a region, an organisation, a
# contact person, a covenant or a signature: each lies in one region).
permission("accounts.view_network", holds_role(*Role.values))
permission("accounts.view_network_of", holds_role_in_region())
permission("accounts.manage_network", holds_role(*NETWORK_KEEPERS))
permission("accounts.manage_network_of", holds_role_in_region(*NETWORK_KEEPERS))
