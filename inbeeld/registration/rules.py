"""Who may register a case's person with CoMensha (django-rules).

The registration is the zorgcoördinator's: the gate of its pages is holding that role; which
case's registration is the case's own ``cases.change_case`` (the coordinators of the case's
region, a restricted case by nobody), asked only by access.py through the case's door.
Partners who see the case do not see its registration.
"""

from __future__ import annotations

from inbeeld.accounts.models import Role
from inbeeld.accounts.predicates import holds_role, permission
from inbeeld.cases.roles import COORDINATOR_ROLES

permission("registration.register_victims", holds_role(*COORDINATOR_ROLES))
# The API's list: anyone with a role may ask; it holds only the registrations of the cases
# whose region the caller coordinates (api.py: registrations_visible_to).
permission("registration.list_registrations", holds_role(*Role.values))
