"""Who may do what with the network's activities (django-rules). Read with
accounts/predicates.py and accounts/rules.py.

- Every colleague of a region (any role there) sees the region's partners' agenda: its
  activities, public or partners-only, with how many registered and attended, never who.
- The network's keepers (accounts/rules.py NETWORK_KEEPERS: the ketenregisseur, who
  "manages the network (partners, contact persons, trainings, covenant)", and the region's
  beheerder, who keeps the directory with them) plan activities, register participants,
  take attendance, issue certificates and see the reach with the refresher list.
- The same keepers compose and send the region's newsletter (network/newsletter.py); they
  see how many subscribe, never the addresses.
- Anyone, without an account, sees the public activities on /agenda/ and in the feed, the
  newsletter's archive, and subscribes or unsubscribes.

A role counts in its own organisation's region only. Anyone else gets 404.
"""

from __future__ import annotations

from inbeeld.accounts.models import Role
from inbeeld.accounts.predicates import holds_role, holds_role_in_region, permission
from inbeeld.accounts.rules import NETWORK_KEEPERS

KEEPER_ROLES = NETWORK_KEEPERS

# The partners' agenda (page gate) and an activity of the region (record).
permission("network.view_agenda", holds_role(*Role.values))
permission("network.view_activity", holds_role_in_region())
# Planning, registration, attendance, certificates and the reach (page gate and record).
permission("network.manage_activities", holds_role(*KEEPER_ROLES))
permission("network.manage_activity", holds_role_in_region(*KEEPER_ROLES))
permission("network.view_reach", holds_role(*KEEPER_ROLES))
permission("network.view_reach_of", holds_role_in_region(*KEEPER_ROLES))
# The regional newsletter: compose and send (page gate, and the region or issue as record).
permission("network.compose_newsletter", holds_role(*KEEPER_ROLES))
permission("network.compose_newsletter_of", holds_role_in_region(*KEEPER_ROLES))
