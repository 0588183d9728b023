"""Residence states as subjects of tasks (tasks/registry.py): a deadline's reminders.

A state is seen exactly by whoever may see its case (cases/rules.py: ``cases.view_case``)
and given tasks by whoever may change it. Lists name it by the case's reference, never by
the person or the note.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from inbeeld.accounts.models import User
from inbeeld.residence.access import state_subject_get_for
from inbeeld.residence.models import ResidenceState
from inbeeld.residence.services import DEADLINE_TASK
from inbeeld.tasks.registry import register_subject


def _visible(user: User, state: Any) -> bool:
    return bool(user.has_perm("cases.view_case", state.case))


def _may_add(user: User, state: Any) -> bool:
    return bool(user.has_perm("cases.change_case", state.case))


register_subject(
    ResidenceState,
    visible=_visible,
    may_add=_may_add,
    get_for=state_subject_get_for,
    describe=lambda state: _("Residence %(reference)s") % {"reference": state.case.reference},
    url=lambda state: reverse("cases:detail", args=[state.case_id]) + "#residence-heading",
    follow_up_source=DEADLINE_TASK,
)
