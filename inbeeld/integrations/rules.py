"""Who manages an organisation's API tokens and webhooks: the beheerder of its region.

The same rule as managing the organisation itself (accounts.manage_organisation): the
functioneel beheerder of the organisation's region. Any other account, the organisation's
own staff included, gets 404.
"""

from __future__ import annotations

from inbeeld.accounts.models import Role
from inbeeld.accounts.predicates import holds_role, holds_role_in_region, permission

permission("integrations.manage", holds_role(Role.BEHEERDER))
permission("integrations.manage_of", holds_role_in_region(Role.BEHEERDER))
