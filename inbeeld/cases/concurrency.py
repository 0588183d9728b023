"""Optimistic locking of cases, the pattern of signals/concurrency.py.

Every form that changes a case sends back the ``Case.version`` its page showed; the service
claims the case with one conditional UPDATE (``version = version + 1 WHERE version = seen``)
inside its transaction. The second of two people who saw the same version gets
``CaseChangedError`` before anything is written; the page shows the current state, the API
answers 409. Notes only add and are counted without a claim.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from inbeeld.cases.models import Case
from inbeeld.lib.versioning import version_bump, version_claim

CONCURRENT_CHANGE = "concurrent_change"


class CaseChangedError(ValidationError):
    """The case changed after the person's page showed it; nothing was written."""

    def __init__(self, case_id: int) -> None:
        super().__init__(
            _(
                "Someone else changed this case in the meantime; your change was not saved. "
                "The page now shows the current state. Check it and try again."
            ),
            code=CONCURRENT_CHANGE,
        )
        self.case_id = case_id


def case_claim(case: Case, *, seen_version: int) -> None:
    """Take ``case`` for a change if it is still at ``seen_version``, else raise."""
    if not version_claim(case, seen_version=seen_version):
        raise CaseChangedError(case.pk)


def case_version_bump(case: Case) -> None:
    """Count a change that needs no claim (a note)."""
    version_bump(case)
