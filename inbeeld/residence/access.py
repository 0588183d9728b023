"""Need-to-know for the residence track: exactly the case's.

Who may see the case sees its track; who may change the case records its states
(cases/access.py: case_get_for with need="edit", 404 outside need-to-know, the case's read
audited). The track's own read is audited on its records as well, so that the FG and a data
subject's export see who read it.
"""

from __future__ import annotations

from django.http import Http404

from inbeeld.accounts.models import User
from inbeeld.audit.models import Purpose
from inbeeld.audit.services import audit_record_reads
from inbeeld.cases.access import case_get_for
from inbeeld.residence.models import ResidenceState


def residence_read(
    user: User, states: list[ResidenceState], purpose: Purpose = Purpose.CASE_WORK
) -> None:
    if states:
        audit_record_reads(actor=user, records=states, purpose=purpose)


def state_subject_get_for(user: User, state_id: int) -> ResidenceState:
    """The door the task engine uses for a state's reminders (tasks/registry.py: get_for)."""
    state = ResidenceState.objects.filter(pk=state_id).first()
    if state is None:
        raise Http404
    case_get_for(user, state.case_id, need="edit", purpose=Purpose.TASKS)
    residence_read(user, [state], Purpose.TASKS)
    return state
