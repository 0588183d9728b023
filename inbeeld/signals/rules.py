"""Who may do what with a signal (django-rules). Read with inbeeld/accounts/predicates.py.

A signal is seen by the zorgcoördinators of its region, by the organisation that reported it
and by the people it is assigned to; a restricted signal (AVG art. 18) by none of them.
An assignment is an explicit, recorded share (inbeeld.privacy.sharing): it follows the person,
also when that person works in another region, until the share is ended.
"""

from __future__ import annotations

from inbeeld.accounts.models import Role
from inbeeld.accounts.predicates import (
    holds_role,
    holds_role_in_active_organisation,
    holds_role_in_region,
    is_assigned,
    is_member_of_source_organisation,
    is_restricted,
    permission,
)
from inbeeld.signals.access import INTAKE_ROLES, TRIAGE_ROLES

coordinates_region = holds_role_in_region(*TRIAGE_ROLES)

# The queue and the signal pages (the records shown on them are decided per signal below).
permission("signals.handle_signals", holds_role(*INTAKE_ROLES))
# The queue as a CSV file: the zorgcoördinator's overview of her region (rows: queue.py).
permission("signals.export_queue", holds_role(*TRIAGE_ROLES))
# Searching the signals: whoever has the queue; results only from the signals they see.
permission("signals.search_signals", holds_role(*INTAKE_ROLES))
# The pages that triage (assign, tip, merge, consent): the region's coordinators.
permission("signals.triage_signals", holds_role(*TRIAGE_ROLES))
# The home page's block of what the user's organisation reported (as a chain partner).
permission("signals.view_own_reports", holds_role(Role.KETENPARTNER))
# Tips passed to the user's organisation (police, labour inspectorate).
permission("signals.view_tips_received", holds_role(Role.KETENPARTNER))
# The API's list and records: anyone with a role; each sees only the signals they may see.
permission("signals.list_signals", holds_role(*Role.values))
# Enter a signal for an organisation (the API's POST): without an object, for any of them.
permission("signals.add_signal", holds_role_in_active_organisation(*INTAKE_ROLES))
permission(
    "signals.view_signal",
    ~is_restricted & (coordinates_region | is_member_of_source_organisation | is_assigned),
)
permission("signals.triage_signal", ~is_restricted & coordinates_region)
