"""Who may import partners' lists (django-rules).

Signals: whoever may enter signals for an active organisation (``signals.add_signal``: the
zorgcoördinator, the chain partner and the municipal contact person, as the API's POST) —
partners already report signals one by one; a list is the same report, many at once.
Registrations with CoMensha: only who may make registrations (``registration.register_victims``:
the zorgcoördinator), and then only for cases the importer may change (the case's door).
"""

from __future__ import annotations

from inbeeld.accounts.predicates import holds_role, holds_role_in_active_organisation, permission
from inbeeld.cases.roles import COORDINATOR_ROLES
from inbeeld.signals.access import INTAKE_ROLES

import_signals = holds_role_in_active_organisation(*INTAKE_ROLES)
import_registrations = holds_role(*COORDINATOR_ROLES)

permission("imports.import_signals", import_signals)
permission("imports.import_registrations", import_registrations)
# The imports page (the choice of kind and the recent imports): either of the two.
permission("imports.import_lists", import_signals | import_registrations)
